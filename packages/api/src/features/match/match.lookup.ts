import { lookupForm } from '@orderpost/shared';
import type { ExtractedIdentifiers } from '@orderpost/shared/extract/index';
import { nationalKeys } from '@orderpost/shared/normalize/index';
import { eq, fillPlaceholders, or, type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, unionAll } from 'drizzle-orm/pg-core';
import type { Database, Db } from '../../db/client.js';
import { matchFeedback, orderStatuses, orders, parcels, sentMessages } from '../../db/schema/index.js';

export type HitKind =
  | 'message'
  | 'own-message'
  | 'email'
  | 'canonical'
  | 'number'
  | 'external'
  | 'tracking'
  | 'phone'
  | 'phone-national'
  | 'login'
  | 'fb-link'
  | 'fb-unlink';

/** One stored identifier that equals a candidate from the message, with the order it belongs to. */
export interface Hit {
  kind: HitKind;
  orderId: number;
  /** The stored value that was hit (order number, address, Message-ID …). */
  value: string;
  /** Subject of a sent message, carrier of a parcel, source of a marketplace id, 'thread' / 'sender' for feedback. */
  detail: string | null;
  at: Date | null;
  order: {
    number: string;
    source: string;
    externalId: string | null;
    status: string;
    final: boolean;
    orderedAt: Date;
    buyerName: string | null;
    buyerEmail: string | null;
    currency: string;
    archived: boolean;
    total: string;
  };
}

/** The keys the database is asked for, all in the stored (normalised) forms. */
export interface LookupKeys {
  messageIds: string[];
  /** The message's own Message-ID: an e-mail Orderpost sent (a seller's notification, a copy in Sent) is about its order. */
  ownMessageIds: string[];
  emails: string[];
  canonicals: string[];
  tokens: string[];
  phones: string[];
  nationals: string[];
  logins: string[];
  feedbackThreads: string[];
  feedbackSenders: string[];
}

const unique = (values: Iterable<string>) => [...new Set([...values].filter((v) => v.length > 0))];

export function lookupKeys(ids: ExtractedIdentifiers, ownMessageId: string | undefined): LookupKeys {
  const messageIds = unique(ids.messageIds.map((m) => normalizeMessageId(m.id)));
  const senders = ids.emails.filter((e) => e.role === 'sender');
  return {
    messageIds,
    ownMessageIds: unique([ownMessageId ? normalizeMessageId(ownMessageId) : '']),
    emails: unique(ids.emails.filter((e) => e.role !== 'recipient').map((e) => e.address)),
    canonicals: unique(ids.emails.filter((e) => e.role !== 'recipient').flatMap((e) => [e.canonical, e.relay ?? ''])),
    // Shorter numbers only where the extractor read them as meant ("zamówienie nr 12").
    tokens: unique(ids.tokens.filter((t) => t.compact.length >= 3 || t.context === 'keyword').map((t) => lookupForm(t.compact))),
    phones: unique(ids.phones.map((p) => p.e164 ?? '')),
    nationals: unique(ids.phones.flatMap((p) => (p.national ? nationalKeys(p.national) : []))),
    logins: unique(ids.logins.map((l) => l.login.toLowerCase())),
    feedbackThreads: unique([...messageIds, ownMessageId ? normalizeMessageId(ownMessageId) : '']),
    feedbackSenders: unique(senders.flatMap((e) => [e.relay ?? e.canonical])),
  };
}

/** A Message-ID as written, without its angle brackets. */
export function bareMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').trim();
}

/** Message-IDs compare without angle brackets and case-insensitively. */
export function normalizeMessageId(id: string): string {
  return bareMessageId(id).toLowerCase();
}

const maxHits = 2000;

const anyOf = (column: AnyPgColumn, keys: keyof LookupKeys) => sql`${column} = any(${sql.placeholder(keys)}::text[])`;

/** The columns every branch of the hits gives: which kind of hit, the order, and what was hit. */
function hitFields(kind: SQL, orderId: AnyPgColumn, value: SQL | AnyPgColumn, detail: SQL | AnyPgColumn, at: SQL | AnyPgColumn) {
  return {
    kind: sql<string>`${kind}`.as('kind'),
    orderId: sql<number>`${orderId}`.as('order_id'),
    value: sql<string | null>`${value}`.as('value'),
    detail: sql<string | null>`${detail}`.as('detail'),
    // As the driver gives it (drizzle's clients leave timestamps as text): no column decodes a union's value.
    at: sql<string | Date | null>`${at}`.as('at'),
  };
}

/**
 * Every lookup in one round trip: each kind of identifier is an indexed
 * `= any(array)` probe, and the order summary comes with each hit. Built from
 * the drizzle tables; only the nine arrays change between calls.
 */
function hitsQuery(db: Db) {
  const none = sql`null`;
  const hits = db.$with('hits').as(
    unionAll(
      db
        .select(hitFields(sql`'message'`, sentMessages.orderId, sentMessages.messageId, sentMessages.subject, sentMessages.sentAt))
        .from(sentMessages)
        .where(anyOf(sentMessages.messageIdNorm, 'messageIds')),
      db
        .select(hitFields(sql`'own-message'`, sentMessages.orderId, sentMessages.messageId, sentMessages.subject, sentMessages.sentAt))
        .from(sentMessages)
        .where(anyOf(sentMessages.messageIdNorm, 'ownMessageIds')),
      db
        .select(hitFields(sql`'email'`, orders.id, orders.buyerEmail, none, none))
        .from(orders)
        .where(anyOf(orders.buyerEmailNorm, 'emails')),
      db
        .select(hitFields(sql`'canonical'`, orders.id, orders.buyerEmail, none, none))
        .from(orders)
        .where(anyOf(orders.buyerEmailCanonical, 'canonicals')),
      db
        .select(hitFields(sql`'number'`, orders.id, orders.number, none, none))
        .from(orders)
        .where(anyOf(orders.numberCompact, 'tokens')),
      db
        .select(hitFields(sql`'external'`, orders.id, orders.externalId, orders.source, none))
        .from(orders)
        .where(anyOf(orders.externalIdCompact, 'tokens')),
      db
        .select(hitFields(sql`'tracking'`, parcels.orderId, parcels.trackingNumber, parcels.carrier, none))
        .from(parcels)
        .where(anyOf(parcels.trackingCompact, 'tokens')),
      db
        .select(hitFields(sql`'phone'`, orders.id, orders.buyerPhoneE164, orders.buyerPhone, none))
        .from(orders)
        .where(anyOf(orders.buyerPhoneE164, 'phones')),
      db
        .select(
          hitFields(
            sql`'phone-national'`,
            orders.id,
            sql`coalesce(${orders.buyerPhoneE164}, ${orders.buyerPhoneNational})`,
            orders.buyerPhone,
            none,
          ),
        )
        .from(orders)
        .where(anyOf(orders.buyerPhoneNational, 'nationals')),
      db
        .select(hitFields(sql`'login'`, orders.id, orders.buyerLogin, orders.source, none))
        .from(orders)
        .where(anyOf(orders.buyerLoginNorm, 'logins')),
      db
        .select(
          hitFields(
            sql`'fb-' || ${matchFeedback.kind}`,
            matchFeedback.orderId,
            sql`coalesce(${matchFeedback.messageIdNorm}, ${matchFeedback.senderCanonical})`,
            sql`case when ${anyOf(matchFeedback.messageIdNorm, 'feedbackThreads')} then 'thread' else 'sender' end`,
            matchFeedback.createdAt,
          ),
        )
        .from(matchFeedback)
        .where(or(anyOf(matchFeedback.messageIdNorm, 'feedbackThreads'), anyOf(matchFeedback.senderCanonical, 'feedbackSenders'))),
    ),
  );
  return db
    .with(hits)
    .select({
      kind: hits.kind,
      orderId: hits.orderId,
      value: hits.value,
      detail: hits.detail,
      at: hits.at,
      number: orders.number,
      source: orders.source,
      externalId: orders.externalId,
      status: orders.statusId,
      final: orderStatuses.final,
      orderedAt: orders.orderedAt,
      buyerName: orders.buyerName,
      buyerEmail: orders.buyerEmail,
      currency: orders.currency,
      archived: sql<boolean>`${orders.archivedAt} is not null`.as('archived'),
      total: orders.total,
    })
    .from(hits)
    .innerJoin(orders, eq(orders.id, hits.orderId))
    .innerJoin(orderStatuses, eq(orderStatuses.id, orders.statusId))
    .limit(maxHits);
}

/** The statement as text with its parameters' places, written out once per database. */
interface HitsStatement {
  text: string;
  params: unknown[];
}

const statements = new WeakMap<Db, HitsStatement>();

/** Column names as the statement gives them (drizzle's snake_case aliases). */
interface HitRow {
  kind: string;
  order_id: number;
  value: string | null;
  detail: string | null;
  at: string | Date | null;
  number: string;
  source: string;
  external_id: string | null;
  status_id: string;
  final: boolean;
  ordered_at: string | Date;
  buyer_name: string | null;
  buyer_email: string | null;
  currency: string;
  archived: boolean;
  total: string | null;
}

/**
 * Runs the hits query as one fixed prepared statement through the driver: the
 * text comes from drizzle's `.toSQL()` of the query above, taken once; each
 * call only fills in the arrays (drizzle's own prepared query spent more in
 * its session wrapper than PostgreSQL spent running it).
 */
export async function findHits(database: Database, keys: LookupKeys): Promise<Hit[]> {
  let statement = statements.get(database.db);
  if (!statement) {
    const { sql: text, params } = hitsQuery(database.db).toSQL();
    statement = { text, params };
    statements.set(database.db, statement);
  }
  const rows = await database.queryText<HitRow>(statement.text, fillPlaceholders(statement.params, { ...keys }));
  return rows.map((row) => ({
    kind: row.kind as HitKind,
    orderId: row.order_id,
    value: row.value ?? '',
    detail: row.detail,
    at: row.at === null ? null : new Date(row.at),
    order: {
      number: row.number,
      source: row.source,
      externalId: row.external_id,
      status: row.status_id,
      final: row.final,
      orderedAt: new Date(row.ordered_at),
      buyerName: row.buyer_name,
      buyerEmail: row.buyer_email,
      currency: row.currency,
      archived: row.archived,
      total: row.total ?? '0.00',
    },
  }));
}
