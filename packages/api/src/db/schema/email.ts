import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { files } from './files.js';
import { orders } from './orders.js';
import { apiTokens } from './tokens.js';

/**
 * The seller's own SMTP accounts. The default mailbox is not a row: it comes
 * from the environment (SMTP_URL, MAIL_FROM). Secrets (password, or the OAuth2
 * client secret and refresh token) are stored encrypted (AES-256-GCM, key from
 * the environment or DATA_DIR) and never returned by the API.
 */
export const mailboxes = pgTable('mailboxes', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull(),
  host: text().notNull(),
  port: integer().notNull(),
  security: text().notNull().$type<'tls' | 'starttls' | 'none'>(),
  login: text(),
  authKind: text().notNull().$type<'password' | 'oauth2' | 'none'>(),
  /** OAuth2 only: the client id and the token endpoint (not secret). */
  oauthClientId: text(),
  oauthTokenUrl: text(),
  /** Encrypted JSON: { password } or { clientSecret, refreshToken }. */
  secret: text(),
  fromEmail: text().notNull(),
  fromName: text(),
  /** False after `MAILBOX_FAILURE_LIMIT` connection-kind failures in a row; saving or a passing test sets it again. */
  valid: boolean().notNull().default(true),
  consecutiveFailures: integer().notNull().default(0),
  lastError: text(),
  lastErrorAt: timestamp({ withTimezone: true }),
  /** When the seller was told the mailbox turned invalid (once per invalid spell). */
  invalidNotifiedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type TemplateAttachmentRow =
  | { kind: 'file'; fileId: number; name: string }
  | { kind: 'invoice'; name?: string }
  | { kind: 'parcel_photo'; name?: string }
  | { kind: 'order_pdf'; name?: string };

/** E-mail templates: BaseLinker-style `[tags]` plus Liquid conditions and loops. */
export const templates = pgTable('templates', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  /** Internal display name; the customer never sees it. */
  name: text().notNull(),
  subject: text().notNull(),
  format: text().notNull().$type<'text' | 'html'>(),
  content: text().notNull(),
  preheader: text(),
  mailboxId: integer().references(() => mailboxes.id, { onDelete: 'set null' }),
  hidden: boolean().notNull().default(false),
  language: text(),
  attachments: jsonb().$type<TemplateAttachmentRow[]>().notNull().default([]),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** The seed's message kinds; `internal` never leaves the shop. */
export type MessageKind = 'page_and_email' | 'page_and_email_notice' | 'page_only' | 'email_only' | 'internal';
/** What an order_messages row can be: a kind sent through the send API, or the shop's notification of a customer's page message. */
export type HistoryKind = MessageKind | 'customer_notification';
export type MessageChannel = 'email' | 'note' | 'sms' | 'page';
export type MessageDirection = 'out' | 'in' | 'internal';
/**
 * queued → sending → sent | failed (outgoing e-mail; `sending` is a lease that
 * runs out, so a worker killed mid-send leaves the message to be tried again);
 * `held` waits for a mailbox (none configured); `stored` for everything that
 * needs no delivery (notes, filed e-mails, page-only messages).
 */
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'held' | 'stored';

/**
 * The order's correspondence history, one model for every channel: outgoing
 * e-mails (with what was rendered and how delivery went), incoming e-mails
 * filed by an agent, internal notes, and later SMS and order-page messages.
 */
export const orderMessages = pgTable(
  'order_messages',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    channel: text().notNull().$type<MessageChannel>(),
    direction: text().notNull().$type<MessageDirection>(),
    kind: text().$type<HistoryKind>(),
    status: text().notNull().$type<MessageStatus>(),
    /** For template sends the subject and body are rendered by the worker at send time and stored here then. */
    templateId: integer().references(() => templates.id, { onDelete: 'set null' }),
    templateName: text(),
    /** The mailbox asked for (request or action > template > default = null). */
    mailboxId: integer().references(() => mailboxes.id, { onDelete: 'set null' }),
    /** What actually sent it: a mailbox id, or null with `sentVia = 'default'`. */
    sentVia: text(),
    fromAddress: text(),
    fromName: text(),
    toAddress: text(),
    replyTo: text(),
    subject: text(),
    /** Free text as written (rendered at send time, like a template), or null for template sends. */
    body: text(),
    bodyFormat: text().$type<'text' | 'html'>(),
    html: text(),
    text: text(),
    preheader: text(),
    /** Without angle brackets; on the shop's domain for outgoing mail. */
    messageId: text(),
    messageIdNorm: text(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** Lease of a worker sending it; a message in `sending` past this is free again. */
    leaseUntil: timestamp({ withTimezone: true }),
    batchId: integer(),
    /** A file the customer attached on the order page (image or PDF). */
    attachmentFileId: integer().references(() => files.id, { onDelete: 'set null' }),
    /** When it happened: sent, filed (the e-mail's own date) or written. */
    occurredAt: timestamp({ withTimezone: true }),
    createdBy: integer().references(() => apiTokens.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('order_messages_order_idx').on(t.orderId, t.id),
    index('order_messages_batch_idx').on(t.batchId, t.status).where(sql`batch_id is not null`),
    index('order_messages_pending_idx').on(t.status, t.id).where(sql`status in ('queued', 'sending', 'held')`),
    index('order_messages_message_id_idx').on(t.messageIdNorm).where(sql`message_id_norm is not null`),
  ],
);

/** One bulk send (one template, up to 10,000 orders); progress is counted from order_messages. */
export const messageBatches = pgTable('message_batches', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  templateId: integer().references(() => templates.id, { onDelete: 'set null' }),
  kind: text().notNull().$type<MessageKind>(),
  mailboxId: integer().references(() => mailboxes.id, { onDelete: 'set null' }),
  requested: integer().notNull(),
  /** Orders not sent to, with the reason: { orderId, reason } (no e-mail, archived, not found). */
  skipped: jsonb().$type<{ orderId: number; reason: string }[]>().notNull().default([]),
  createdBy: integer().references(() => apiTokens.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * `Idempotency-Key` of send requests: the first request's answer is stored in
 * its own transaction, and a repeat with the same key and body gets it again.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tokenId: integer().notNull(),
    key: text().notNull(),
    /** SHA-256 of method, path and body: the same key with another request is 422 IDEMPOTENCY_KEY_REUSED. */
    requestHash: text().notNull(),
    status: integer().notNull(),
    response: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('idempotency_keys_key').on(t.tokenId, t.key), index('idempotency_keys_created_idx').on(t.createdAt)],
);
