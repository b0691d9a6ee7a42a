import { lookupForm } from '@orderpost/shared';
import { and, asc, eq, gt, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { databaseErrorCode } from '../../db/errors.js';
import { orders, parcels } from '../../db/schema/index.js';
import type { Services } from '../../services.js';
import { compactOrNull, readPhone } from './orders.mapper.js';
import { storedNationalDigits } from '@orderpost/shared/normalize/index';

type IdentifierColumn = typeof orders.number | typeof orders.externalId | typeof parcels.trackingNumber;

/**
 * Values whose look-up form a newer rule may compute differently: anything
 * beyond ASCII (digits of any script, look-alike letters), or a first letter
 * or digit that is a zero (leading zeros are dropped from numbers of digits only).
 */
const mayBeStale = (column: IdentifierColumn) => sql`(${column} ~ '[^\\x01-\\x7f]' or ${column} ~ '^[^A-Za-z0-9]*0')`;

/** The worker's name for this job (scheduled_runs.job). */
export const refreshLookupFormsJob = 'refresh-lookup-forms';

export interface LookupFormsResult {
  /** Rows whose look-up forms were rewritten. */
  updated: number;
  /** Orders whose buyer phone was read again with a different result (another default country, a new column). */
  phones: number;
  /** Orders whose number now compares equal to another order's: left as they were, for a person to settle. */
  conflicts: { orderId: number; number: string }[];
}

/**
 * Order numbers, external ids and tracking numbers are looked up by a compact
 * form computed in code (lookupForm). When its rules grow — digits of
 * any script, letters that look like Latin ones — rows saved earlier keep the
 * form of their day and are not found by the new one. This rewrites them. It
 * is index upkeep, not a change of the order, so it writes no journal row. A
 * number that now collides with another order's stays as it was and is
 * reported: which of the two keeps it is a person's decision.
 */
export async function refreshLookupForms(services: Services): Promise<LookupFormsResult> {
  const { db } = services.database;
  const result: LookupFormsResult = { updated: 0, phones: await rereadPhones(services), conflicts: [] };
  const stale = await db
    .select({
      id: orders.id,
      number: orders.number,
      numberCompact: orders.numberCompact,
      externalId: orders.externalId,
      externalIdCompact: orders.externalIdCompact,
    })
    .from(orders)
    .where(or(mayBeStale(orders.number), mayBeStale(orders.externalId)));
  for (const row of stale) {
    const numberCompact = lookupForm(row.number);
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
    .where(mayBeStale(parcels.trackingNumber));
  for (const parcel of parcelRows) {
    const trackingCompact = lookupForm(parcel.trackingNumber);
    if (trackingCompact === parcel.trackingCompact) continue;
    await db.update(parcels).set({ trackingCompact }).where(eq(parcels.id, parcel.id));
    result.updated += 1;
  }
  for (const conflict of result.conflicts) {
    services.logger.warn(conflict, 'order number now compares equal to another order’s; left as it was');
  }
  return result;
}

const phonePage = 1000;

/**
 * Buyer phones written in national notation were read in the order's delivery
 * or invoice country, then the shop's default country: when the default
 * country changes (the settings ask for this job at once), or a newer rule
 * adds a look-up form (the national digits), they are read again. Phones in
 * international notation do not depend on the country and are read only when
 * a form is missing. Index upkeep, like the rest of this job: no journal row.
 */
async function rereadPhones(services: Services): Promise<number> {
  const { db } = services.database;
  services.settings.invalidate();
  const { defaultCountry } = await services.settings.get();
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .select({
        id: orders.id,
        phone: orders.buyerPhone,
        e164: orders.buyerPhoneE164,
        national: orders.buyerPhoneNational,
        delivery: orders.deliveryAddress,
        invoice: orders.invoiceAddress,
      })
      .from(orders)
      .where(
        and(
          gt(orders.id, after),
          isNotNull(orders.buyerPhone),
          or(isNull(orders.buyerPhoneNational), sql`${orders.buyerPhone} !~ '^\\s*(\\+|00|\\(\\+)'`),
        ),
      )
      .orderBy(asc(orders.id))
      .limit(phonePage);
    for (const row of rows) {
      if (!row.phone) continue;
      const countries = [
        ...new Set([row.delivery?.countryCode, row.invoice?.countryCode, defaultCountry].filter((c): c is string => Boolean(c))),
      ];
      const e164 = readPhone(row.phone, countries);
      const national = storedNationalDigits(row.phone, e164);
      if (e164 === row.e164 && national === row.national) continue;
      await db.update(orders).set({ buyerPhoneE164: e164, buyerPhoneNational: national }).where(eq(orders.id, row.id));
      changed += 1;
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < phonePage) return changed;
    after = last.id;
  }
}
