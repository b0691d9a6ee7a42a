import { and, desc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Order } from '@orderpost/shared';
import type { Db, Queryable } from '../../db/client.js';
import { orders } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { OrderRecord } from './orders.changes.js';
import { orderView } from './orders.mapper.js';

/** The lookup forms and the archive bookkeeping stay in the database; everything else is the order as the API shows it. */
const {
  numberCompact,
  externalIdCompact,
  buyerEmailNorm,
  buyerEmailCanonical,
  buyerLoginNorm,
  buyerPhoneNational,
  restoredAt,
  ...orderColumns
} = getTableColumns(orders);

/** One row of the order read, typed by drizzle from the table (items, invoices and parcels live in the row). */
export type OrderRow = { [K in keyof typeof orderColumns]: OrderRecord[K] };

export async function findOrder(db: Queryable, id: number): Promise<Order | null> {
  const [row] = await db.select(orderColumns).from(orders).where(eq(orders.id, id));
  return row ? orderView(row) : null;
}

export async function getOrder(db: Queryable, id: number): Promise<Order> {
  const order = await findOrder(db, id);
  if (!order) throw new AppError('ORDER_NOT_FOUND', `There is no order ${id}`);
  return order;
}

/**
 * The conditions the order list can combine. A condition compares its column with
 * the placeholder of its name: the SQL of each combination is built once, as a
 * prepared statement, and a request only supplies the values.
 */
const listConditions = {
  active: () => sql`${orders.archivedAt} is null`,
  archived: () => sql`${orders.archivedAt} is not null`,
  status: () => eq(orders.statusId, sql.placeholder('status')),
  source: () => eq(orders.source, sql.placeholder('source')),
  orderedFrom: () => sql`${orders.orderedAt} >= ${sql.placeholder('orderedFrom')}::timestamptz`,
  orderedTo: () => sql`${orders.orderedAt} < ${sql.placeholder('orderedTo')}::timestamptz`,
  email: () => eq(orders.buyerEmailNorm, sql.placeholder('email')),
  phone: () => eq(orders.buyerPhoneE164, sql.placeholder('phone')),
  number: () => eq(orders.numberCompact, sql.placeholder('number')),
  before: () => sql`${orders.id} < ${sql.placeholder('before')}`,
} satisfies Record<string, () => SQL>;

export type ListCondition = keyof typeof listConditions;
/** The conditions of one list request with their values (those without a value, like `active`, take `true`). */
export type ListFilter = Partial<Record<ListCondition, unknown>>;

function prepareList(db: Db, names: ListCondition[]) {
  return db
    .select(orderColumns)
    .from(orders)
    .where(and(...names.map((name) => listConditions[name]())))
    .orderBy(desc(orders.id))
    .limit(sql.placeholder('limit'))
    .prepare(`orders_list_${names.join('_') || 'all'}`);
}

/** Prepared statements per database (they belong to its connection pool), one per combination of conditions used. */
const preparedLists = new WeakMap<Db, Map<string, ReturnType<typeof prepareList>>>();

/** The order list for the hot path, outside transactions: newest first, at most `limit`. */
export async function listOrderRows(db: Db, filter: ListFilter, limit: number): Promise<Order[]> {
  const names = (Object.keys(listConditions) as ListCondition[]).filter((name) => filter[name] !== undefined);
  const lists = preparedLists.get(db) ?? new Map<string, ReturnType<typeof prepareList>>();
  preparedLists.set(db, lists);
  const key = names.join(',');
  const prepared = lists.get(key) ?? prepareList(db, names);
  lists.set(key, prepared);
  const rows = await prepared.execute({ ...filter, limit });
  return rows.map(orderView);
}

/**
 * Locks the order row for the rest of the transaction and returns it; refuses
 * archived orders unless asked not to.
 */
export async function lockOrder(tx: Queryable, id: number, options: { allowArchived?: boolean } = {}): Promise<OrderRecord> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, id)).for('update');
  if (!row) throw new AppError('ORDER_NOT_FOUND', `There is no order ${id}`);
  if (row.archivedAt && !options.allowArchived) {
    throw new AppError('ORDER_ARCHIVED', `Order ${row.number} is archived; restore it before changing it`);
  }
  return row;
}
