/**
 * Recognises office documents by their structure, not their name: OOXML
 * (a zip whose parts include `[Content_Types].xml`), OpenDocument (a zip whose
 * first entry is the stored `mimetype`) and the old OLE2 compound files of
 * Word, Excel and PowerPoint. Documents carrying macros (a VBA project) are
 * reported as such, so they can be refused like other active content.
 */
export type OfficeKind = 'docx' | 'xlsx' | 'pptx' | 'odt' | 'ods' | 'odp' | 'doc' | 'xls' | 'ppt';

export type OfficeSniff = { kind: OfficeKind } | { refused: string } | null;

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

/** The entry names of a zip, read from its central directory; null when it is no well-formed zip. */
export function zipEntryNames(bytes: Uint8Array, maxEntries = 10_000): string[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is in the last 22 + 65,535 (comment) bytes.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let at = bytes.length - 22; at >= lowest; at -= 1) {
    if (view.getUint32(at, true) === ZIP_END) {
      end = at;
      break;
    }
  }
  if (end < 0) return null;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < Math.min(count, maxEntries); i += 1) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== ZIP_CENTRAL) return null;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > bytes.length) return null;
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const odfTypes: Record<string, OfficeKind> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};

function sniffZip(bytes: Uint8Array): OfficeSniff {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 30 || view.getUint32(0, true) !== ZIP_LOCAL) return null;
  const names = zipEntryNames(bytes);
  if (!names) return { refused: 'a damaged zip archive' };
  const lower = new Set(names.map((name) => name.toLowerCase()));
  const hasMacros = names.some((name) => /(^|\/)vbaproject\.bin$|(^|\/)activex\//i.test(name));
  if (lower.has('[content_types].xml')) {
    if (hasMacros) return { refused: 'an office document with macros or ActiveX controls' };
    if (lower.has('word/document.xml')) return { kind: 'docx' };
    if (lower.has('xl/workbook.xml')) return { kind: 'xlsx' };
    if (lower.has('ppt/presentation.xml')) return { kind: 'pptx' };
    return { refused: 'an OOXML package that is no Word, Excel or PowerPoint document' };
  }
  // OpenDocument: the first entry is `mimetype`, stored uncompressed, holding the document's type.
  const nameLength = view.getUint16(26, true);
  const extraLength = view.getUint16(28, true);
  const firstName = new TextDecoder().decode(bytes.subarray(30, 30 + nameLength));
  if (firstName === 'mimetype') {
    const start = 30 + nameLength + extraLength;
    const size = view.getUint32(18, true);
    const mimetype = new TextDecoder().decode(bytes.subarray(start, start + Math.min(size, 100)));
    const kind = odfTypes[mimetype];
    if (kind) return hasMacros || lower.has('basic/script-lc.xml') ? { refused: 'an office document with macros' } : { kind };
  }
  return { refused: 'a zip archive' };
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A stream or storage name as OLE2 directory entries write it (UTF-16LE). */
const utf16 = (name: string) => Buffer.from(name, 'utf16le');
const oleStreams: [Buffer, OfficeKind][] = [
  [utf16('WordDocument'), 'doc'],
  [utf16('Workbook'), 'xls'],
  [utf16('Book\0'), 'xls'],
  [utf16('PowerPoint Document'), 'ppt'],
];
const oleMacros = [utf16('_VBA_PROJECT'), utf16('Macros'), utf16('VBA\0')];

/**
 * OLE2 compound files are also installers (.msi) and Outlook messages: only
 * those holding a Word, Excel or PowerPoint stream count as documents.
 */
function sniffOle2(bytes: Uint8Array): OfficeSniff {
  if (!OLE2.every((byte, i) => bytes[i] === byte)) return null;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (oleMacros.some((name) => buffer.includes(name))) return { refused: 'an office document with macros' };
  for (const [name, kind] of oleStreams) if (buffer.includes(name)) return { kind };
  return { refused: 'a compound file that is no Word, Excel or PowerPoint document (an installer?)' };
}

export function sniffOfficeDocument(bytes: Uint8Array): OfficeSniff {
  return sniffZip(bytes) ?? sniffOle2(bytes);
}
