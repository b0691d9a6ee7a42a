import type { ExtractedIdentifiers } from '@orderpost/shared/extract/index';
import type { Database } from '../../db/client.js';

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

/**
 * Every lookup in one round trip: each kind of identifier is an indexed
 * `= any(array)` probe, and the order summary comes with each hit. The text is
 * fixed (a prepared statement); only the eight arrays change.
 */
const hitsQuery = `
  with hits as (
    select 'message' as kind, sm.order_id, sm.message_id as value, sm.subject as detail, sm.sent_at as at
      from sent_messages sm where sm.message_id_norm = any($1::text[])
    union all
    select 'email', o.id, o.buyer_email, null, null from orders o where o.buyer_email_norm = any($2::text[])
    union all
    select 'canonical', o.id, o.buyer_email, null, null from orders o where o.buyer_email_canonical = any($3::text[])
    union all
    select 'number', o.id, o.number, null, null from orders o where o.number_compact = any($4::text[])
    union all
    select 'external', o.id, o.external_id, o.source, null from orders o where o.external_id_compact = any($4::text[])
    union all
    select 'tracking', pc.order_id, pc.tracking_number, pc.carrier, null from parcels pc where pc.tracking_compact = any($4::text[])
    union all
    select 'phone', o.id, o.buyer_phone_e164, o.buyer_phone, null from orders o where o.buyer_phone_e164 = any($5::text[])
    union all
    select 'login', o.id, o.buyer_login, o.source, null from orders o where o.buyer_login_norm = any($6::text[])
    union all
    select 'fb-' || f.kind, f.order_id, coalesce(f.message_id_norm, f.sender_canonical),
           case when f.message_id_norm = any($7::text[]) then 'thread' else 'sender' end, f.created_at
      from match_feedback f
      where f.message_id_norm = any($7::text[]) or f.sender_canonical = any($8::text[])
  )
  select h.kind, h.order_id, h.value, h.detail, h.at,
         o.number, o.source, o.external_id, o.status_id, s.final, o.ordered_at, o.buyer_name, o.buyer_email, o.currency,
         o.archived_at is not null as archived, o.total::text as total
    from hits h join orders o on o.id = h.order_id join order_statuses s on s.id = o.status_id
    limit ${maxHits}`;

export async function findHits(database: Database, keys: LookupKeys): Promise<Hit[]> {
  const rows = await database.queryText<Record<string, unknown>>(hitsQuery, [
    keys.messageIds,
    keys.emails,
    keys.canonicals,
    keys.tokens,
    keys.phones,
    keys.logins,
    keys.feedbackThreads,
    keys.feedbackSenders,
  ]);
  return rows.map((row) => ({
    kind: row.kind as HitKind,
    orderId: Number(row.order_id),
    value: String(row.value ?? ''),
    detail: (row.detail as string | null) ?? null,
    at: row.at ? new Date(row.at as string) : null,
    order: {
      number: String(row.number),
      source: String(row.source),
      externalId: (row.external_id as string | null) ?? null,
      status: String(row.status_id),
      final: Boolean(row.final),
      orderedAt: new Date(row.ordered_at as string),
      buyerName: (row.buyer_name as string | null) ?? null,
      buyerEmail: (row.buyer_email as string | null) ?? null,
      currency: String(row.currency),
      archived: Boolean(row.archived),
      total: String(row.total ?? '0.00'),
    },
  }));
}
