import { createHash } from 'node:crypto';
import type { FileUpload } from '@orderpost/shared';
import type { Tx } from '../../db/client.js';
import { files } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export type FileKind = 'pdf' | 'png' | 'jpeg' | 'webp' | 'gif';

const contentTypes: Record<FileKind, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

export const documentKinds: FileKind[] = ['pdf'];
export const imageKinds: FileKind[] = ['png', 'jpeg', 'webp', 'gif'];

/** Recognises a file by its first bytes; the name and the client's claimed type are not trusted. */
export function sniffFileKind(bytes: Uint8Array): FileKind | null {
  const startsWith = (signature: number[], offset = 0) => signature.every((byte, i) => bytes[offset + i] === byte);
  if (startsWith([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith([0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith([0x47, 0x49, 0x46, 0x38])) return 'gif';
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
    throw new AppError('FILE_TYPE_NOT_ALLOWED', `The file's content is not one of: ${allowed.join(', ')}`, field);
  }
  return { bytes, kind, contentType: contentTypes[kind], filename: upload.filename };
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
