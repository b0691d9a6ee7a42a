import { lookupForm, type orderListQuery } from '@orderpost/shared';
import { normalizeEmail, normalizePhone } from '@orderpost/shared/normalize/index';
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { type ListFilter, listOrderRows } from './orders.repository.js';

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

/** The conditions of a list request; e-mail and phone are compared in their normalised forms. */
export function listFilter(query: ListQuery, defaultCountry: string): ListFilter {
  const filter: ListFilter = {};
  if (query.archived === 'false') filter.active = true;
  if (query.archived === 'true') filter.archived = true;
  if (query.status) filter.status = query.status;
  if (query.source) filter.source = query.source;
  if (query.orderedFrom) filter.orderedFrom = new Date(query.orderedFrom).toISOString();
  if (query.orderedTo) filter.orderedTo = new Date(query.orderedTo).toISOString();
  if (query.email) filter.email = normalizeEmail(query.email);
  if (query.phone) {
    const phone = normalizePhone(query.phone, defaultCountry);
    if (!phone) throw new AppError('INVALID_PHONE', `"${query.phone}" is not a phone number (default country ${defaultCountry})`, 'phone');
    filter.phone = phone;
  }
  if (query.number) filter.number = lookupForm(query.number);
  if (query.cursor) filter.before = decodeCursor(query.cursor);
  return filter;
}

export async function listOrders(services: Services, query: ListQuery) {
  const { defaultCountry } = await services.settings.get();
  const rows = await listOrderRows(services.database.db, listFilter(query, defaultCountry), query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { orders: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null };
}
