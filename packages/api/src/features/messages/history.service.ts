import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { type FiledEmailInput, type HistoryItem, type historyQuery, journalTypes, type NoteInput } from '@orderpost/shared';
import type { z } from 'zod';
import type { Queryable, Tx } from '../../db/client.js';
import { apiTokens, files, orderMessages, orders } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { writeJournal } from '../journal/journal.writer.js';
import { normalizeMessageId } from '../match/match.lookup.js';
import { ownDomains, recordFeedback } from '../match/match.service.js';
import { lockOrder } from '../orders/orders.repository.js';
import type { Caller } from '../tokens/token-cache.js';

type MessageRow = typeof orderMessages.$inferSelect;

/** Where an item stands in the history: when it happened (or, not sent yet, when it was written), then its id. */
const happenedAt = sql`coalesce(${orderMessages.occurredAt}, ${orderMessages.createdAt})`;

/** The columns a history item is made of: the message, the order's current e-mail and the writer's token name. */
const itemColumns = {
  message: orderMessages,
  orderEmail: orders.buyerEmail,
  tokenName: apiTokens.name,
  attachment: { id: files.id, filename: files.filename, contentType: files.contentType, size: files.size },
  /** The sort key in PostgreSQL's own text form (microseconds and offset kept), for the cursor. */
  at: sql<string>`(${happenedAt})::text`,
};

function selectItems(db: Queryable, where: SQL | undefined) {
  return db
    .select(itemColumns)
    .from(orderMessages)
    .innerJoin(orders, eq(orders.id, orderMessages.orderId))
    .leftJoin(apiTokens, eq(apiTokens.id, orderMessages.createdBy))
    .leftJoin(files, eq(files.id, orderMessages.attachmentFileId))
    .where(where);
}

function sameAddress(a: string, b: string | null): boolean {
  return b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
}

type AttachmentColumns = { id: number | null; filename: string | null; contentType: string | null; size: number | null } | null;

function historyItemOf(row: {
  message: MessageRow;
  orderEmail: string | null;
  tokenName: string | null;
  attachment: AttachmentColumns;
}): HistoryItem {
  const file = row.attachment;
  const m = row.message;
  return {
    id: m.id,
    orderId: m.orderId,
    channel: m.channel,
    direction: m.direction,
    kind: m.kind ?? null,
    status: m.status,
    from: m.fromAddress ? { address: m.fromAddress, name: m.fromName ?? null } : null,
    to: m.toAddress ?? null,
    toDiffersFromOrder: m.direction === 'out' && m.toAddress !== null && !sameAddress(m.toAddress, row.orderEmail),
    replyTo: m.replyTo ?? null,
    subject: m.subject ?? null,
    text: m.text ?? null,
    html: m.html ?? null,
    preheader: m.preheader ?? null,
    attachment:
      file?.id != null ? { id: file.id, filename: file.filename ?? '', contentType: file.contentType ?? '', size: file.size ?? 0 } : null,
    templateName: m.templateName ?? null,
    messageId: m.messageId ?? null,
    attempts: m.attempts,
    lastError: m.lastError ?? null,
    occurredAt: m.occurredAt ? m.occurredAt.toISOString() : null,
    createdAt: m.createdAt.toISOString(),
    createdBy: m.createdBy !== null && row.tokenName !== null ? { id: m.createdBy, name: row.tokenName } : null,
  };
}

/** One history item as the API shows it (also for the send routes' answers). */
export async function loadHistoryItem(db: Queryable, id: number): Promise<HistoryItem> {
  const [row] = await selectItems(db, eq(orderMessages.id, id));
  if (!row) throw new AppError('MESSAGE_NOT_FOUND', `There is no message ${id}`);
  return historyItemOf(row);
}

function encodeCursor(at: string, id: number): string {
  return Buffer.from(JSON.stringify({ at, id })).toString('base64url');
}

/** PostgreSQL's text form of a timestamptz, as encodeCursor got it. */
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

function decodeCursor(cursor: string): { at: string; id: number } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    const { at, id } = value;
    if (
      typeof at === 'string' &&
      PG_TIMESTAMP.test(at) &&
      typeof id === 'number' &&
      Number.isInteger(id) &&
      id > 0 &&
      id <= 2_147_483_647
    ) {
      return { at, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('INVALID_CURSOR', 'The cursor is not one this API gave out', 'after');
}

/**
 * The order's history, oldest first and newest last: by when each item
 * happened (sent, the filed e-mail's own date, the note written; not sent yet:
 * when it was written), then by id. Archived orders are readable too.
 */
export async function listHistory(services: Services, orderId: number, query: z.infer<typeof historyQuery>) {
  const { db } = services.database;
  const after = query.after === undefined ? undefined : decodeCursor(query.after);
  const [order] = await db.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId));
  if (!order) throw new AppError('ORDER_NOT_FOUND', `There is no order ${orderId}`);
  const where = and(
    eq(orderMessages.orderId, orderId),
    query.channel ? eq(orderMessages.channel, query.channel) : undefined,
    after ? sql`(${happenedAt}, ${orderMessages.id}) > (${after.at}::timestamptz, ${after.id})` : undefined,
  );
  if (query.latest !== undefined) {
    const newest = await selectItems(db, where).orderBy(desc(happenedAt), desc(orderMessages.id)).limit(query.latest);
    return { messages: newest.reverse().map(historyItemOf), nextCursor: null };
  }
  const rows = await selectItems(db, where)
    .orderBy(asc(happenedAt), asc(orderMessages.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    messages: page.map(historyItemOf),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.at, last.message.id) : null,
  };
}

/**
 * Files an incoming e-mail into the order's history and teaches the matcher
 * its thread and sender (as POST /v1/match/links does), inside the caller's
 * transaction. The same Message-ID filed into the same order again answers the
 * item already there (`created: false`); another order may file it too (one
 * e-mail can be about two orders).
 */
export async function fileEmail(
  services: Services,
  tx: Tx,
  caller: Caller,
  orderId: number,
  input: FiledEmailInput,
): Promise<{ item: HistoryItem; created: boolean }> {
  const settings = await services.settings.get();
  await lockOrder(tx, orderId);
  const messageIdNorm = input.messageId ? normalizeMessageId(input.messageId) : null;
  if (messageIdNorm) {
    const [existing] = await tx
      .select({ id: orderMessages.id })
      .from(orderMessages)
      .where(and(eq(orderMessages.orderId, orderId), eq(orderMessages.channel, 'email'), eq(orderMessages.messageIdNorm, messageIdNorm)))
      .orderBy(asc(orderMessages.id))
      .limit(1);
    if (existing) return { item: await loadHistoryItem(tx, existing.id), created: false };
  }
  const [row] = await tx
    .insert(orderMessages)
    .values({
      orderId,
      channel: 'email',
      direction: 'in',
      status: 'stored',
      fromAddress: input.from.address,
      fromName: input.from.name || null,
      toAddress: input.to ?? null,
      subject: input.subject,
      text: input.text,
      html: input.html ?? null,
      messageId: input.messageId ?? null,
      messageIdNorm,
      occurredAt: input.date ? new Date(input.date) : services.clock(),
      createdBy: caller.tokenId,
    })
    .returning({ id: orderMessages.id });
  if (!row) throw new Error('inserting the filed e-mail returned no row');
  // Mail from the shop's own domains (a colleague forwarding it) names no buyer: only the thread is learnt then.
  const senderDomain = input.from.address.split('@')[1]?.toLowerCase() ?? '';
  const ownSender = ownDomains(settings).includes(senderDomain);
  await recordFeedback(tx, caller, 'link', {
    orderId,
    messageId: input.messageId,
    sender: ownSender ? undefined : input.from.address,
  });
  const item = await loadHistoryItem(tx, row.id);
  await writeJournal(tx, [
    {
      type: journalTypes.EMAIL_FILED,
      orderId,
      data: { orderMessageId: row.id, messageId: input.messageId ?? null, from: input.from.address, subject: input.subject },
    },
  ]);
  return { item, created: true };
}

/** Adds an internal note (seen by the shop only; nothing is sent) inside the caller's transaction. */
export async function addNote(services: Services, tx: Tx, caller: Caller, orderId: number, input: NoteInput): Promise<HistoryItem> {
  await lockOrder(tx, orderId);
  const [row] = await tx
    .insert(orderMessages)
    .values({
      orderId,
      channel: 'note',
      direction: 'internal',
      kind: 'internal',
      status: 'stored',
      text: input.text,
      occurredAt: services.clock(),
      createdBy: caller.tokenId,
    })
    .returning({ id: orderMessages.id });
  if (!row) throw new Error('inserting the note returned no row');
  const item = await loadHistoryItem(tx, row.id);
  await writeJournal(tx, [{ type: journalTypes.NOTE_ADDED, orderId, data: { orderMessageId: row.id } }]);
  return item;
}
