import type { Order, OrderInput } from '@orderpost/shared';
import { lookupForm } from '@orderpost/shared';
import { canonicalEmail, normalizeEmail, normalizePhone, relayIdentity, storedNationalDigits } from '@orderpost/shared/normalize/index';
import { AppError } from '../../errors.js';
import type { OrderRow } from './orders.repository.js';

type RawInvoice = Omit<Order['invoices'][number], 'createdAt'> & { createdAt: string };
type RawParcel = Omit<Order['parcels'][number], 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

export function orderView(row: OrderRow): Order {
  return {
    id: row.id,
    number: row.number,
    source: row.source,
    externalId: row.externalId,
    status: row.statusId,
    orderedAt: iso(row.orderedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    archivedAt: isoOrNull(row.archivedAt),
    currency: row.currency,
    buyer: {
      name: row.buyerName,
      email: row.buyerEmail,
      phone: row.buyerPhone,
      phoneE164: row.buyerPhoneE164,
      login: row.buyerLogin,
    },
    deliveryAddress: row.deliveryAddress,
    invoiceAddress: row.invoiceAddress,
    items: row.items,
    total: Number(row.total).toFixed(2),
    payment: {
      method: row.paymentMethod,
      cashOnDelivery: row.cashOnDelivery,
      amountPaid: Number(row.amountPaid).toFixed(2),
      paidAt: isoOrNull(row.paidAt),
    },
    language: row.language,
    extraFields: row.extraFields,
    // The copies are written by orders.documents.ts as jsonb: timestamps come back as text.
    invoices: (row.invoicesView as RawInvoice[]).map((invoice) => ({ ...invoice, createdAt: iso(invoice.createdAt) })),
    parcels: (row.parcelsView as RawParcel[]).map((parcel) => ({
      ...parcel,
      createdAt: iso(parcel.createdAt),
      updatedAt: iso(parcel.updatedAt),
    })),
  };
}

/** Sum in cents, so 0.1 + 0.2 stays 0.30. */
export function orderTotal(items: { price: string; quantity: number }[]): string {
  const cents = items.reduce((sum, item) => sum + Math.round(Number(item.price) * 100) * item.quantity, 0);
  return (cents / 100).toFixed(2);
}

export interface BuyerColumns {
  buyerName: string | null;
  buyerEmail: string | null;
  buyerEmailNorm: string | null;
  buyerEmailCanonical: string | null;
  buyerPhone: string | null;
  buyerPhoneE164: string | null;
  buyerPhoneNational: string | null;
  buyerLogin: string | null;
  buyerLoginNorm: string | null;
}

/**
 * How buyer phone numbers are read: national numbers in the countries given,
 * in order (the order's delivery country, then the shop's default). An API
 * caller gets INVALID_PHONE for a number none of them can read; file imports
 * may keep such a number as written, without its E.164 form.
 */
export interface PhoneRules {
  countries: string[];
  keepUnreadable?: boolean;
}

export function readPhone(phone: string, countries: string[]): string | null {
  for (const country of countries) {
    const e164 = normalizePhone(phone, country);
    if (e164) return e164;
  }
  return null;
}

/** Buyer fields with their lookup forms; a phone that cannot be read as a number is refused unless the rules keep it. */
export function buyerColumns(buyer: NonNullable<OrderInput['buyer']>, rules: PhoneRules, fieldPrefix = 'buyer'): BuyerColumns {
  const email = emptyToNull(buyer.email);
  const phone = emptyToNull(buyer.phone);
  const login = emptyToNull(buyer.login);
  let phoneE164: string | null = null;
  if (phone) {
    phoneE164 = readPhone(phone, rules.countries);
    if (!phoneE164 && !rules.keepUnreadable) {
      throw new AppError(
        'INVALID_PHONE',
        `"${phone}" is not a phone number (read as a number of ${rules.countries.join(' or ')})`,
        `${fieldPrefix}.phone`,
      );
    }
  }
  return {
    buyerName: emptyToNull(buyer.name),
    buyerEmail: email,
    buyerEmailNorm: email ? normalizeEmail(email) : null,
    buyerEmailCanonical: email ? (relayIdentity(email) ?? canonicalEmail(email)) : null,
    buyerPhone: phone,
    buyerPhoneE164: phoneE164,
    buyerPhoneNational: phone ? storedNationalDigits(phone, phoneE164) : null,
    buyerLogin: login,
    buyerLoginNorm: login ? login.toLowerCase() : null,
  };
}

export function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

export function compactOrNull(value: string | null | undefined): string | null {
  return value ? lookupForm(value) : null;
}
