import { createHash } from 'node:crypto';
import { journalTypes } from '@orderpost/shared';
import { eq, sql } from 'drizzle-orm';
import { orderMessages, orders, rateLimits } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { storeFile } from '../files/file-content.js';
import { writeJournal } from '../journal/journal.writer.js';
import { normalizeMessageId } from '../match/match.lookup.js';
import { messageIdDomain, newMessageId, recordMessageIds } from '../messages/send.service.js';
import { lockOrder } from '../orders/orders.repository.js';
import type { CustomerMessageInput } from './form.input.js';
import { oneLine, renderNotification } from './notification.js';
import { lookupKey } from './page.service.js';

/** The order behind a page token, with what the form and the notification need. */
export type PageOrder = Awaited<ReturnType<typeof findPageOrder>> & {};

const pageOrderColumns = {
  id: orders.id,
  number: orders.number,
  pageToken: orders.pageToken,
  archivedAt: orders.archivedAt,
  buyerLogin: orders.buyerLogin,
  buyerName: orders.buyerName,
  buyerEmail: orders.buyerEmail,
  buyerPhone: orders.buyerPhone,
};

/** The order whose page this token opens, or null (one indexed look-up, whatever the token looks like). */
export async function findPageOrder(services: Services, pageToken: string) {
  const [row] = await services.database.db
    .select(pageOrderColumns)
    .from(orders)
    .where(eq(orders.pageToken, lookupKey(pageToken)))
    .limit(1);
  return row && row.pageToken !== null ? { ...row, pageToken: row.pageToken } : null;
}

export interface StoredCustomerMessage {
  messageId: number;
  /** The notification e-mail's history item; it is `failed` when no notification address is set. */
  notificationId: number;
  notified: boolean;
}

/** One submission of one rendered form: its form token and exactly what it carried. */
function submissionKey(formToken: string, input: CustomerMessageInput): string {
  const hash = createHash('sha256').update(formToken).update('\0').update(input.text).update('\0');
  if (input.attachment) hash.update(input.attachment.filename).update('\0').update(input.attachment.bytes);
  return hash.digest('base64url');
}

/**
 * Stores a customer's message from the order page, all in one transaction:
 * the attachment (files), the message in the order's history (channel page,
 * direction in), the shop's notification e-mail (kind customer_notification,
 * direction internal, rendered now, its Message-ID recorded for the matcher)
 * with its delivery job, and the CUSTOMER_MESSAGE journal row last. Either all
 * of it exists or none; the worker sends the notification, retrying while the
 * mail server is down.
 *
 * A repeat of the same submission (same form token and content) stores
 * nothing and answers null: the customer sees "sent" once more.
 *
 * Without a notification address the message is still stored; its
 * notification is recorded as `failed` with the reason, so the history shows
 * that nobody was told by e-mail (and the journal row says `notified: false`).
 */
export async function storeCustomerMessage(
  services: Services,
  order: PageOrder,
  input: CustomerMessageInput,
  formToken: string,
): Promise<StoredCustomerMessage | null> {
  // Outside the transaction: on PGlite a read beside an open transaction would wait for it.
  await services.queue.ready();
  const settings = await services.settings.get();
  const domain = messageIdDomain(settings, services.config.MAIL_FROM);
  const notifyTo = settings.notificationEmail;
  return services.database.db.transaction(async (tx) => {
    // Locked and read again: an order archived since the page was shown takes no more messages (ORDER_ARCHIVED).
    const current = await lockOrder(tx, order.id);
    // Rotated since the token was looked up (the admin's rotation held the row until now): the old page is gone,
    // and so is its form — the same 404 as any unknown token, and the notification never links a dead page.
    if (current.pageToken !== order.pageToken) throw new AppError('ORDER_NOT_FOUND', 'There is no order page at this address');
    // The same form sent again with the same content (a double click, a post the browser repeats) is stored once:
    // its key is kept with the rate-limit counters (pruned after two days, past the form token's life) in this
    // transaction, so a post that fails leaves none, and a second post waits for the first to commit.
    const [first] = await tx
      .insert(rateLimits)
      .values({ key: `page-form:once:${submissionKey(formToken, input)}`, windowStart: sql`now()`, count: 1 })
      .onConflictDoNothing()
      .returning({ key: rateLimits.key });
    if (!first) return null;
    const now = services.clock();
    const fileId = input.attachment ? await storeFile(tx, input.attachment) : null;
    const buyer = {
      id: current.id,
      number: current.number,
      pageToken: order.pageToken,
      buyerLogin: current.buyerLogin,
      buyerName: current.buyerName,
      buyerEmail: current.buyerEmail,
      buyerPhone: current.buyerPhone,
    };
    const [message] = await tx
      .insert(orderMessages)
      .values({
        orderId: current.id,
        channel: 'page',
        direction: 'in',
        kind: null,
        status: 'stored',
        fromAddress: current.buyerEmail,
        fromName: current.buyerName,
        text: input.text,
        attachmentFileId: fileId,
        occurredAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!message) throw new Error('inserting the customer message returned no row');
    const rendered = renderNotification(settings, buyer, {
      text: input.text,
      attachment: input.attachment
        ? { filename: input.attachment.filename, contentType: input.attachment.contentType, size: input.attachment.bytes.length }
        : null,
    });
    const emailMessageId = notifyTo ? newMessageId(current.id, domain) : null;
    const [notification] = await tx
      .insert(orderMessages)
      .values({
        orderId: current.id,
        channel: 'email',
        direction: 'internal',
        kind: 'customer_notification',
        status: notifyTo ? 'queued' : 'failed',
        toAddress: notifyTo,
        replyTo: current.buyerEmail ? oneLine(current.buyerEmail) : null,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId: emailMessageId,
        messageIdNorm: emailMessageId ? normalizeMessageId(emailMessageId) : null,
        attachmentFileId: fileId,
        lastError: notifyTo ? null : 'No notification address is set (settings: notificationEmail): the shop was not told by e-mail',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!notification) throw new Error('inserting the notification returned no row');
    if (notifyTo) {
      await recordMessageIds(tx, [notification], now);
      await services.queue.enqueue(tx, 'deliverEmail', [{ data: { messageId: notification.id } }]);
    } else {
      services.logger.warn({ orderId: current.id, messageId: message.id }, 'customer message stored; no notification address is set');
    }
    await writeJournal(tx, [
      {
        type: journalTypes.CUSTOMER_MESSAGE,
        orderId: current.id,
        data: {
          messageId: message.id,
          notificationMessageId: notification.id,
          notified: notifyTo !== null,
          attachmentFileId: fileId,
        },
      },
    ]);
    return { messageId: message.id, notificationId: notification.id, notified: notifyTo !== null };
  });
}
