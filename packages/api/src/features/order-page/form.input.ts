import { customerMessageFields, customerMessageLimits } from '@orderpost/shared';
import { AppError } from '../../errors.js';
import { contentTypeOf, describeRefusedFile, type FileKind, sniffFileKind } from '../files/file-content.js';
import { safeFilename, withExtension } from '../templates/templates.attachments.js';

/** What the order-page form carries, as the browser sent it (multipart or urlencoded). */
export type FormBody = Record<string, string | File | (string | File)[]>;

export interface CustomerAttachment {
  bytes: Uint8Array<ArrayBuffer>;
  kind: FileKind;
  contentType: string;
  filename: string;
}

export interface CustomerMessageInput {
  text: string;
  attachment: CustomerAttachment | null;
}

/** The kinds a customer may attach: photos and PDF, recognised by content. */
export const customerAttachmentKinds: FileKind[] = ['png', 'jpeg', 'gif', 'webp', 'pdf'];

/** A field's single value: the last one when a client sent it twice. */
export function field(body: FormBody, name: string): string | File | undefined {
  const value = body[name];
  return Array.isArray(value) ? value.at(-1) : value;
}

/** The text field as typed (for re-showing it after an error): a string, '' when absent or a file. */
export function draftOf(body: FormBody): string {
  const value = field(body, customerMessageFields.message);
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').slice(0, customerMessageLimits.text * 2) : '';
}

/** A honeypot that a person never sees (hidden by CSS, out of the tab order) was filled: a bot. */
export function honeypotFilled(body: FormBody): boolean {
  const value = field(body, customerMessageFields.honeypot);
  return value instanceof File ? value.size > 0 || value.name !== '' : typeof value === 'string' && value.trim() !== '';
}

const LONE_SURROGATE = /\p{Cs}/u;
/** Controls other than tab and line feed (CR is folded into LF first): dropped, they carry nothing a reader sees. */
const STRAY_CONTROLS = /[^\P{Cc}\t\n]/gu;

/**
 * The message text: line breaks kept as LF (browsers send CRLF, and count a
 * break as one character in `maxlength`, so the limit is checked after
 * folding), other control characters removed, required, at most
 * customerMessageLimits.text characters.
 */
export function messageText(body: FormBody): string {
  const value = field(body, customerMessageFields.message);
  if (typeof value !== 'string') throw new AppError('REQUIRED_FIELD', 'Please write a message', customerMessageFields.message);
  if (LONE_SURROGATE.test(value)) throw new AppError('INVALID_VALUE', 'The message is not well-formed text', customerMessageFields.message);
  const text = value.replace(/\r\n?/g, '\n').replace(STRAY_CONTROLS, '');
  if (text.trim() === '') throw new AppError('REQUIRED_FIELD', 'Please write a message', customerMessageFields.message);
  if (text.length > customerMessageLimits.text) {
    throw new AppError(
      'MESSAGE_TOO_LONG',
      `The message has ${text.length} characters; at most ${customerMessageLimits.text} fit`,
      customerMessageFields.message,
    );
  }
  return text;
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/**
 * The optional attachment: an image (PNG, JPEG, GIF, WebP) or a PDF, told by
 * its content (never its name or the browser's type), at most
 * customerMessageLimits.attachmentBytes. An empty file field (nothing chosen) is no attachment.
 */
export async function messageAttachment(body: FormBody): Promise<CustomerAttachment | null> {
  const name = customerMessageFields.attachment;
  const value = field(body, name);
  if (value === undefined || typeof value === 'string') return null;
  if (value.size === 0 && value.name === '') return null;
  if (value.size === 0) throw new AppError('INVALID_VALUE', 'The attached file is empty', name);
  if (value.size > customerMessageLimits.attachmentBytes) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `The attachment has ${megabytes(value.size)}; at most ${megabytes(customerMessageLimits.attachmentBytes)} are accepted`,
      name,
    );
  }
  const bytes = new Uint8Array(await value.arrayBuffer());
  const kind = sniffFileKind(bytes);
  if (!kind || !customerAttachmentKinds.includes(kind)) {
    const what = describeRefusedFile(bytes);
    throw new AppError(
      'FILE_TYPE_NOT_ALLOWED',
      `The attachment ${what ? `is ${what}, ` : ''}not a photo (PNG, JPEG, GIF, WebP) or a PDF`,
      name,
    );
  }
  const contentType = contentTypeOf(kind, '');
  return { bytes, kind, contentType, filename: attachmentName(value.name, contentType) };
}

/** The file's own name without any path, safe in headers and on disk, with the ending of what it is (photo.exe → photo.exe.png). */
function attachmentName(given: string, contentType: string): string {
  const base = (given.split(/[/\\]/).at(-1) ?? '').replace(/\p{Cs}/gu, '').slice(-120);
  return safeFilename(withExtension(base || 'attachment', contentType));
}
