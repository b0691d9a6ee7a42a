import type { ExtractedIdentifiers } from '@orderpost/shared/extract/index';
import { eq, or, type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, unionAll } from 'drizzle-orm/pg-core';
import type { Database, Db } from '../../db/client.js';
import { matchFeedback, orderStatuses, orders, parcels, sentMessages } from '../../db/schema/index.js';

export type HitKind = 'message' | 'email' | 'canonical' | 'number' | 'external' | 'tracking' | 'phone' | 'login' | 'fb-link' | 'fb-unlink';

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
  emails: string[];
  canonicals: string[];
  tokens: string[];
  phones: string[];
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
    emails: unique(ids.emails.filter((e) => e.role !== 'recipient').map((e) => e.address)),
    canonicals: unique(ids.emails.filter((e) => e.role !== 'recipient').flatMap((e) => [e.canonical, e.relay ?? ''])),
    tokens: unique(ids.tokens.filter((t) => t.compact.length >= 3).map((t) => t.compact)),
    phones: unique(ids.phones.map((p) => p.e164)),
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
 * the drizzle tables and prepared once per database; only the eight arrays change.
 */
function prepareHits(db: Db) {
  const none = sql`null`;
  const hits = db.$with('hits').as(
    unionAll(
      db
        .select(hitFields(sql`'message'`, sentMessages.orderId, sentMessages.messageId, sentMessages.subject, sentMessages.sentAt))
        .from(sentMessages)
        .where(anyOf(sentMessages.messageIdNorm, 'messageIds')),
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
      archived: sql<boolean>`${orders.archivedAt} is not null`,
      total: orders.total,
    })
    .from(hits)
    .innerJoin(orders, eq(orders.id, hits.orderId))
    .innerJoin(orderStatuses, eq(orderStatuses.id, orders.statusId))
    .limit(maxHits)
    .prepare('match_hits');
}

const preparedHits = new WeakMap<Db, ReturnType<typeof prepareHits>>();

export async function findHits(database: Database, keys: LookupKeys): Promise<Hit[]> {
  const prepared = preparedHits.get(database.db) ?? prepareHits(database.db);
  preparedHits.set(database.db, prepared);
  const rows = await prepared.execute({ ...keys });
  return rows.map(({ kind, orderId, value, detail, at, ...order }) => ({
    kind: kind as HitKind,
    orderId,
    value: value ?? '',
    detail,
    at: at === null ? null : new Date(at),
    order: { ...order, total: order.total ?? '0.00' },
  }));
}
