import { and, eq, ne, sql } from 'drizzle-orm';
import { lookupForm, journalTypes } from '@orderpost/shared';
import type { invoiceInput, OrderPatch, parcelInput, paymentRecord } from '@orderpost/shared';
import type { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { invoices, orders, orderStatuses, parcels } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { decodeUpload, documentKinds, imageKinds, storeFile } from '../files/file-content.js';
import { writeJournal, type JournalEntry } from '../journal/journal.writer.js';
import { applyChanges, type OrderRecord } from './orders.changes.js';
import { refreshOrderDocuments } from './orders.documents.js';
import { getOrder, lockOrder } from './orders.repository.js';

/** The order as it is now. */
export function readOrder(services: Services, orderId: number) {
  return getOrder(services.database.db, orderId);
}

/**
 * Runs a change to one order: lock it, change it, journal it, all in one
 * transaction; returns the order as it is now. The order is read back before the
 * journal row is written: writing it takes the journal lock, held until commit.
 */
async function changeOrder(
  services: Services,
  orderId: number,
  change: (tx: Tx, current: OrderRecord, now: Date) => Promise<JournalEntry[]>,
  options: { allowArchived?: boolean } = {},
) {
  const now = services.clock();
  return services.database.db.transaction(async (tx) => {
    const current = await lockOrder(tx, orderId, options);
    const entries = await change(tx, current, now);
    const order = await getOrder(tx, orderId);
    await writeJournal(tx, entries);
    return order;
  });
}

export async function editOrder(services: Services, orderId: number, patch: OrderPatch) {
  const settings = await services.settings.get();
  return changeOrder(services, orderId, async (tx, current, now) => {
    if (patch.number !== undefined && patch.number !== current.number) {
      const [taken] = await tx
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.numberCompact, lookupForm(patch.number)), ne(orders.id, orderId)));
      if (taken) throw new AppError('DUPLICATE_ORDER_NUMBER', `Order number "${patch.number}" is already used by another order`, 'number');
    }
    return applyChanges(tx, current, patch, { defaultCountry: settings.defaultCountry }, now);
  });
}

export async function assertStatusExists(tx: Tx, statusId: string): Promise<void> {
  const [status] = await tx.select({ id: orderStatuses.id }).from(orderStatuses).where(eq(orderStatuses.id, statusId));
  if (!status) throw new AppError('UNKNOWN_STATUS', `Unknown status "${statusId}"`, 'status');
}

export async function changeStatus(services: Services, orderId: number, statusId: string) {
  return changeOrder(services, orderId, async (tx, current, now) => {
    await assertStatusExists(tx, statusId);
    if (current.statusId === statusId) return [];
    await tx.update(orders).set({ statusId, updatedAt: now }).where(eq(orders.id, orderId));
    return [{ type: journalTypes.STATUS_CHANGED, orderId, data: { from: current.statusId, to: statusId } }];
  });
}

export async function recordPayment(services: Services, orderId: number, payment: z.infer<typeof paymentRecord>) {
  return changeOrder(services, orderId, async (tx, _current, now) => {
    const paidAt = payment.paidAt ? new Date(payment.paidAt) : now;
    const [row] = await tx
      .update(orders)
      .set({
        amountPaid: sql`${orders.amountPaid} + ${payment.amount}::numeric`,
        paidAt,
        ...(payment.method ? { paymentMethod: payment.method } : {}),
        updatedAt: now,
      })
      .where(eq(orders.id, orderId))
      .returning({ amountPaid: orders.amountPaid });
    return [
      {
        type: journalTypes.PAYMENT_RECEIVED,
        orderId,
        data: {
          amount: payment.amount,
          method: payment.method ?? null,
          paidAt: paidAt.toISOString(),
          amountPaid: Number(row?.amountPaid ?? 0).toFixed(2),
        },
      },
    ];
  });
}

export async function issueInvoice(services: Services, orderId: number, input: z.infer<typeof invoiceInput>) {
  const file = input.file ? decodeUpload(input.file, 'file', documentKinds, services.config.FILE_MAX_BYTES) : null;
  return changeOrder(services, orderId, async (tx) => {
    const fileId = file ? await storeFile(tx, file) : null;
    const [row] = await tx
      .insert(invoices)
      .values({ orderId, kind: input.kind, number: input.number, issueDate: input.issueDate, fileId })
      .returning({ id: invoices.id });
    await refreshOrderDocuments(tx, orderId);
    const type = input.kind === 'proforma' ? journalTypes.PROFORMA_ISSUED : journalTypes.INVOICE_ISSUED;
    return [{ type, orderId, data: { invoiceId: row?.id, number: input.number, kind: input.kind } }];
  });
}

export async function addParcel(services: Services, orderId: number, input: z.infer<typeof parcelInput>) {
  const photo = input.photo ? decodeUpload(input.photo, 'photo', imageKinds, services.config.FILE_MAX_BYTES) : null;
  return changeOrder(services, orderId, async (tx, _current, now) => {
    const photoFileId = photo ? await storeFile(tx, photo) : null;
    const [row] = await tx
      .insert(parcels)
      .values({
        orderId,
        carrier: input.carrier,
        trackingNumber: input.trackingNumber,
        trackingCompact: lookupForm(input.trackingNumber),
        status: input.status,
        photoFileId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: parcels.id });
    await refreshOrderDocuments(tx, orderId);
    return [
      {
        type: journalTypes.PARCEL_CREATED,
        orderId,
        data: { parcelId: row?.id, carrier: input.carrier, trackingNumber: input.trackingNumber, status: input.status },
      },
    ];
  });
}

export async function changeParcelStatus(services: Services, orderId: number, parcelId: number, status: string) {
  return changeOrder(services, orderId, async (tx, _current, now) => {
    const [parcel] = await tx
      .select({ status: parcels.status })
      .from(parcels)
      .where(and(eq(parcels.id, parcelId), eq(parcels.orderId, orderId)));
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND', `Order ${orderId} has no parcel ${parcelId}`);
    if (parcel.status === status) return [];
    await tx.update(parcels).set({ status, updatedAt: now }).where(eq(parcels.id, parcelId));
    await refreshOrderDocuments(tx, orderId);
    return [{ type: journalTypes.PARCEL_STATUS_CHANGED, orderId, data: { parcelId, from: parcel.status, to: status } }];
  });
}

export async function restoreOrder(services: Services, orderId: number) {
  return changeOrder(
    services,
    orderId,
    async (tx, current, now) => {
      if (!current.archivedAt) throw new AppError('ORDER_NOT_ARCHIVED', `Order ${current.number} is not archived`);
      await tx.update(orders).set({ archivedAt: null, restoredAt: now, updatedAt: now }).where(eq(orders.id, orderId));
      return [{ type: journalTypes.ORDER_RESTORED, orderId, data: {} }];
    },
    { allowArchived: true },
  );
}
