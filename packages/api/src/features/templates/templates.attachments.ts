import type { TemplateAttachmentRow } from '../../db/schema/email.js';
import { extensionOf } from '../files/file-content.js';
import { chosenInvoice, type ParcelCopy, type TemplateContext, type TemplateOrder } from './templates.data.js';
import { orderPdf } from './templates.order-pdf.js';

/** A stored file as rendering needs it. */
export interface AttachmentFile {
  id: number;
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** The stored files the attachments of these orders need: the template's own, the invoices, the parcel photos. */
export function filesNeeded(attachments: TemplateAttachmentRow[], orders: TemplateOrder[]): number[] {
  const ids = new Set<number>();
  for (const attachment of attachments) {
    if (attachment.kind === 'file') ids.add(attachment.fileId);
    for (const order of orders) {
      if (attachment.kind === 'invoice') {
        const file = chosenInvoice(order)?.file;
        if (file) ids.add(file.id);
      }
      if (attachment.kind === 'parcel_photo') {
        const photo = latestPhoto(order);
        if (photo) ids.add(photo.id);
      }
    }
  }
  return [...ids];
}

function latestPhoto(order: Pick<TemplateOrder, 'parcelsView'>) {
  return (order.parcelsView as ParcelCopy[]).findLast((parcel) => parcel.photo !== null)?.photo ?? null;
}

/**
 * The attachments of one message. One the order cannot have yet (no invoice,
 * no parcel photo) is left out with a warning, as BaseLinker does: the
 * message still goes.
 */
export async function attachmentsFor(
  attachments: TemplateAttachmentRow[],
  order: TemplateOrder,
  context: TemplateContext,
  stored: ReadonlyMap<number, AttachmentFile>,
): Promise<{ attachments: Attachment[]; warnings: string[] }> {
  const out: Attachment[] = [];
  const warnings: string[] = [];
  const attach = (file: AttachmentFile, name: string) =>
    out.push({
      filename: safeFilename(withExtension(name, file.contentType)),
      contentType: file.contentType,
      content: Buffer.from(file.content),
    });
  for (const attachment of attachments) {
    switch (attachment.kind) {
      case 'file': {
        const file = stored.get(attachment.fileId);
        if (file) attach(file, attachment.name);
        else warnings.push(`The attachment "${attachment.name}" is no longer stored: not attached`);
        break;
      }
      case 'invoice': {
        const invoice = chosenInvoice(order);
        const file = invoice?.file ? stored.get(invoice.file.id) : undefined;
        if (invoice && file) attach(file, attachment.name ?? `${invoice.kind === 'proforma' ? 'Pro-forma' : 'Invoice'} ${invoice.number}`);
        else
          warnings.push(
            invoice
              ? `${invoice.kind === 'proforma' ? 'Pro-forma' : 'Invoice'} ${invoice.number} of order ${order.number} has no PDF: not attached`
              : `Order ${order.number} has no invoice or pro-forma yet: not attached`,
          );
        break;
      }
      case 'parcel_photo': {
        const photo = latestPhoto(order);
        const file = photo ? stored.get(photo.id) : undefined;
        if (file) attach(file, attachment.name ?? `Parcel ${order.number}`);
        else warnings.push(`Order ${order.number} has no parcel photo: not attached`);
        break;
      }
      case 'order_pdf': {
        const content = Buffer.from(await orderPdf(order, context));
        out.push({
          filename: safeFilename(withExtension(attachment.name ?? `Order ${order.number}`, 'application/pdf')),
          contentType: 'application/pdf',
          content,
        });
        break;
      }
    }
  }
  return { attachments: out, warnings };
}

/** Other spellings of an extension for the same kind of content. */
const sameExtension: Record<string, string[]> = {
  jpg: ['jpeg', 'jpe'],
  tif: ['tiff'],
  txt: ['csv', 'tsv', 'text', 'log', 'md'],
  csv: ['txt', 'tsv'],
};

/**
 * The display name, with the extension of what the file really is appended
 * when the name has none or claims something else ("Return form" →
 * "Return form.pdf", a text file named "setup.exe" → "setup.exe.txt"): mail
 * providers judge attachments by name, and the customer opens them by it.
 */
export function withExtension(name: string, contentType: string): string {
  const extension = extensionOf(contentType) ?? (contentType.startsWith('text/') ? 'txt' : null);
  if (!extension) return name;
  const written = /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1]?.toLowerCase();
  if (written && (written === extension || sameExtension[extension]?.includes(written))) return name;
  return `${name}.${extension}`;
}

/** A name safe in a MIME header and on any disk: no path separators, quotes or controls (invoice numbers have slashes). */
export function safeFilename(name: string): string {
  return name.replace(/[\p{Cc}/\\:*?"<>|]+/gu, '_').trim() || 'attachment';
}
