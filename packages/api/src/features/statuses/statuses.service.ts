import { asc, count, eq } from 'drizzle-orm';
import type { OrderStatus, orderStatusInput, orderStatusPatch } from '@orderpost/shared';
import type { z } from 'zod';
import type { Services } from '../../services.js';
import { orders, orderStatuses } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export async function listStatuses(services: Services): Promise<OrderStatus[]> {
  return services.database.db.select().from(orderStatuses).orderBy(asc(orderStatuses.position), asc(orderStatuses.id));
}

export async function createStatus(services: Services, input: z.infer<typeof orderStatusInput>): Promise<OrderStatus> {
  const [row] = await services.database.db
    .insert(orderStatuses)
    .values({ ...input, customerName: input.customerName ?? input.name, position: input.position ?? 1000 })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('DUPLICATE_STATUS', `A status with id "${input.id}" exists already`, 'id');
  return row;
}

export async function updateStatus(services: Services, id: string, patch: z.infer<typeof orderStatusPatch>): Promise<OrderStatus> {
  const { db } = services.database;
  if (Object.keys(patch).length === 0) {
    const [current] = await db.select().from(orderStatuses).where(eq(orderStatuses.id, id));
    if (!current) throw new AppError('STATUS_NOT_FOUND', `There is no status "${id}"`);
    return current;
  }
  const [row] = await db.update(orderStatuses).set(patch).where(eq(orderStatuses.id, id)).returning();
  if (!row) throw new AppError('STATUS_NOT_FOUND', `There is no status "${id}"`);
  return row;
}

/** A status still used by an order cannot go: the order would lose its state. */
export async function deleteStatus(services: Services, id: string): Promise<void> {
  await services.database.db.transaction(async (tx) => {
    const [status] = await tx.select().from(orderStatuses).where(eq(orderStatuses.id, id)).for('update');
    if (!status) throw new AppError('STATUS_NOT_FOUND', `There is no status "${id}"`);
    const [used] = await tx.select({ n: count() }).from(orders).where(eq(orders.statusId, id));
    if (used && used.n > 0) throw new AppError('STATUS_IN_USE', `${used.n} order(s) have the status "${id}"; move them first`);
    await tx.delete(orderStatuses).where(eq(orderStatuses.id, id));
  });
}
