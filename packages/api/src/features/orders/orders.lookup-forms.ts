import { compactIdentifier } from '@orderpost/shared';
import { eq, or, sql } from 'drizzle-orm';
import { databaseErrorCode } from '../../db/errors.js';
import { orders, parcels } from '../../db/schema/index.js';
import type { Services } from '../../services.js';
import { compactOrNull } from './orders.mapper.js';

/** Text with anything beyond ASCII: only such values can have a look-up form that a newer rule computes differently. */
const notAscii = (column: typeof orders.number | typeof orders.externalId | typeof parcels.trackingNumber) =>
  sql`${column} ~ '[^\\x01-\\x7f]'`;

export interface LookupFormsResult {
  /** Rows whose look-up forms were rewritten. */
  updated: number;
  /** Orders whose number now compares equal to another order's: left as they were, for a person to settle. */
  conflicts: { orderId: number; number: string }[];
}

/**
 * Order numbers, external ids and tracking numbers are looked up by a compact
 * form computed in code (compactIdentifier). When its rules grow — digits of
 * any script, letters that look like Latin ones — rows saved earlier keep the
 * form of their day and are not found by the new one. This rewrites them. It
 * is index upkeep, not a change of the order, so it writes no journal row. A
 * number that now collides with another order's stays as it was and is
 * reported: which of the two keeps it is a person's decision.
 */
export async function refreshLookupForms(services: Services): Promise<LookupFormsResult> {
  const { db } = services.database;
  const result: LookupFormsResult = { updated: 0, conflicts: [] };
  const stale = await db
    .select({
      id: orders.id,
      number: orders.number,
      numberCompact: orders.numberCompact,
      externalId: orders.externalId,
      externalIdCompact: orders.externalIdCompact,
    })
    .from(orders)
    .where(or(notAscii(orders.number), notAscii(orders.externalId)));
  for (const row of stale) {
    const numberCompact = compactIdentifier(row.number);
    const externalIdCompact = compactOrNull(row.externalId);
    if (numberCompact === row.numberCompact && externalIdCompact === row.externalIdCompact) continue;
    try {
      await db.update(orders).set({ numberCompact, externalIdCompact }).where(eq(orders.id, row.id));
    } catch (error) {
      // The unique index on the number's form refuses it: another order has it.
      if (databaseErrorCode(error) !== '23505') throw error;
      result.conflicts.push({ orderId: row.id, number: row.number });
      // The external id's form can still be brought up to date.
      if (externalIdCompact === row.externalIdCompact) continue;
      await db.update(orders).set({ externalIdCompact }).where(eq(orders.id, row.id));
    }
    result.updated += 1;
  }
  const parcelRows = await db
    .select({ id: parcels.id, trackingNumber: parcels.trackingNumber, trackingCompact: parcels.trackingCompact })
    .from(parcels)
    .where(notAscii(parcels.trackingNumber));
  for (const parcel of parcelRows) {
    const trackingCompact = compactIdentifier(parcel.trackingNumber);
    if (trackingCompact === parcel.trackingCompact) continue;
    await db.update(parcels).set({ trackingCompact }).where(eq(parcels.id, parcel.id));
    result.updated += 1;
  }
  for (const conflict of result.conflicts) {
    services.logger.warn(conflict, 'order number now compares equal to another order’s; left as it was');
  }
  return result;
}
