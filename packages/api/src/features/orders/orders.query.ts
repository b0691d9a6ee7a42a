import { compactIdentifier, type orderListQuery } from '@orderpost/shared';
import { normalizeEmail, normalizePhone } from '@orderpost/shared/normalize/index';
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { selectOrdersPrepared } from './orders.repository.js';

type ListQuery = z.infer<typeof orderListQuery>;

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ id })).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    if (typeof value.id === 'number' && Number.isInteger(value.id) && value.id > 0 && value.id <= 2_147_483_647) return value.id;
  } catch {
    // fall through to the error below
  }
  throw new AppError('INVALID_CURSOR', 'The cursor is not one this API gave out', 'cursor');
}

/** Filters of the order list as SQL text with $n placeholders; e-mail and phone are compared in their normalised forms. */
export function listFilters(query: ListQuery, defaultCountry: string): { clauses: string[]; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    clauses.push(clause.replace('?', `$${params.length}`));
  };
  if (query.archived === 'false') clauses.push('o.archived_at is null');
  if (query.archived === 'true') clauses.push('o.archived_at is not null');
  if (query.status) add('o.status_id = ?', query.status);
  if (query.source) add('o.source = ?', query.source);
  if (query.orderedFrom) add('o.ordered_at >= ?::timestamptz', new Date(query.orderedFrom).toISOString());
  if (query.orderedTo) add('o.ordered_at < ?::timestamptz', new Date(query.orderedTo).toISOString());
  if (query.email) add('o.buyer_email_norm = ?', normalizeEmail(query.email));
  if (query.phone) {
    const phone = normalizePhone(query.phone, defaultCountry);
    if (!phone) throw new AppError('INVALID_PHONE', `"${query.phone}" is not a phone number (default country ${defaultCountry})`, 'phone');
    add('o.buyer_phone_e164 = ?', phone);
  }
  if (query.number) add('o.number_compact = ?', compactIdentifier(query.number));
  if (query.cursor) add('o.id < ?', decodeCursor(query.cursor));
  return { clauses, params };
}

export async function listOrders(services: Services, query: ListQuery) {
  const { defaultCountry } = await services.settings.get();
  const { clauses, params } = listFilters(query, defaultCountry);
  const rows = await selectOrdersPrepared(services.database, clauses.length > 0 ? clauses.join(' and ') : 'true', params, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { orders: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null };
}
