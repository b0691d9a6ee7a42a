import { createHash } from 'node:crypto';
import type { FileUpload } from '@orderpost/shared';
import type { Tx } from '../../db/client.js';
import { files } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type OfficeKind, sniffOfficeDocument } from './office-documents.js';

export type FileKind = 'pdf' | 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff' | OfficeKind | 'text';

const contentTypes: Record<FileKind, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  text: 'text/plain; charset=utf-8',
};

/** The usual file name ending of each kind, added to attachment names that lack it. */
export const fileExtensions: Record<FileKind, string> = {
  pdf: 'pdf',
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
  gif: 'gif',
  bmp: 'bmp',
  tiff: 'tif',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  odt: 'odt',
  ods: 'ods',
  odp: 'odp',
  doc: 'doc',
  xls: 'xls',
  ppt: 'ppt',
  text: 'txt',
};

export const documentKinds: FileKind[] = ['pdf'];
export const imageKinds: FileKind[] = ['png', 'jpeg', 'webp', 'gif'];
/** What an e-mail may carry: PDF, images, office documents, UTF-8 text (CSV included). */
export const attachmentKinds: FileKind[] = ['pdf', 'png', 'jpeg', 'webp', 'gif', 'bmp', 'tiff', ...officeKinds(), 'text'];

function officeKinds(): OfficeKind[] {
  return ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'doc', 'xls', 'ppt'];
}

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((byte, i) => bytes[offset + i] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** Recognises a file by its content; the name and the client's claimed type are not trusted. */
export function sniffFileKind(bytes: Uint8Array): FileKind | null {
  const has = (signature: number[], offset = 0) => startsWith(bytes, signature, offset);
  if (has([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (has([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (has([0xff, 0xd8, 0xff])) return 'jpeg';
  if (has([0x52, 0x49, 0x46, 0x46]) && has([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (has([0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (has([0x42, 0x4d]) && bytes.length > 26 && readUint32LE(bytes, 2) === bytes.length) return 'bmp';
  if (has([0x49, 0x49, 0x2a, 0x00]) || has([0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  const office = sniffOfficeDocument(bytes);
  if (office) return 'kind' in office ? office.kind : null;
  return isPlainText(bytes) ? 'text' : null;
}

function readUint32LE(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text a person can read: valid UTF-8 without NUL; not a script (`#!`), and
 * not markup (HTML, SVG, XML start with `<`), which can carry scripts.
 */
function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return false;
  }
  const start = text.replace(/^\ufeff/, '').trimStart();
  return !start.startsWith('#!') && !start.startsWith('<');
}

/** What a refused file is, for the error message, when we know (executables, videos, archives). */
export function describeRefusedFile(bytes: Uint8Array): string | null {
  const has = (signature: number[], offset = 0) => startsWith(bytes, signature, offset);
  if (has([0x7f, 0x45, 0x4c, 0x46])) return 'a program (ELF)';
  if (has([0x4d, 0x5a])) return 'a Windows program (PE/MZ)';
  if (
    [
      [0xfe, 0xed, 0xfa, 0xce],
      [0xfe, 0xed, 0xfa, 0xcf],
      [0xce, 0xfa, 0xed, 0xfe],
      [0xcf, 0xfa, 0xed, 0xfe],
      [0xca, 0xfe, 0xba, 0xbe],
    ].some((s) => has(s))
  )
    return 'a program (Mach-O) or Java class';
  if (has(ascii('#!'))) return 'a script (#!)';
  if (has(ascii('ftyp'), 4)) return 'a video (MP4/QuickTime)';
  if (has([0x1a, 0x45, 0xdf, 0xa3])) return 'a video (WebM/Matroska)';
  if (has(ascii('RIFF')) && has(ascii('AVI '), 8)) return 'a video (AVI)';
  if (has(ascii('FLV'))) return 'a video (Flash)';
  if (has([0x00, 0x00, 0x01, 0xba]) || has([0x00, 0x00, 0x01, 0xb3])) return 'a video (MPEG)';
  if (has([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return 'a video (Windows Media)';
  if (has(ascii('OggS'))) return 'audio or video (Ogg)';
  const office = sniffOfficeDocument(bytes);
  if (office && 'refused' in office) return office.refused;
  return null;
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeUpload(upload: FileUpload, field: string, allowed: FileKind[], maxBytes: number) {
  const compact = upload.contentBase64.replace(/\s+/g, '');
  if (!base64Pattern.test(compact) || compact.length % 4 === 1) {
    throw new AppError('INVALID_VALUE', 'The file content is not valid base64', `${field}.contentBase64`);
  }
  const bytes = new Uint8Array(Buffer.from(compact, 'base64'));
  if (bytes.length === 0) throw new AppError('INVALID_VALUE', 'The file is empty', `${field}.contentBase64`);
  if (bytes.length > maxBytes) {
    throw new AppError('FILE_TOO_LARGE', `The file has ${bytes.length} bytes; at most ${maxBytes} are accepted`, field);
  }
  const kind = sniffFileKind(bytes);
  if (!kind || !allowed.includes(kind)) {
    const what = describeRefusedFile(bytes);
    throw new AppError('FILE_TYPE_NOT_ALLOWED', `The file's content is ${what ? `${what}, ` : ''}not one of: ${allowed.join(', ')}`, field);
  }
  return { bytes, kind, contentType: contentTypeOf(kind, upload.filename), filename: upload.filename };
}

/** The content type of a kind; text named `.csv` is CSV (for text the name only chooses the label, never the check). */
export function contentTypeOf(kind: FileKind, filename: string): string {
  return kind === 'text' && /\.csv$/i.test(filename) ? 'text/csv; charset=utf-8' : contentTypes[kind];
}

/** The usual file name ending of a content type this module gives out, or null. */
export function extensionOf(contentType: string): string | null {
  if (contentType.startsWith('text/csv')) return 'csv';
  const kind = (Object.keys(contentTypes) as FileKind[]).find((candidate) => contentTypes[candidate] === contentType);
  return kind ? fileExtensions[kind] : null;
}

export async function storeFile(tx: Tx, file: ReturnType<typeof decodeUpload>) {
  const [row] = await tx
    .insert(files)
    .values({
      filename: file.filename,
      contentType: file.contentType,
      size: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      content: file.bytes,
    })
    .returning({ id: files.id });
  if (!row) throw new Error('file insert returned nothing');
  return row.id;
}
