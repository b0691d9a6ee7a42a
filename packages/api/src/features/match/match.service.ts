import { asc, eq } from 'drizzle-orm';
import { journalTypes, type MatchRequest, type MatchResult, type sentMessageInput } from '@orderpost/shared';
import { extractIdentifiers, type ExtractedIdentifiers } from '@orderpost/shared/extract/index';
import { canonicalEmail, relayIdentity } from '@orderpost/shared/normalize/index';
import type { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { matchFeedback, orderMessages, sentMessages } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import type { Caller } from '../tokens/token-cache.js';
import { writeJournal } from '../journal/journal.writer.js';
import { getOrder, lockOrder } from '../orders/orders.repository.js';
import { bareMessageId, findHits, lookupKeys, normalizeMessageId } from './match.lookup.js';
import { rankCandidates } from './match.rank.js';

/** The shop's own domains (those of its reply-to and notification addresses): mail from them names no buyer. */
export function ownDomains(settings: { replyToEmail: string | null; notificationEmail: string | null }): string[] {
  const addresses = [settings.replyToEmail, settings.notificationEmail];
  return [...new Set(addresses.flatMap((a) => (a?.includes('@') ? [a.split('@')[1]?.toLowerCase() ?? ''] : [])).filter(Boolean))];
}

export async function matchOrders(services: Services, request: MatchRequest): Promise<MatchResult> {
  const settings = await services.settings.get();
  const identifiers: ExtractedIdentifiers = request.message
    ? extractIdentifiers(request.message, {
        defaultCountry: settings.defaultCountry,
        ownDomains: ownDomains(settings),
      })
    : (request.identifiers as ExtractedIdentifiers);
  const keys = lookupKeys(identifiers, request.messageId ?? request.message?.messageId);
  const hits = await findHits(services.database, keys);
  return { candidates: rankCandidates(identifiers, hits, request.limit) };
}

export interface FeedbackInput {
  orderId: number;
  messageId?: string;
  sender?: string;
}

/**
 * Writes what an agent taught the matcher inside the caller's transaction (the
 * order locked, the journal row the caller's): the thread and the sender are
 * separate facts, so unlinking one sender later leaves the thread link standing.
 */
export async function recordFeedback(tx: Tx, caller: Caller, kind: 'link' | 'unlink', input: FeedbackInput): Promise<void> {
  const messageIdNorm = input.messageId ? normalizeMessageId(input.messageId) : null;
  const senderCanonical = input.sender ? (relayIdentity(input.sender) ?? canonicalEmail(input.sender)) : null;
  const rows = [];
  if (messageIdNorm) rows.push({ orderId: input.orderId, kind, messageIdNorm, senderCanonical: null, createdBy: caller.tokenId });
  if (senderCanonical) rows.push({ orderId: input.orderId, kind, messageIdNorm: null, senderCanonical, createdBy: caller.tokenId });
  if (rows.length > 0) await tx.insert(matchFeedback).values(rows);
}

/** Records that an e-mail belongs (link) or does not belong (unlink) to an order, and journals it. */
export async function teachMatcher(services: Services, caller: Caller, kind: 'link' | 'unlink', input: FeedbackInput) {
  return services.database.db.transaction(async (tx) => {
    await lockOrder(tx, input.orderId, { allowArchived: kind === 'unlink' });
    await recordFeedback(tx, caller, kind, input);
    await writeJournal(tx, [
      {
        type: kind === 'link' ? journalTypes.EMAIL_LINKED : journalTypes.EMAIL_UNLINKED,
        orderId: input.orderId,
        data: { messageId: input.messageId ?? null, sender: input.sender ?? null },
      },
    ]);
    return { orderId: input.orderId, kind, messageId: input.messageId ?? null, sender: input.sender ?? null };
  });
}

function sentMessageView(row: typeof sentMessages.$inferSelect) {
  return {
    id: row.id,
    orderId: row.orderId,
    messageId: row.messageId,
    subject: row.subject,
    sentAt: row.sentAt.toISOString(),
    origin: row.origin,
  };
}

/** Records an e-mail sent for the order by someone else (a shop, a marketplace tool), so replies to it match. */
export async function recordSentMessage(
  services: Services,
  orderId: number,
  input: z.input<typeof sentMessageInput>,
  caller: Caller | null = null,
) {
  const messageId = bareMessageId(input.messageId);
  const messageIdNorm = normalizeMessageId(messageId);
  const sentAt = new Date(input.sentAt);
  const subject = input.subject ?? '';
  return services.database.db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    const [row] = await tx
      .insert(sentMessages)
      .values({ orderId, messageId, messageIdNorm, subject, sentAt, origin: 'external' })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('DUPLICATE_MESSAGE_ID', `The Message-ID <${messageId}> is already recorded`, 'messageId');
    // It was sent: the order's correspondence history shows it like the e-mails Orderpost sends itself.
    await tx.insert(orderMessages).values({
      orderId,
      channel: 'email',
      direction: 'out',
      kind: 'email_only',
      status: 'sent',
      sentVia: 'external',
      fromAddress: input.from ?? null,
      toAddress: input.to ?? order.buyerEmail,
      subject,
      text: input.text ?? null,
      messageId,
      messageIdNorm,
      occurredAt: sentAt,
      createdBy: caller?.tokenId ?? null,
      createdAt: services.clock(),
      updatedAt: services.clock(),
    });
    await writeJournal(tx, [{ type: journalTypes.MESSAGE_RECORDED, orderId, data: { sentMessageId: row.id, messageId, subject } }]);
    return sentMessageView(row);
  });
}

/** The e-mails recorded as sent for an order, oldest first (the order must exist). */
export async function listSentMessages(services: Services, orderId: number) {
  const { db } = services.database;
  await getOrder(db, orderId);
  const rows = await db.select().from(sentMessages).where(eq(sentMessages.orderId, orderId)).orderBy(asc(sentMessages.sentAt));
  return rows.map(sentMessageView);
}
