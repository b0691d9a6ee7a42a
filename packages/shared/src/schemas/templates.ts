import { z } from 'zod';
import { fileRef, fileUpload, language, maxId, multilineText, requiredText, text } from './common.js';

/** BaseLinker's limit, and ours: a template's content has at most this many characters. */
export const templateContentMax = 25_000;
/** Attachments per template (BaseLinker's three). */
export const templateAttachmentsMax = 3;

const attachmentName = requiredText(200);

/**
 * An attachment as a template is saved with it: a file (uploaded in the same
 * request, or one stored before, by id), the order's invoice (its pro-forma
 * when no invoice was issued), the photo of its latest parcel, or a PDF
 * printout of the order. `name` is the file name the customer sees.
 */
export const templateAttachmentInput = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('file'),
      name: attachmentName,
      /** A new file, checked by its content (PDF, images, office documents, text/CSV). */
      file: fileUpload.optional(),
      /** A file stored before (kept when a template is saved again). */
      fileId: z.number().int().min(1).max(maxId).optional(),
    })
    .refine((value) => (value.file === undefined) !== (value.fileId === undefined), {
      message: 'needs either `file` (a new file) or `fileId` (one stored before), not both',
      path: ['file'],
    }),
  z.strictObject({ kind: z.literal('invoice'), name: attachmentName.optional() }),
  z.strictObject({ kind: z.literal('parcel_photo'), name: attachmentName.optional() }),
  z.strictObject({ kind: z.literal('order_pdf'), name: attachmentName.optional() }),
]);
export type TemplateAttachmentInput = z.infer<typeof templateAttachmentInput>;

export const templateFormat = z.enum(['text', 'html']);

const templateFields = {
  /** Internal display name; the customer never sees it. */
  name: requiredText(120),
  subject: requiredText(300),
  format: templateFormat,
  content: multilineText(templateContentMax).refine((value) => value.trim() !== '', 'must not be empty'),
  /** The preview line an e-mail client shows after the subject (HTML templates carry it hidden in the body). */
  preheader: text(300).nullable(),
  /** The mailbox that sends it; null: the default mailbox. */
  mailboxId: z.number().int().min(1).max(maxId).nullable(),
  /** Hidden templates are left out of lists (they serve automatic actions). */
  hidden: z.boolean(),
  language: language.nullable(),
  attachments: z.array(templateAttachmentInput).max(templateAttachmentsMax),
};

export const templateInput = z.strictObject({
  ...templateFields,
  preheader: templateFields.preheader.optional(),
  mailboxId: templateFields.mailboxId.optional(),
  hidden: templateFields.hidden.default(false),
  language: templateFields.language.optional(),
  attachments: templateFields.attachments.default([]),
});
export type TemplateInput = z.infer<typeof templateInput>;

/** Only the fields sent change; `attachments`, when sent, replaces the list. */
export const templatePatch = z.strictObject({
  name: templateFields.name.optional(),
  subject: templateFields.subject.optional(),
  format: templateFields.format.optional(),
  content: templateFields.content.optional(),
  preheader: templateFields.preheader.optional(),
  mailboxId: templateFields.mailboxId.optional(),
  hidden: templateFields.hidden.optional(),
  language: templateFields.language.optional(),
  attachments: templateFields.attachments.optional(),
});
export type TemplatePatch = z.infer<typeof templatePatch>;

export const templateAttachment = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), name: z.string(), file: fileRef }),
  z.object({ kind: z.literal('invoice'), name: z.string().nullable() }),
  z.object({ kind: z.literal('parcel_photo'), name: z.string().nullable() }),
  z.object({ kind: z.literal('order_pdf'), name: z.string().nullable() }),
]);

export const template = z.object({
  id: z.number().int(),
  name: z.string(),
  subject: z.string(),
  format: templateFormat,
  content: z.string(),
  preheader: z.string().nullable(),
  mailboxId: z.number().int().nullable(),
  hidden: z.boolean(),
  language: z.string().nullable(),
  attachments: z.array(templateAttachment),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Template = z.infer<typeof template>;

/** A saved template with what the seller should know (shortened links …); saving does not depend on them. */
export const templateSaved = template.extend({ warnings: z.array(z.string()) });

export const templateList = z.object({ templates: z.array(template) });

export const templateListQuery = z.strictObject({
  /** `true` lists hidden templates too. */
  includeHidden: z.enum(['true', 'false']).default('false'),
});

export const templateRenderRequest = z.strictObject({ orderId: z.number().int().min(1).max(maxId) });

export const renderedTemplate = z.object({
  subject: z.string(),
  /** Null for text templates. */
  html: z.string().nullable(),
  /** The plain-text part (for HTML templates made from the HTML). */
  text: z.string(),
  preheader: z.string().nullable(),
  /** Things the seller should know, e.g. an attachment the order does not have yet. */
  warnings: z.array(z.string()),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), size: z.number().int() })),
});
export type RenderedTemplate = z.infer<typeof renderedTemplate>;

export const tagInfo = z.object({
  name: z.string(),
  /** How it is written in a template: `[name]`. */
  tag: z.string(),
  group: z.string(),
  description: z.string(),
  example: z.string(),
});

export const tagList = z.object({
  tags: z.array(tagInfo),
  /** The order lines for Liquid loops (`{% for item in items %}`) and their fields. */
  loops: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      fields: z.array(z.object({ name: z.string(), description: z.string(), example: z.string() })),
    }),
  ),
});
