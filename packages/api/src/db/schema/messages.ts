import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { orders } from './orders.js';

/**
 * E-mails sent for an order (by Orderpost, or recorded by an outside sender),
 * with their Message-ID: a customer's reply points back at it through
 * In-Reply-To / References, which finds the order exactly.
 */
export const sentMessages = pgTable(
  'sent_messages',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** Without angle brackets, as written. */
    messageId: text().notNull(),
    /** Lower-cased: Message-IDs are compared case-insensitively. */
    messageIdNorm: text().notNull(),
    subject: text().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull(),
    origin: text().notNull().$type<'orderpost' | 'external'>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sent_messages_message_id_key').on(t.messageIdNorm), index('sent_messages_order_idx').on(t.orderId)],
);

/**
 * What an agent taught the matcher: this e-mail (thread and sender) belongs to
 * this order ('link'), or does not ('unlink'). The newest word on a pair wins.
 */
export const matchFeedback = pgTable(
  'match_feedback',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    kind: text().notNull().$type<'link' | 'unlink'>(),
    /** Lower-cased Message-ID of the e-mail the agent looked at, if any. */
    messageIdNorm: text(),
    /** Canonical sender address (relay identity or Gmail-folded). */
    senderCanonical: text(),
    createdBy: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('match_feedback_message_idx').on(t.messageIdNorm).where(sql`message_id_norm is not null`),
    index('match_feedback_sender_idx').on(t.senderCanonical).where(sql`sender_canonical is not null`),
    index('match_feedback_order_idx').on(t.orderId),
  ],
);
