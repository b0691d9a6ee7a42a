import { randomBytes } from 'node:crypto';
import { and, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { orders } from '../../db/schema/index.js';

/** A new order-page secret: 128 random bits, base64url (22 characters). */
export function newPageToken(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The order-page secret of each order, made for those that have none yet.
 * A token is only ever set where it is null, in one statement, so two
 * processes making one at once agree on whichever landed first: the tokens are
 * read back after the write. Orders that do not exist are left out.
 */
export async function ensurePageTokens(db: Queryable, orderIds: readonly number[]): Promise<Map<number, string>> {
  const read = async (ids: number[]) =>
    db
      .select({ id: orders.id, pageToken: orders.pageToken })
      .from(orders)
      .where(sql`${orders.id} = any(${sql.param(ids)}::int[])`);
  const found = new Map<number, string>();
  const missing: number[] = [];
  for (const row of await read([...new Set(orderIds)])) {
    if (row.pageToken) found.set(row.id, row.pageToken);
    else missing.push(row.id);
  }
  if (missing.length === 0) return found;
  await db
    .update(orders)
    .set({ pageToken: sql`fresh.token` })
    .from(sql`unnest(${sql.param(missing)}::int[], ${sql.param(missing.map(newPageToken))}::text[]) as fresh(id, token)`)
    .where(and(sql`${orders.id} = fresh.id`, isNull(orders.pageToken)));
  for (const row of await read(missing)) if (row.pageToken) found.set(row.id, row.pageToken);
  return found;
}
