import { z } from 'zod';
import { historyKind } from './sending.js';
import { decimalInteger, emailAddress, fileRef, isoDateTime, multilineText, text, unicodeString } from './common.js';

/** Where a history item went or came from; `page` (order page) and `sms` come later. */
export const messageChannel = z.enum(['email', 'note', 'sms', 'page']);
/** `out` to the customer, `in` from the customer, `internal` never leaves the shop. */
export const messageDirection = z.enum(['out', 'in', 'internal']);
/**
 * queued → sending → sent | failed for outgoing e-mail; `held` waits for a
 * mailbox; `stored` for what needs no delivery (notes, filed e-mails, page-only messages).
 */
export const messageStatus = z.enum(['queued', 'sending', 'sent', 'failed', 'held', 'stored']);

const party = z.object({ address: z.string(), name: z.string().nullable() });

/**
 * One item of an order's correspondence history, the same shape for every
 * channel: outgoing e-mails, e-mails filed by an agent, internal notes (and
 * later SMS and order-page messages).
 */
export const historyItem = z.object({
  id: z.number().int(),
  orderId: z.number().int(),
  channel: messageChannel,
  direction: messageDirection,
  /**
   * The seed's message kind of an outgoing message; `internal` for notes;
   * `customer_notification` for the e-mail telling the shop about a customer's
   * order-page message; null for filed e-mails and the customer's own messages
   * (channel page, direction in).
   */
  kind: historyKind.nullable(),
  status: messageStatus,
  from: party.nullable(),
  to: z.string().nullable(),
  /**
   * Outgoing only: `to` is not the order's current e-mail (compared
   * case-insensitively), so the order page shows where it went.
   */
  toDiffersFromOrder: z.boolean(),
  replyTo: z.string().nullable(),
  subject: z.string().nullable(),
  /** The plain text: a note, a filed e-mail's text, or what was sent (rendered content). */
  text: z.string().nullable(),
  /** Outgoing: the exact HTML sent. Filed e-mails: the HTML as filed — kept, never rendered by Orderpost. */
  html: z.string().nullable(),
  preheader: z.string().nullable(),
  /**
   * A file the customer attached on the order page (on their message and its notification); download with
   * GET /v1/files/{id}. Read as null from an API that predates it.
   */
  attachment: fileRef.nullable().default(null),
  /** The template's display name at send time (internal; the customer never sees it). */
  templateName: z.string().nullable(),
  /** Without angle brackets. */
  messageId: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** When it happened: sent, the filed e-mail's own date, or when the note was written; null while not sent yet. */
  occurredAt: z.string().nullable(),
  createdAt: z.string(),
  /** The API token that wrote it (an agent, an integration, an admin); null for automatic messages. */
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
});
export type HistoryItem = z.infer<typeof historyItem>;

export const historyQuery = z
  .strictObject({
    limit: decimalInteger(1, 200).default(50),
    /** `nextCursor` of the previous page. */
    after: unicodeString().max(200).optional(),
    channel: messageChannel.optional(),
    /** Only the newest this many items (still newest last), in one call: what the add-on shows beside an e-mail. */
    latest: decimalInteger(1, 200).optional(),
  })
  .refine((query) => query.latest === undefined || query.after === undefined, {
    message: 'give either "latest" or "after", not both',
    path: ['latest'],
  });

export const historyPage = z.object({
  /** Oldest first, newest last. */
  messages: z.array(historyItem),
  /** Pass as `after` for the next (newer) page; null on the last page. */
  nextCursor: z.string().nullable(),
});

/** Limits of a filed e-mail, in characters. */
export const filedEmailLimits = { text: 100_000, html: 400_000, subject: 998, messageId: 998 } as const;

/** A Message-ID as written in a header, with or without its angle brackets: stored without them. */
const messageIdHeader = text(filedEmailLimits.messageId)
  .transform((value) => value.replace(/^<|>$/g, '').trim())
  .refine((value) => /^[^\s<>]+$/.test(value), 'must be a Message-ID such as <abc@mail.example.com>');

/** An incoming e-mail an agent files into the order's history (the add-on does it for the displayed message). */
export const filedEmailInput = z.strictObject({
  from: z.strictObject({ address: emailAddress(320), name: text(300).optional() }),
  to: emailAddress(320).optional(),
  subject: text(filedEmailLimits.subject).default(''),
  /** The e-mail's Date; when it is absent, the time of filing. */
  date: isoDateTime.optional(),
  text: multilineText(filedEmailLimits.text),
  /** Stored as it came; Orderpost never renders it. */
  html: multilineText(filedEmailLimits.html).optional(),
  messageId: messageIdHeader.optional(),
});
export type FiledEmailInput = z.infer<typeof filedEmailInput>;

export const noteLimits = { text: 10_000 } as const;

/** An internal note: seen by the shop only, never sent to the customer. */
export const noteInput = z.strictObject({
  text: multilineText(noteLimits.text).refine((value) => value.trim().length > 0, 'must not be empty'),
});
export type NoteInput = z.infer<typeof noteInput>;

/** The `Idempotency-Key` request header: 1–255 visible ASCII characters, unique per token for 24 hours. */
export const idempotencyKey = unicodeString().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters');
