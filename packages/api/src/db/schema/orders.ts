import { boolean, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Address } from '@orderpost/shared';

export interface OrderItemRow {
  name: string;
  sku: string | null;
  ean: string | null;
  quantity: number;
  price: string;
  taxRate: number | null;
}
import { files } from './files.js';
import { orderStatuses } from './statuses.js';

export const orders = pgTable(
  'orders',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    number: text().notNull(),
    /** Upper-case, separators removed: how a number typed by a person is looked up. */
    numberCompact: text().notNull(),
    source: text().notNull(),
    externalId: text(),
    externalIdCompact: text(),
    statusId: text()
      .notNull()
      .references(() => orderStatuses.id),
    orderedAt: timestamp({ withTimezone: true }).notNull(),
    currency: text().notNull(),
    buyerName: text(),
    buyerEmail: text(),
    /** Lower-cased e-mail for exact lookups. */
    buyerEmailNorm: text(),
    /** Gmail-canonical / relay identity, for the matcher. */
    buyerEmailCanonical: text(),
    buyerPhone: text(),
    buyerPhoneE164: text('buyer_phone_e164'),
    /** `storedNationalDigits`: the phone found by its national number, written in any country's notation. */
    buyerPhoneNational: text(),
    buyerLogin: text(),
    buyerLoginNorm: text(),
    deliveryAddress: jsonb().$type<Address>(),
    invoiceAddress: jsonb().$type<Address>(),
    paymentMethod: text(),
    cashOnDelivery: boolean().notNull().default(false),
    amountPaid: numeric({ precision: 14, scale: 2 }).notNull().default('0'),
    paidAt: timestamp({ withTimezone: true }),
    language: text(),
    extraFields: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The order lines: read and replaced with the order, so they live in its row. */
    items: jsonb().$type<OrderItemRow[]>().notNull().default([]),
    /** Sum of price × quantity of the items, kept with them. */
    total: numeric({ precision: 14, scale: 2 }).notNull().default('0'),
    /**
     * Copies of the order's invoices and parcels as the API shows them, rewritten
     * in the same transaction as every change to those tables (see
     * orders.documents.ts), so reading an order is one row of one table.
     */
    invoicesView: jsonb().$type<unknown[]>().notNull().default([]),
    parcelsView: jsonb().$type<unknown[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp({ withTimezone: true }),
    /** Set by a restore: the archive job counts the order's age from here, so a restore sticks. */
    restoredAt: timestamp({ withTimezone: true }),
    /**
     * The secret part of the order page's URL (`[order_link]`): 128 random bits,
     * base64url; made when first needed, replaced when an admin rotates it.
     */
    pageToken: text(),
  },
  (t) => [
    // Unique as people type numbers: "PH-1", "ph 1" and "PH1" are one order number.
    uniqueIndex('orders_number_compact_key').on(t.numberCompact),
    // NULL external ids never conflict, so shop orders without one are plain inserts.
    uniqueIndex('orders_source_external_id_key').on(t.source, t.externalId),
    index('orders_external_id_compact_idx').on(t.externalIdCompact),
    index('orders_buyer_email_norm_idx').on(t.buyerEmailNorm),
    index('orders_buyer_email_canonical_idx').on(t.buyerEmailCanonical),
    index('orders_buyer_phone_idx').on(t.buyerPhoneE164),
    index('orders_buyer_phone_national_idx').on(t.buyerPhoneNational),
    index('orders_buyer_login_idx').on(t.buyerLoginNorm),
    index('orders_status_idx').on(t.statusId, t.orderedAt),
    index('orders_ordered_at_idx').on(t.orderedAt),
    uniqueIndex('orders_page_token_key').on(t.pageToken),
  ],
);

export const invoices = pgTable(
  'invoices',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    kind: text().notNull().$type<'invoice' | 'proforma'>(),
    number: text().notNull(),
    issueDate: date({ mode: 'string' }).notNull(),
    fileId: integer().references(() => files.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('invoices_order_idx').on(t.orderId)],
);

export const parcels = pgTable(
  'parcels',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    carrier: text().notNull(),
    trackingNumber: text().notNull(),
    trackingCompact: text().notNull(),
    status: text().notNull(),
    photoFileId: integer().references(() => files.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('parcels_order_idx').on(t.orderId), index('parcels_tracking_compact_idx').on(t.trackingCompact)],
);
