import { sql, type SQL } from 'drizzle-orm';
import type { Order } from '@orderpost/shared';
import { rowsOf, type Database, type Queryable } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { orderView, type OrderRow } from './orders.mapper.js';

/** One row of one table per order: items, invoices and parcels are kept in the row (orders.documents.ts). */
const orderColumnList = `
  o.id, o.number, o.source, o.external_id, o.status_id, o.ordered_at, o.created_at, o.updated_at, o.archived_at,
  o.currency, o.buyer_name, o.buyer_email, o.buyer_phone, o.buyer_phone_e164, o.buyer_login,
  o.delivery_address, o.invoice_address, o.payment_method, o.cash_on_delivery, o.amount_paid::text as amount_paid,
  o.paid_at, o.language, o.extra_fields, o.items, o.total::text as total, o.invoices_view as invoices, o.parcels_view as parcels`;
const orderColumns = sql.raw(orderColumnList);

const orderQuery = (where: SQL, limit: number) =>
  sql`select ${orderColumns} from orders o where ${where} order by o.id desc limit ${limit}`;

export async function selectOrders(db: Queryable, where: SQL, limit: number): Promise<Order[]> {
  return rowsOf<OrderRow>(await db.execute(orderQuery(where, limit))).map(orderView);
}

/**
 * The same read as a prepared statement with its text written out, for the hot
 * path outside transactions (list and look-ups). `where` uses $1 … placeholders
 * for `params`; the limit is the last parameter.
 */
export async function selectOrdersPrepared(database: Database, where: string, params: unknown[], limit: number): Promise<Order[]> {
  const text = `select ${orderColumnList} from orders o where ${where} order by o.id desc limit $${params.length + 1}`;
  return (await database.queryText<OrderRow>(text, [...params, limit])).map(orderView);
}

export async function findOrder(db: Queryable, id: number): Promise<Order | null> {
  const [order] = await selectOrders(db, sql`o.id = ${id}`, 1);
  return order ?? null;
}

export async function getOrder(db: Queryable, id: number): Promise<Order> {
  const order = await findOrder(db, id);
  if (!order) throw new AppError('ORDER_NOT_FOUND', `There is no order ${id}`);
  return order;
}

export interface LockedOrder {
  id: number;
  number: string;
  statusId: string;
  archived: boolean;
}

/** Locks the order row for the rest of the transaction; refuses archived orders unless asked not to. */
export async function lockOrder(tx: Queryable, id: number, options: { allowArchived?: boolean } = {}): Promise<LockedOrder> {
  const result = await tx.execute(
    sql`select id, number, status_id, archived_at is not null as archived from orders where id = ${id} for update`,
  );
  const [row] = rowsOf<{ id: number; number: string; status_id: string; archived: boolean }>(result);
  if (!row) throw new AppError('ORDER_NOT_FOUND', `There is no order ${id}`);
  if (row.archived && !options.allowArchived) {
    throw new AppError('ORDER_ARCHIVED', `Order ${row.number} is archived; restore it before changing it`);
  }
  return { id: row.id, number: row.number, statusId: row.status_id, archived: row.archived };
}
