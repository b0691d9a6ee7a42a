import { randomBytes } from 'node:crypto';
import {
  type BatchProgress,
  type BatchSendInput,
  emailKinds,
  journalTypes,
  type MessageKindName,
  type SendMessageInput,
  type ShopSettings,
} from '@orderpost/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.js';
import { mailboxes, messageBatches, orderMessages, orders, sentMessages, templates } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import type { Caller } from '../tokens/token-cache.js';
import { type JournalEntry, writeJournal } from '../journal/journal.writer.js';
import { normalizeMessageId } from '../match/match.lookup.js';
import { type RenderedMessage, renderForOrders } from '../templates/templates.render.js';
import { lockOrder } from '../orders/orders.repository.js';

type MessageRow = typeof orderMessages.$inferSelect;
type NewMessageRow = typeof orderMessages.$inferInsert;

/**
 * The domain of our Message-IDs: the shop's own (public address, else its
 * reply-to address, else the default mailbox's From), so replies point back
 * at a name the shop owns, and the matcher finds the order through them.
 */
export function messageIdDomain(settings: ShopSettings, mailFrom: string | undefined): string {
  const fromUrl = settings.publicBaseUrl ? safeHost(settings.publicBaseUrl) : null;
  const fromAddress = (address: string | null | undefined) => address?.match(/@([^\s>@]+)>?\s*$/)?.[1]?.toLowerCase() ?? null;
  return fromUrl ?? fromAddress(settings.replyToEmail) ?? fromAddress(mailFrom) ?? 'orderpost.invalid';
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

/** `<order id>.<16 random bytes, base32-ish>@<domain>`: unique without asking the database, and says which order. */
export function newMessageId(orderId: number, domain: string): string {
  return `op.${orderId}.${randomBytes(12).toString('base64url')}@${domain}`;
}

interface Prepared {
  kind: MessageKindName;
  templateId: number | null;
  templateName: string | null;
  mailboxId: number | null;
  subject: string | null;
  body: string | null;
}

/** Which template, subject and mailbox a send uses: the request's mailbox > the template's > the default (null). */
async function prepare(tx: Tx, input: { kind: MessageKindName; templateId?: number; subject?: string; text?: string; mailboxId?: number }) {
  let template: { id: number; name: string; mailboxId: number | null } | undefined;
  if (input.templateId !== undefined) {
    [template] = await tx
      .select({ id: templates.id, name: templates.name, mailboxId: templates.mailboxId })
      .from(templates)
      .where(eq(templates.id, input.templateId));
    if (!template) throw new AppError('TEMPLATE_NOT_FOUND', `There is no template ${input.templateId}`, 'templateId');
  }
  if (input.mailboxId !== undefined) {
    const [found] = await tx.select({ id: mailboxes.id }).from(mailboxes).where(eq(mailboxes.id, input.mailboxId));
    if (!found) throw new AppError('MAILBOX_NOT_FOUND', `There is no mailbox ${input.mailboxId}`, 'mailboxId');
  }
  const prepared: Prepared = {
    kind: input.kind,
    templateId: template?.id ?? null,
    templateName: template?.name ?? null,
    mailboxId: input.mailboxId ?? template?.mailboxId ?? null,
    subject: input.subject ?? null,
    body: input.text ?? null,
  };
  return prepared;
}

function messageValues(
  prepared: Prepared,
  order: { id: number; buyerEmail: string | null },
  to: string | null,
  domain: string,
  caller: Caller | null,
  now: Date,
  batchId: number | null,
  rendered?: RenderedMessage,
): NewMessageRow {
  const sendsEmail = emailKinds.includes(prepared.kind);
  // "Page + e-mail without content": the e-mail is only a notice, so what the page shows is kept in `body`
  // (a template rendered before the transaction, as it reads now).
  const body = prepared.kind === 'page_and_email_notice' && rendered ? rendered.text : prepared.body;
  // Messages that are not e-mailed are stored as they read now (a template rendered before the transaction).
  const stored = sendsEmail
    ? // Free text reads in the history at once; a template's text is stored when the worker renders it.
      { text: body }
    : {
        subject: rendered?.subject ?? prepared.subject,
        text: rendered?.text ?? prepared.body,
        html: rendered?.html ?? null,
        preheader: rendered?.preheader ?? null,
      };
  const messageId = sendsEmail ? newMessageId(order.id, domain) : null;
  return {
    orderId: order.id,
    channel: sendsEmail ? 'email' : prepared.kind === 'internal' ? 'note' : 'page',
    direction: prepared.kind === 'internal' ? 'internal' : 'out',
    kind: prepared.kind,
    status: sendsEmail ? 'queued' : 'stored',
    templateId: prepared.templateId,
    templateName: prepared.templateName,
    mailboxId: sendsEmail ? prepared.mailboxId : null,
    toAddress: sendsEmail ? to : null,
    subject: prepared.subject,
    body,
    bodyFormat: body === null ? null : 'text',
    messageId,
    messageIdNorm: messageId ? normalizeMessageId(messageId) : null,
    ...stored,
    batchId,
    occurredAt: sendsEmail ? null : now,
    createdBy: caller?.tokenId ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Records the queued e-mails' Message-IDs where the matcher looks, so a reply
 * finds its order even while the message is still on its way.
 */
export async function recordMessageIds(tx: Tx, rows: MessageRow[], now: Date) {
  const values = rows
    .filter((row) => row.messageId && row.messageIdNorm)
    .map((row) => ({
      orderId: row.orderId,
      messageId: row.messageId as string,
      messageIdNorm: row.messageIdNorm as string,
      subject: row.subject ?? row.templateName ?? '',
      sentAt: now,
      origin: 'orderpost' as const,
    }));
  for (let start = 0; start < values.length; start += 2000) await tx.insert(sentMessages).values(values.slice(start, start + 2000));
}

/** Journal rows for messages that need no delivery (internal notes, order-page messages). */
function storedEntries(rows: MessageRow[]): JournalEntry[] {
  return rows
    .filter((row) => row.status === 'stored')
    .map((row) => ({
      type: row.kind === 'internal' ? journalTypes.NOTE_ADDED : journalTypes.ORDER_PAGE_MESSAGE,
      orderId: row.orderId,
      data: { messageId: row.id, kind: row.kind },
    }));
}

async function insertMessages(tx: Tx, values: NewMessageRow[]): Promise<MessageRow[]> {
  const rows: MessageRow[] = [];
  for (let start = 0; start < values.length; start += 1000) {
    rows.push(
      ...(await tx
        .insert(orderMessages)
        .values(values.slice(start, start + 1000))
        .returning()),
    );
  }
  return rows;
}

async function enqueueDeliveries(services: Services, tx: Tx, rows: MessageRow[]) {
  const jobs = rows.filter((row) => row.status === 'queued').map((row) => ({ data: { messageId: row.id } }));
  await services.queue.enqueue(tx, 'deliverEmail', jobs);
}

/** What a send needs before its transaction (read outside it: on PGlite a read beside an open transaction would wait for it). */
export interface SendContext {
  domain: string;
  /** Templates sent as order-page-only, notice or internal messages, rendered per order before the transaction. */
  rendered: Map<number, RenderedMessage | Error>;
}

export async function sendContext(
  services: Services,
  input?: { kind: MessageKindName; templateId?: number },
  orderIds: readonly number[] = [],
): Promise<SendContext> {
  await services.queue.ready();
  const settings = await services.settings.get();
  const domain = messageIdDomain(settings, services.config.MAIL_FROM);
  // Rendered now: what is stored as it reads (page-only and internal messages) and the page's copy of a notice message.
  const rendersNow = !emailKinds.includes(input?.kind ?? 'email_only') || input?.kind === 'page_and_email_notice';
  if (!input?.templateId || !rendersNow) return { domain, rendered: new Map() };
  // Rendered outside the transaction: the template's own reads (settings, orders) must not wait for it on PGlite.
  const [template] = await services.database.db.select().from(templates).where(eq(templates.id, input.templateId));
  if (!template) return { domain, rendered: new Map() };
  return { domain, rendered: await renderForOrders(services, template, orderIds, { attachments: false }) };
}

function renderedFor(context: SendContext, orderId: number): RenderedMessage | undefined {
  const rendered = context.rendered.get(orderId);
  if (rendered instanceof Error) throw rendered;
  return rendered;
}

/**
 * Sends one message for an order: the history row, the Message-ID and the
 * delivery job are written in the caller's transaction, so either all exist
 * or none. The worker renders and sends it.
 */
export async function sendMessage(
  services: Services,
  tx: Tx,
  context: SendContext,
  caller: Caller | null,
  orderId: number,
  input: SendMessageInput,
): Promise<MessageRow> {
  const order = await lockOrder(tx, orderId);
  const prepared = await prepare(tx, input);
  const to = input.to ?? order.buyerEmail;
  if (emailKinds.includes(prepared.kind) && !to) {
    throw new AppError('NO_RECIPIENT', `Order ${order.number} has no e-mail address; give one in "to"`, 'to');
  }
  const now = services.clock();
  const rows = await insertMessages(tx, [
    messageValues(prepared, order, to, context.domain, caller, now, null, renderedFor(context, order.id)),
  ]);
  await recordMessageIds(tx, rows, now);
  await enqueueDeliveries(services, tx, rows);
  await writeJournal(tx, storedEntries(rows));
  return rows[0] as MessageRow;
}

/**
 * A bulk send: one template to up to 10,000 orders in one transaction. Orders
 * that cannot get it are listed as skipped with the reason; the rest are
 * queued and the batch's progress is counted from their rows.
 */
export async function sendBatch(
  services: Services,
  tx: Tx,
  context: SendContext,
  caller: Caller | null,
  input: BatchSendInput,
): Promise<BatchProgress> {
  const { domain } = context;
  const batchId = await (async () => {
    const prepared = await prepare(tx, { kind: input.kind, templateId: input.templateId, mailboxId: input.mailboxId });
    const skipped: BatchProgress['skipped'] = [];
    const seen = new Set<number>();
    const ids = input.orderIds.filter((id) => {
      if (seen.has(id)) {
        skipped.push({ orderId: id, reason: 'duplicate' });
        return false;
      }
      seen.add(id);
      return true;
    });
    const found = await tx
      .select({ id: orders.id, buyerEmail: orders.buyerEmail, archivedAt: orders.archivedAt })
      .from(orders)
      .where(inArray(orders.id, ids))
      .orderBy(orders.id)
      .for('share');
    const byId = new Map(found.map((order) => [order.id, order]));
    const sendsEmail = emailKinds.includes(prepared.kind);
    const targets: { id: number; buyerEmail: string | null }[] = [];
    for (const id of ids) {
      const order = byId.get(id);
      if (!order) skipped.push({ orderId: id, reason: 'order_not_found' });
      else if (order.archivedAt) skipped.push({ orderId: id, reason: 'order_archived' });
      else if (sendsEmail && !order.buyerEmail) skipped.push({ orderId: id, reason: 'no_email' });
      else if (context.rendered.get(id) instanceof Error) skipped.push({ orderId: id, reason: 'render_failed' });
      else targets.push(order);
    }
    const now = services.clock();
    const [{ id: batchId }] = (await tx
      .insert(messageBatches)
      .values({
        templateId: prepared.templateId,
        kind: prepared.kind,
        mailboxId: prepared.mailboxId,
        requested: input.orderIds.length,
        skipped,
        createdBy: caller?.tokenId ?? null,
        createdAt: now,
      })
      .returning({ id: messageBatches.id })) as [{ id: number }];
    const rows = await insertMessages(
      tx,
      targets.map((order) =>
        messageValues(prepared, order, order.buyerEmail, domain, caller, now, batchId, renderedFor(context, order.id)),
      ),
    );
    await recordMessageIds(tx, rows, now);
    await enqueueDeliveries(services, tx, rows);
    await writeJournal(tx, storedEntries(rows));
    return batchId;
  })();
  return batchProgress(tx, batchId);
}

/** Where a bulk send stands: counts by status from its messages, and the orders skipped. */
export async function batchProgress(db: Queryable, batchId: number): Promise<BatchProgress> {
  const [batch] = await db.select().from(messageBatches).where(eq(messageBatches.id, batchId));
  if (!batch) throw new AppError('BATCH_NOT_FOUND', `There is no batch ${batchId}`);
  const counts = await db
    .select({ status: orderMessages.status, count: sql<number>`count(*)::int` })
    .from(orderMessages)
    .where(eq(orderMessages.batchId, batchId))
    .groupBy(orderMessages.status);
  const by = Object.fromEntries(counts.map((row) => [row.status, Number(row.count)])) as Record<string, number>;
  const count = (status: string) => by[status] ?? 0;
  return {
    id: batch.id,
    templateId: batch.templateId,
    kind: batch.kind,
    requested: batch.requested,
    queued: count('queued'),
    sending: count('sending'),
    sent: count('sent'),
    failed: count('failed'),
    held: count('held'),
    stored: count('stored'),
    skipped: batch.skipped as BatchProgress['skipped'],
    done: count('queued') + count('sending') === 0,
    createdAt: batch.createdAt.toISOString(),
  };
}
