import { and, sql, type SQL } from 'drizzle-orm';
import { compactIdentifier, type orderListQuery } from '@orderpost/shared';
import { normalizeEmail, normalizePhone } from '@orderpost/shared/normalize/index';
import type { z } from 'zod';
import type { Database } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { selectOrdersPrepared } from './orders.repository.js';

type ListQuery = z.infer<typeof orderListQuery>;

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ id })).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    if (typeof value.id === 'number' && Number.isInteger(value.id) && value.id > 0) return value.id;
  } catch {
    // fall through to the error below
  }
  throw new AppError('INVALID_CURSOR', 'The cursor is not one this API gave out', 'cursor');
}

/** Filters of the order list; e-mail and phone are compared in their normalised forms. */
export function listFilters(query: ListQuery, defaultCountry: string): SQL[] {
  const filters: SQL[] = [];
  if (query.archived === 'false') filters.push(sql`o.archived_at is null`);
  if (query.archived === 'true') filters.push(sql`o.archived_at is not null`);
  if (query.status) filters.push(sql`o.status_id = ${query.status}`);
  if (query.source) filters.push(sql`o.source = ${query.source}`);
  if (query.orderedFrom) filters.push(sql`o.ordered_at >= ${new Date(query.orderedFrom).toISOString()}::timestamptz`);
  if (query.orderedTo) filters.push(sql`o.ordered_at < ${new Date(query.orderedTo).toISOString()}::timestamptz`);
  if (query.email) filters.push(sql`o.buyer_email_norm = ${normalizeEmail(query.email)}`);
  if (query.phone) {
    const phone = normalizePhone(query.phone, defaultCountry);
    if (!phone) throw new AppError('INVALID_PHONE', `"${query.phone}" is not a phone number (default country ${defaultCountry})`, 'phone');
    filters.push(sql`o.buyer_phone_e164 = ${phone}`);
  }
  if (query.number) filters.push(sql`o.number_compact = ${compactIdentifier(query.number)}`);
  if (query.cursor) filters.push(sql`o.id < ${decodeCursor(query.cursor)}`);
  return filters;
}

export async function listOrders(database: Database, query: ListQuery, defaultCountry: string) {
  const filters = listFilters(query, defaultCountry);
  const where = filters.length > 0 ? (and(...filters) ?? sql`true`) : sql`true`;
  const rows = await selectOrdersPrepared(database, where, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { orders: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null };
}
