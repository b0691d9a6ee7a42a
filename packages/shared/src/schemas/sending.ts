import { z } from 'zod';
import { emailAddress, maxId, multilineText, requiredText } from './common.js';

/**
 * How a message reaches the customer (the seed's options when sending from an
 * order): on the order page and by e-mail with its content; on the order page
 * with an e-mail that only says there is a message and links to the page; on
 * the order page only; by e-mail only; or internal (the seller's eyes only,
 * never sent).
 */
export const messageKinds = ['page_and_email', 'page_and_email_notice', 'page_only', 'email_only', 'internal'] as const;
export const messageKind = z.enum(messageKinds);
export type MessageKindName = z.infer<typeof messageKind>;

/**
 * What a history item can be besides the kinds above: `customer_notification`
 * is the e-mail telling the shop (its notification address) that the customer
 * wrote on the order page (channel email, direction internal). It is never
 * sent through the send API.
 */
export const historyKinds = [...messageKinds, 'customer_notification'] as const;
export const historyKind = z.enum(historyKinds);
export type HistoryKindName = z.infer<typeof historyKind>;

/** Kinds that send an e-mail. */
export const emailKinds: readonly MessageKindName[] = ['page_and_email', 'page_and_email_notice', 'email_only'];

const id = z.number().int().min(1).max(maxId);

/**
 * Send one message for an order: a template (rendered by the worker with the
 * order as it is at send time) or free text (sent as written: tags are not
 * read in it). Recipient: the order's e-mail unless `to` is given. Mailbox:
 * `mailboxId` > the template's > the default one.
 */
export const sendMessageInput = z
  .strictObject({
    kind: messageKind.default('page_and_email'),
    templateId: id.optional(),
    subject: requiredText(250).optional(),
    text: multilineText(25_000).optional(),
    to: emailAddress(254).optional(),
    mailboxId: id.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.templateId === undefined) {
      if (value.text === undefined || value.text.trim() === '')
        ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required without templateId', params: { code: 'REQUIRED_FIELD' } });
      if (value.subject === undefined && value.kind !== 'internal' && value.kind !== 'page_only')
        ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is required without templateId', params: { code: 'REQUIRED_FIELD' } });
    } else if (value.text !== undefined || value.subject !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'give either templateId or subject and text, not both' });
    }
  });
export type SendMessageInput = z.infer<typeof sendMessageInput>;

/** A bulk send: one template to up to 10,000 orders. */
export const batchSendInput = z.strictObject({
  templateId: id,
  orderIds: z.array(id).min(1).max(10_000),
  kind: messageKind.default('page_and_email'),
  mailboxId: id.optional(),
});
export type BatchSendInput = z.infer<typeof batchSendInput>;

export const batchSkipReasons = ['order_not_found', 'order_archived', 'no_email', 'duplicate', 'render_failed'] as const;

/** Progress of a bulk send while it runs; `done` once nothing is queued or being sent. */
export const batchProgress = z.object({
  id: z.number().int(),
  templateId: z.number().int().nullable(),
  kind: messageKind,
  requested: z.number().int(),
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  /** Waiting for a mailbox: none is configured that could send. */
  held: z.number().int(),
  /** Kinds that send no e-mail are stored at once. */
  stored: z.number().int(),
  skipped: z.array(z.object({ orderId: z.number().int(), reason: z.enum(batchSkipReasons) })),
  done: z.boolean(),
  createdAt: z.string(),
});
export type BatchProgress = z.infer<typeof batchProgress>;

/** Send a template, rendered for an order (or with sample data), to any address: to see it as a customer will. */
export const testSendInput = z.strictObject({
  to: emailAddress(254),
  orderId: id.optional(),
});

export const testSendResult = z.object({
  ok: z.boolean(),
  /** Message-ID of the test message, when sent. */
  messageId: z.string().nullable(),
  /** The mailbox that sent it: an id, or "default". */
  via: z.union([z.number().int(), z.literal('default')]).nullable(),
  /** Why it failed, as the SMTP server or the connection said. */
  error: z.string().nullable(),
});
