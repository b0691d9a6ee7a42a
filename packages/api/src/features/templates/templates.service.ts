import { asc, eq, sql } from 'drizzle-orm';
import type { RenderedTemplate, Template, TemplateAttachmentInput, TemplateInput, TemplatePatch } from '@orderpost/shared';
import type { Queryable, Tx } from '../../db/client.js';
import { files, mailboxes, type TemplateAttachmentRow, templates } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { attachmentKinds, decodeUpload, describeRefusedFile, sniffFileKind, storeFile } from '../files/file-content.js';
import { compileTemplate } from './templates.compile.js';
import { renderForOrder } from './templates.render.js';

type TemplateRow = typeof templates.$inferSelect;
type FileRef = { id: number; filename: string; contentType: string; size: number };

export async function listTemplates(services: Services, options: { includeHidden: boolean }): Promise<Template[]> {
  const { db } = services.database;
  const rows = await db
    .select()
    .from(templates)
    .where(options.includeHidden ? undefined : eq(templates.hidden, false))
    .orderBy(asc(templates.name), asc(templates.id));
  const refs = await fileRefs(db, rows);
  return rows.map((row) => templateView(row, refs));
}

export async function getTemplate(services: Services, id: number): Promise<Template> {
  const { db } = services.database;
  const row = await findRow(db, id);
  return templateView(row, await fileRefs(db, [row]));
}

/** Checks the template (tags, Liquid, active content; see compileTemplate), stores it with its files. */
export async function createTemplate(services: Services, input: TemplateInput): Promise<Template & { warnings: string[] }> {
  const { warnings } = compileTemplate({ ...input, preheader: input.preheader ?? null });
  const { db } = services.database;
  await checkMailbox(db, input.mailboxId ?? null);
  const row = await db.transaction(async (tx) => {
    const attachments = await attachmentRows(services, tx, input.attachments);
    const [created] = await tx
      .insert(templates)
      .values({
        name: input.name,
        subject: input.subject,
        format: input.format,
        content: input.content,
        preheader: emptyToNull(input.preheader),
        mailboxId: input.mailboxId ?? null,
        hidden: input.hidden,
        language: input.language ?? null,
        attachments,
        createdAt: services.clock(),
        updatedAt: services.clock(),
      })
      .returning();
    if (!created) throw new Error('template insert returned nothing');
    return created;
  });
  return { ...templateView(row, await fileRefs(db, [row])), warnings: [...warnings] };
}

/** Changes the fields sent; the template as it then is must pass the same checks as a new one. */
export async function updateTemplate(services: Services, id: number, patch: TemplatePatch): Promise<Template & { warnings: string[] }> {
  const { db } = services.database;
  const current = await findRow(db, id);
  const next = {
    subject: patch.subject ?? current.subject,
    format: patch.format ?? current.format,
    content: patch.content ?? current.content,
    preheader: patch.preheader === undefined ? current.preheader : emptyToNull(patch.preheader),
  };
  const { warnings } = compileTemplate(next);
  if (patch.mailboxId !== undefined) await checkMailbox(db, patch.mailboxId);
  const row = await db.transaction(async (tx) => {
    const attachments = patch.attachments === undefined ? undefined : await attachmentRows(services, tx, patch.attachments);
    const [updated] = await tx
      .update(templates)
      .set({
        ...next,
        name: patch.name,
        mailboxId: patch.mailboxId,
        hidden: patch.hidden,
        language: patch.language,
        attachments,
        updatedAt: services.clock(),
      })
      .where(eq(templates.id, id))
      .returning();
    if (!updated) throw new AppError('TEMPLATE_NOT_FOUND', `There is no template ${id}`);
    return updated;
  });
  return { ...templateView(row, await fileRefs(db, [row])), warnings: [...warnings] };
}

/** Removes a template; messages sent with it keep its name (order_messages.template_name) and lose the link. */
export async function deleteTemplate(services: Services, id: number): Promise<void> {
  const [deleted] = await services.database.db.delete(templates).where(eq(templates.id, id)).returning({ id: templates.id });
  if (!deleted) throw new AppError('TEMPLATE_NOT_FOUND', `There is no template ${id}`);
}

/** The message a template makes for an order, as it would be sent now (attachments listed, not returned). */
export async function previewTemplate(services: Services, id: number, orderId: number): Promise<RenderedTemplate> {
  const row = await findRow(services.database.db, id);
  const message = await renderForOrder(services, row, orderId);
  return {
    ...message,
    attachments: message.attachments.map((file) => ({ filename: file.filename, contentType: file.contentType, size: file.content.length })),
  };
}

async function findRow(db: Queryable, id: number): Promise<TemplateRow> {
  const [row] = await db.select().from(templates).where(eq(templates.id, id));
  if (!row) throw new AppError('TEMPLATE_NOT_FOUND', `There is no template ${id}`);
  return row;
}

async function checkMailbox(db: Queryable, mailboxId: number | null): Promise<void> {
  if (mailboxId === null) return;
  const [found] = await db.select({ id: mailboxes.id }).from(mailboxes).where(eq(mailboxes.id, mailboxId));
  if (!found) throw new AppError('MAILBOX_NOT_FOUND', `There is no mailbox ${mailboxId}`, 'mailboxId');
}

/**
 * The attachments as stored: new files checked by their content and saved,
 * files stored before checked again by their content (they may have been
 * stored for another purpose), the order's documents as they are.
 */
async function attachmentRows(services: Services, tx: Tx, inputs: TemplateAttachmentInput[]): Promise<TemplateAttachmentRow[]> {
  const rows: TemplateAttachmentRow[] = [];
  for (const [index, input] of inputs.entries()) {
    const field = `attachments[${index}]`;
    if (input.kind !== 'file') {
      rows.push(input.name === undefined ? { kind: input.kind } : { kind: input.kind, name: input.name });
      continue;
    }
    if (input.file) {
      const file = decodeUpload(input.file, `${field}.file`, attachmentKinds, services.config.FILE_MAX_BYTES);
      rows.push({ kind: 'file', fileId: await storeFile(tx, file), name: input.name });
      continue;
    }
    const fileId = input.fileId ?? 0;
    const [stored] = await tx.select({ content: files.content }).from(files).where(eq(files.id, fileId));
    if (!stored) throw new AppError('FILE_NOT_FOUND', `There is no file ${fileId}`, `${field}.fileId`);
    const kind = sniffFileKind(stored.content);
    if (!kind || !attachmentKinds.includes(kind)) {
      const what = describeRefusedFile(stored.content);
      throw new AppError(
        'FILE_TYPE_NOT_ALLOWED',
        `File ${fileId} is ${what ?? 'not a PDF, image, office document or text'}`,
        `${field}.fileId`,
      );
    }
    rows.push({ kind: 'file', fileId, name: input.name });
  }
  return rows;
}

async function fileRefs(db: Queryable, rows: TemplateRow[]): Promise<Map<number, FileRef>> {
  const ids = [...new Set(rows.flatMap((row) => row.attachments.flatMap((a) => (a.kind === 'file' ? [a.fileId] : []))))];
  if (ids.length === 0) return new Map();
  const refs = await db
    .select({ id: files.id, filename: files.filename, contentType: files.contentType, size: files.size })
    .from(files)
    .where(sql`${files.id} = any(${sql.param(ids)}::int[])`);
  return new Map(refs.map((ref) => [ref.id, ref]));
}

function templateView(row: TemplateRow, refs: ReadonlyMap<number, FileRef>): Template {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    format: row.format,
    content: row.content,
    preheader: row.preheader,
    mailboxId: row.mailboxId,
    hidden: row.hidden,
    language: row.language,
    attachments: row.attachments.map((attachment) => {
      if (attachment.kind !== 'file') return { kind: attachment.kind, name: attachment.name ?? null };
      const file = refs.get(attachment.fileId) ?? { id: attachment.fileId, filename: '', contentType: 'application/octet-stream', size: 0 };
      return { kind: 'file', name: attachment.name, file };
    }),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}
