import { z } from 'zod';
import { mixesScripts } from '../identifiers.js';
import {
  countryCode,
  emailAddress,
  currency,
  fileRef,
  fileUpload,
  isoDate,
  isoDateTime,
  language,
  money,
  moneyInput,
  multilineText,
  pageQuery,
  requiredText,
  text,
  unicodeString,
} from './common.js';

export const orderSource = unicodeString().regex(
  /^[a-z0-9][a-z0-9_.-]{0,39}$/,
  'must be a lower-case source name such as "shop", "allegro", "amazon"',
);

/**
 * Order numbers as shops write them: digits, letters, dashes, slashes, dots,
 * underscores, and a leading "#" as Shopify and WooCommerce show them
 * ("#1001"; looked up without it, see `lookupForm`). Letters of one script
 * only, so "UУ-1" (Latin U, Cyrillic У) cannot pose as another number; digits
 * of any script compare as their values.
 */
export const orderNumber = text(64)
  .min(1)
  .regex(/^#?[\p{L}\p{N}][\p{L}\p{N}\-/_.#]*$/u, 'may start with # and contain letters, digits and - / _ . # only')
  .refine((value) => !mixesScripts(value), {
    message: 'mixes letters of different scripts (such as Latin and Cyrillic)',
    params: { code: 'MIXED_SCRIPTS' },
  });

export const address = z.strictObject({
  name: text(200).optional(),
  company: text(200).optional(),
  street: text(300).optional(),
  city: text(120).optional(),
  postcode: text(20).optional(),
  state: text(120).optional(),
  countryCode: countryCode.optional(),
});
export type Address = z.infer<typeof address>;

export const orderItemInput = z.strictObject({
  name: requiredText(500),
  sku: text(100).optional(),
  ean: unicodeString()
    .regex(/^\d{8,14}$/, 'must be 8 to 14 digits')
    .optional(),
  quantity: z.number().int().positive().max(1_000_000),
  price: moneyInput,
  taxRate: z.number().min(0).max(100).optional(),
});

export const buyerInput = z.strictObject({
  name: text(200).optional(),
  email: emailAddress(254).optional(),
  phone: text(40).optional(),
  login: text(120).optional(),
});

export const paymentInput = z.strictObject({
  method: text(80).optional(),
  cashOnDelivery: z.boolean().optional(),
  amountPaid: moneyInput.optional(),
});

/** Keys that name an object's own machinery in JavaScript: a client sending one means no good. */
const reservedKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Free-form fields of a shop (notes, marketplace flags). Keys are one line;
 * text values may span lines. A reserved key is refused by name rather than
 * dropped (zod's record skips `__proto__` silently), hence the look at the
 * raw input first.
 */
const maxExtraFields = 50;
const extraFields = z.preprocess(
  (value, ctx) => {
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    // Counted before any key or value is checked: a million keys would otherwise each be validated first (seconds of CPU).
    if (keys.length > maxExtraFields) {
      ctx.addIssue({ code: 'custom', message: `at most ${maxExtraFields} extra fields`, input: value });
      return value;
    }
    for (const key of keys) {
      if (reservedKeys.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is a reserved name`, path: [key], input: value });
    }
    return value;
  },
  z
    .record(requiredText(64), z.union([multilineText(2000), z.number(), z.boolean(), z.null()]))
    .refine((value) => Object.keys(value).length <= maxExtraFields, `at most ${maxExtraFields} extra fields`),
);

export const orderInput = z.strictObject({
  source: orderSource.default('shop'),
  /** The marketplace's or shop's own id; (source, externalId) is the upsert key. */
  externalId: text(100).min(1).nullish(),
  /** The seller's order number; assigned from a sequence when missing. */
  number: orderNumber.optional(),
  status: requiredText(40).optional(),
  orderedAt: isoDateTime.optional(),
  currency,
  buyer: buyerInput.optional(),
  deliveryAddress: address.nullable().optional(),
  invoiceAddress: address.nullable().optional(),
  items: z.array(orderItemInput).max(500).optional(),
  payment: paymentInput.optional(),
  language: language.nullable().optional(),
  extraFields: extraFields.optional(),
});
export type OrderInput = z.infer<typeof orderInput>;

export const orderBatchInput = z.strictObject({
  orders: z.array(z.unknown()).min(1).max(1000),
});

/** Editable fields; every field optional, unknown fields rejected. */
export const orderPatch = z.strictObject({
  number: orderNumber.optional(),
  orderedAt: isoDateTime.optional(),
  currency: currency.optional(),
  buyer: buyerInput.optional(),
  deliveryAddress: address.nullable().optional(),
  invoiceAddress: address.nullable().optional(),
  items: z.array(orderItemInput).max(500).optional(),
  payment: paymentInput.optional(),
  language: language.nullable().optional(),
  extraFields: extraFields.optional(),
});
export type OrderPatch = z.infer<typeof orderPatch>;

export const statusChange = z.strictObject({ status: requiredText(40) });

export const paymentRecord = z.strictObject({
  /** A payment of nothing records nothing: more than zero. */
  amount: moneyInput.refine((amount) => Number(amount) > 0, 'must be more than zero'),
  method: text(80).optional(),
  paidAt: isoDateTime.optional(),
});

export const invoiceInput = z.strictObject({
  kind: z.enum(['invoice', 'proforma']).default('invoice'),
  number: requiredText(64),
  issueDate: isoDate,
  file: fileUpload.optional(),
});

export const parcelInput = z.strictObject({
  carrier: requiredText(80),
  trackingNumber: requiredText(64),
  status: text(40).min(1).default('created'),
  photo: fileUpload.optional(),
});

export const parcelStatusChange = z.strictObject({ status: requiredText(40) });

export const orderItem = z.object({
  name: z.string(),
  sku: z.string().nullable(),
  ean: z.string().nullable(),
  quantity: z.number().int(),
  price: money,
  taxRate: z.number().nullable(),
});

export const invoice = z.object({
  id: z.number().int(),
  kind: z.enum(['invoice', 'proforma']),
  number: z.string(),
  issueDate: z.string(),
  file: fileRef.nullable(),
  createdAt: z.string(),
});

export const parcel = z.object({
  id: z.number().int(),
  carrier: z.string(),
  trackingNumber: z.string(),
  status: z.string(),
  photo: fileRef.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const order = z.object({
  id: z.number().int(),
  number: z.string(),
  source: z.string(),
  externalId: z.string().nullable(),
  status: z.string(),
  orderedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
  currency: z.string(),
  buyer: z.object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    phoneE164: z.string().nullable(),
    login: z.string().nullable(),
  }),
  deliveryAddress: address.nullable(),
  invoiceAddress: address.nullable(),
  items: z.array(orderItem),
  total: money,
  payment: z.object({
    method: z.string().nullable(),
    cashOnDelivery: z.boolean(),
    amountPaid: money,
    paidAt: z.string().nullable(),
  }),
  language: z.string().nullable(),
  extraFields: z.record(z.string(), z.unknown()),
  invoices: z.array(invoice),
  parcels: z.array(parcel),
});
export type Order = z.infer<typeof order>;

export const orderListQuery = z.strictObject({
  ...pageQuery,
  status: text(40).optional(),
  source: text(40).optional(),
  orderedFrom: isoDateTime.optional(),
  orderedTo: isoDateTime.optional(),
  email: text(254).optional(),
  phone: text(40).optional(),
  number: text(64).optional(),
  archived: z.enum(['false', 'true', 'all']).default('false'),
});

export const orderPage = z.object({
  orders: z.array(order),
  nextCursor: z.string().nullable(),
});

export const batchResult = z.object({
  results: z.array(
    z.object({ index: z.number().int(), id: z.number().int(), number: z.string(), outcome: z.enum(['created', 'updated', 'unchanged']) }),
  ),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

/**
 * The order page's secret address: `url` is `<publicBaseUrl>/p/<pageToken>`,
 * null while the shop has no public base URL (settings).
 */
export const orderPageLink = z.object({
  pageToken: z.string(),
  url: z.string().nullable(),
});
export type OrderPageLink = z.infer<typeof orderPageLink>;
