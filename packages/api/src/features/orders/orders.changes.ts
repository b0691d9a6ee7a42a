import { eq } from 'drizzle-orm';
import type { OrderInput, OrderPatch } from '@orderpost/shared';
import { journalTypes } from '@orderpost/shared';
import type { Queryable } from '../../db/client.js';
import { orders, type OrderItemRow } from '../../db/schema/index.js';
import type { JournalEntry } from '../journal/journal.writer.js';
import { buyerColumns, compactOrNull, emptyToNull, orderTotal, type PhoneRules } from './orders.mapper.js';

export type OrderRecord = typeof orders.$inferSelect;
type OrderValues = Partial<typeof orders.$inferInsert>;
type ItemInput = NonNullable<OrderInput['items']>[number];

/** The fields an edit may touch (PATCH, or an upsert of an existing order). */
export type OrderChanges = OrderPatch & Pick<OrderInput, 'status'>;

export function itemValues(items: ItemInput[]): OrderItemRow[] {
  return items.map((item) => ({
    name: item.name,
    sku: emptyToNull(item.sku),
    ean: emptyToNull(item.ean),
    quantity: item.quantity,
    price: item.price,
    taxRate: item.taxRate ?? null,
  }));
}

/** Where a national phone number of this order is most likely from: the delivery country, then the shop's. */
function phoneCountries(input: OrderChanges, current: OrderRecord | null, shop: ShopPhoneRules): string[] {
  const delivery = input.deliveryAddress === undefined ? current?.deliveryAddress : input.deliveryAddress;
  const invoice = input.invoiceAddress === undefined ? current?.invoiceAddress : input.invoiceAddress;
  return [...new Set([delivery?.countryCode, invoice?.countryCode, shop.defaultCountry].filter((c): c is string => Boolean(c)))];
}

/** The shop-wide part of the phone rules. */
export interface ShopPhoneRules {
  defaultCountry: string;
  keepUnreadable?: boolean;
}

/** Column values for the fields present in the input; absent fields are not touched. */
export function columnValues(input: OrderChanges, current: OrderRecord | null, shop: ShopPhoneRules): OrderValues {
  const values: OrderValues = {};
  if (input.number !== undefined) {
    values.number = input.number;
    values.numberCompact = compactOrNull(input.number) ?? '';
  }
  if (input.orderedAt !== undefined) values.orderedAt = new Date(input.orderedAt);
  if (input.currency !== undefined) values.currency = input.currency;
  if (input.buyer !== undefined) {
    const merged = {
      name: current?.buyerName ?? undefined,
      email: current?.buyerEmail ?? undefined,
      phone: current?.buyerPhone ?? undefined,
      login: current?.buyerLogin ?? undefined,
      ...input.buyer,
    };
    const rules: PhoneRules = { countries: phoneCountries(input, current, shop), keepUnreadable: shop.keepUnreadable };
    Object.assign(values, buyerColumns(merged, rules));
  }
  if (input.deliveryAddress !== undefined) values.deliveryAddress = input.deliveryAddress;
  if (input.invoiceAddress !== undefined) values.invoiceAddress = input.invoiceAddress;
  if (input.payment !== undefined) {
    if (input.payment.method !== undefined) values.paymentMethod = emptyToNull(input.payment.method);
    if (input.payment.cashOnDelivery !== undefined) values.cashOnDelivery = input.payment.cashOnDelivery;
    if (input.payment.amountPaid !== undefined) values.amountPaid = input.payment.amountPaid;
  }
  if (input.language !== undefined) values.language = input.language;
  if (input.extraFields !== undefined) values.extraFields = input.extraFields;
  if (input.status !== undefined) values.statusId = input.status;
  if (input.items !== undefined) {
    values.items = itemValues(input.items);
    values.total = orderTotal(values.items);
  }
  return values;
}

/** Order-independent JSON, for comparing jsonb values (PostgreSQL reorders object keys). */
function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sameValue(key: string, before: unknown, after: unknown): boolean {
  if (key === 'amountPaid' || key === 'total') return Number(before).toFixed(2) === Number(after).toFixed(2);
  if (key === 'items') return sameItems(before as OrderItemRow[], after as OrderItemRow[]);
  return stableJson(before) === stableJson(after);
}

/** Journal field names: what a person edited, not the lookup columns derived from it. */
const derivedColumns = new Set([
  'numberCompact',
  'buyerEmailNorm',
  'buyerEmailCanonical',
  'buyerPhoneE164',
  'buyerPhoneNational',
  'buyerLoginNorm',
  'total',
]);

export function changedColumns(current: OrderRecord, values: OrderValues): OrderValues {
  const changed: OrderValues = {};
  for (const [key, value] of Object.entries(values)) {
    if (!sameValue(key, current[key as keyof OrderRecord], value)) (changed as Record<string, unknown>)[key] = value;
  }
  return changed;
}

export function sameItems(current: OrderItemRow[], next: OrderItemRow[]): boolean {
  const shape = (items: OrderItemRow[]) =>
    stableJson(
      items.map((i) => ({ ...i, price: Number(i.price).toFixed(2), sku: i.sku ?? null, ean: i.ean ?? null, taxRate: i.taxRate ?? null })),
    );
  return shape(current) === shape(next);
}

/**
 * Applies an edit to one existing order inside the caller's transaction and
 * returns its journal entries (none when nothing changed).
 */
export async function applyChanges(
  tx: Queryable,
  current: OrderRecord,
  input: OrderChanges,
  shop: ShopPhoneRules,
  now: Date,
): Promise<JournalEntry[]> {
  const changed = changedColumns(current, columnValues(input, current, shop));
  const { statusId, ...edited } = changed;
  const editedFields = Object.keys(edited).filter((key) => !derivedColumns.has(key));
  if (editedFields.length === 0 && statusId === undefined) return [];

  await tx
    .update(orders)
    .set({ ...changed, updatedAt: now })
    .where(eq(orders.id, current.id));
  const entries: JournalEntry[] = [];
  if (editedFields.length > 0) {
    entries.push({ type: journalTypes.ORDER_EDITED, orderId: current.id, data: { fields: editedFields.map(fieldName) } });
  }
  if (statusId !== undefined) {
    entries.push({ type: journalTypes.STATUS_CHANGED, orderId: current.id, data: { from: current.statusId, to: statusId } });
  }
  return entries;
}

/** API field names for journal data ("buyerEmail" → "buyer.email"). */
function fieldName(column: string): string {
  const buyer = /^buyer([A-Z]\w*)$/.exec(column);
  if (buyer?.[1]) return `buyer.${buyer[1].charAt(0).toLowerCase()}${buyer[1].slice(1)}`;
  if (column === 'paymentMethod') return 'payment.method';
  if (column === 'cashOnDelivery') return 'payment.cashOnDelivery';
  if (column === 'amountPaid') return 'payment.amountPaid';
  return column;
}
