import { z } from 'zod';
import { emailAddress, isoDateTime, multilineText, requiredText, text, unicodeString } from './common.js';
import { order } from './orders.js';
import { extractionLimits } from '../extract/limits.js';

const where = z.enum(['from', 'reply-to', 'to', 'cc', 'subject', 'body', 'quoted']);
const textWhere = z.enum(['subject', 'body', 'quoted']);

/** What the shared extractor found in a message (extractIdentifiers), as the add-on sends it. */
export const extractedIdentifiers = z.object({
  emails: z
    .array(
      z.object({
        address: unicodeString().max(320),
        canonical: unicodeString().max(320),
        relay: unicodeString().max(320).nullable(),
        name: unicodeString().max(300).nullable(),
        role: z.enum(['sender', 'recipient', 'mentioned']),
        where,
        quoted: z.boolean(),
      }),
    )
    .max(extractionLimits.emails),
  messageIds: z
    .array(z.object({ id: unicodeString().max(998), header: z.enum(['in-reply-to', 'references']) }))
    .max(extractionLimits.messageIds),
  tokens: z
    .array(
      z.object({
        raw: unicodeString().max(200),
        compact: unicodeString().max(200),
        where: textWhere,
        quoted: z.boolean(),
        context: z.enum(['keyword', 'tracking', 'invoice', 'bare']),
        kind: unicodeString().max(40),
      }),
    )
    .max(extractionLimits.tokens),
  phones: z
    .array(
      z.object({
        raw: unicodeString().max(100),
        e164: unicodeString().max(20).nullable(),
        /** Absent from extractors older than national look-ups. */
        national: unicodeString().max(20).optional(),
        where: textWhere,
        quoted: z.boolean(),
      }),
    )
    .max(extractionLimits.phones),
  logins: z.array(z.object({ login: unicodeString().max(200), where: textWhere, quoted: z.boolean() })).max(extractionLimits.logins),
  /** Not used by the API; accepted so an extractor result can be sent as it is. */
  rejected: z.array(z.unknown()).max(extractionLimits.rejected).optional(),
});

export const messageInputSchema = z.strictObject({
  from: unicodeString().max(2000).optional(),
  replyTo: unicodeString().max(2000).optional(),
  to: unicodeString().max(20000).optional(),
  cc: unicodeString().max(20000).optional(),
  messageId: unicodeString().max(998).optional(),
  inReplyTo: unicodeString().max(4000).optional(),
  references: unicodeString().max(64000).optional(),
  subject: unicodeString().max(2000).optional(),
  date: unicodeString().max(200).optional(),
  text: unicodeString().max(2_000_000).optional(),
  html: unicodeString().max(4_000_000).optional(),
});

/**
 * Either the identifiers the add-on extracted, or the message itself (the API
 * then extracts with the same shared code). `messageId` is the message's own
 * Message-ID, used for "linked by you".
 */
export const matchRequest = z
  .strictObject({
    messageId: unicodeString().max(998).optional(),
    identifiers: extractedIdentifiers.optional(),
    message: messageInputSchema.optional(),
    limit: z.number().int().min(1).max(50).default(10),
  })
  .refine((value) => (value.identifiers === undefined) !== (value.message === undefined), {
    message: 'send either identifiers or message',
    path: ['identifiers'],
  });
export type MatchRequest = z.infer<typeof matchRequest>;

export const confidence = z.enum(['high', 'medium', 'low']);
export type Confidence = z.infer<typeof confidence>;

export const matchSignal = z.enum([
  'reply-to-our-message',
  'our-own-message',
  'linked-by-you',
  'sender-is-buyer',
  'sender-is-buyer-relay',
  'sender-is-buyer-canonical',
  'buyer-email-in-text',
  'order-number',
  'marketplace-order-id',
  'tracking-number',
  'buyer-login',
  'buyer-phone',
  'buyer-name',
]);
export type MatchSignal = z.infer<typeof matchSignal>;

export const matchReason = z.object({
  signal: matchSignal,
  confidence,
  /** For a person: "replies to our e-mail 'Your order has been sent' of 3 Nov 2026". */
  text: z.string(),
  /** What was found (the number, address, Message-ID …). */
  value: z.string(),
});

/** The order as a candidate shows it: the order's own fields, a short form. */
export const matchedOrder = order
  .pick({ id: true, number: true, source: true, externalId: true, status: true, orderedAt: true, total: true, currency: true })
  .extend({ buyerName: z.string().nullable(), buyerEmail: z.string().nullable(), archived: z.boolean() });

export const matchCandidate = z.object({
  order: matchedOrder,
  /** high or medium: a claim; low: only a suggestion. */
  confidence,
  score: z.number(),
  reasons: z.array(matchReason),
});
export type MatchCandidate = z.infer<typeof matchCandidate>;

export const matchResult = z.object({ candidates: z.array(matchCandidate) });
export type MatchResult = z.infer<typeof matchResult>;

export const matchFeedbackInput = z
  .strictObject({
    orderId: z.number().int().positive().max(2_147_483_647),
    /** The e-mail's own Message-ID: later messages of its thread match too. */
    messageId: requiredText(998).optional(),
    /** The sender's address: later messages from it match too. */
    sender: emailAddress(320).optional(),
  })
  .refine((value) => value.messageId !== undefined || value.sender !== undefined, {
    message: 'give messageId, sender or both',
    path: ['messageId'],
  });

/**
 * An e-mail sent for the order by another program (the seller's reply from
 * Thunderbird, a shop's own mail): its Message-ID makes replies to it match,
 * and it shows in the order's correspondence history with what is given.
 */
export const sentMessageInput = z.strictObject({
  messageId: requiredText(998),
  subject: text(998).default(''),
  sentAt: isoDateTime,
  from: emailAddress(320).optional(),
  to: emailAddress(320).optional(),
  /** The plain text as sent, when the sender has it. */
  text: multilineText(100_000).optional(),
});

export const sentMessage = z.object({
  id: z.number().int(),
  orderId: z.number().int(),
  messageId: z.string(),
  subject: z.string(),
  sentAt: z.string(),
  origin: z.enum(['orderpost', 'external']),
});
export const sentMessageList = z.object({ sentMessages: z.array(sentMessage) });
