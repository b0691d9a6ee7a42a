import { looksLikeDate } from '../normalize/date-shape.js';
import type { RejectedKind, TokenKind } from './types.js';

/**
 * What a candidate's own characters and its immediate surroundings say it is.
 * Only shapes that are unambiguous are decided here; the words before a token
 * are handled in context.ts.
 */

/** The recognisable kind of an accepted token. */
export function tokenKind(raw: string, compact: string): TokenKind {
  if (UUID.test(raw)) return 'uuid';
  if (MARKETPLACE_ORDER.some((pattern) => pattern.test(raw))) return 'marketplace-order';
  if (TRACKING.some((pattern) => pattern.test(compact))) return 'tracking';
  return ALL_DIGITS.test(compact) ? 'number' : 'code';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALL_DIGITS = /^\d+$/;

const MARKETPLACE_ORDER: readonly RegExp[] = [
  /^\d{3}[- ]\d{7}[- ]\d{7}$/, // Amazon
  /^\d{2}[- ]\d{5}[- ]\d{5}$/, // eBay
];

const TRACKING: readonly RegExp[] = [
  /^1Z[0-9A-Z]{16}$/, // UPS
  /^[A-Z]{2}\d{9}[A-Z]{2}$/, // UPU S10 (national posts)
  /^JJD\d{10,}$/, // DHL parcel
  /^JVGL\d{10,}$/, // DHL eCommerce
  /^\d{18,30}$/, // SSCC (18/20 digits) and other long carrier numbers (InPost 24, DHL, DPD)
];

/** Supplier invoice numbers written with their series prefix ("FV/2026/11/123", "INV-2026-0042"). */
export function looksLikeInvoiceNumber(raw: string): boolean {
  return INVOICE_NUMBER.test(raw);
}

const INVOICE_NUMBER = /^(?:FV|FVAT|FVS|FAKT|INV)[-/ ]?\d/i;

/**
 * The rejected kind a candidate has by its shape and the characters right
 * around it, or null. `before` and `after` are the line's text around it.
 */
export function rejectedShape(raw: string, before: string, after: string): RejectedKind | null {
  if (PHONE_PREFIX.test(before)) return 'phone';
  if (looksLikeDate(raw) || ISO_DATE_TIME.test(raw) || TIME_AFTER.test(after)) return 'date';
  if (CURRENCY_BEFORE.test(before) || CURRENCY_AFTER.test(after) || AMOUNT.test(raw) || DECIMALS_AFTER.test(after)) return 'price';
  if (PERCENT_AFTER.test(after)) return 'percent';
  // Quantities are short: a long run followed by a unit-like word is still an identifier.
  if (QUANTITY.test(raw) || (UNIT_AFTER.test(after) && digitCount(raw) <= 6) || hasQuantityPart(raw)) return 'quantity';
  if (isBankAccount(raw)) return 'iban';
  return null;
}

/** "+48 600…" — a "+" right before the number (a country code follows). */
const PHONE_PREFIX = /\+\s?$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{1,2}$/i;
/** "6. November 2026 10:00": a run ending in the hour of a time belongs to a date. */
const TIME_AFTER = /^:\d{2}(?!\d)/;
const CURRENCY_CODES = 'pln|zł|zl|eur|euro|euros|usd|gbp|chf|czk|kč|kc|sek|nok|dkk|huf|ft|ron|lei|złotych|zlotych';
const CURRENCY_BEFORE = new RegExp(`(?:[€$£¥]|(?<![\\p{L}])(?:${CURRENCY_CODES}))\\s?$`, 'iu');
const CURRENCY_AFTER = new RegExp(`^(?:\\s?[€$£¥]|\\s?(?:${CURRENCY_CODES})(?![\\p{L}])|,-)`, 'iu');
/** Amounts with decimals and optional thousands groups: "10.99", "1 199,00", "1.199,00", "24,9". */
const AMOUNT = /^\d{1,3}(?:[ .,\u00a0\u202f]\d{3})*[.,]\d{1,2}$|^\d+[.,]\d{1,2}$/;
/** "1 199,00": the comma is no token separator, so the decimals follow the run. */
const DECIMALS_AFTER = /^,\d{1,2}(?!\d)/;
const PERCENT_AFTER = /^\s?%/;
/** Units glued to a number ("250g", "1000ml"); single letters are safe only when glued. */
const GLUED_UNITS = 'mg|g|kg|dag|ml|cl|dl|l|mm|cm|m|km|szt|pcs|pc|stk|x|h|min|gb|mb|tb|w|kw|kwh|v|mah';
/** Units written after a space; no one-letter words here ("10243 w sklepie" is Polish "in the shop"). */
const SPACED_UNITS = 'mg|g|kg|dag|ml|cl|dl|mm|cm|km|szt|pcs|stk|gb|mb|tb|kwh|mah|sztuk|stück';
const QUANTITY = new RegExp(`^\\d+(?:[.,]\\d+)?(?:${GLUED_UNITS})$`, 'i');
const UNIT_AFTER = new RegExp(`^\\s(?:${SPACED_UNITS})(?![\\p{L}\\p{N}])`, 'iu');

function digitCount(raw: string): number {
  return raw.replace(/\D/g, '').length;
}

/** "250g 2x": groups typed with spaces where one is a quantity. */
function hasQuantityPart(raw: string): boolean {
  return SPACED_GROUP.test(raw) && raw.split(SPACED_GROUP).some((part) => QUANTITY.test(part));
}

const SPACED_GROUP = /[ \u00a0\u202f]/;

/** IBANs (checksum verified) and Polish NRB account numbers (26 digits, checksum of the PL IBAN). */
function isBankAccount(raw: string): boolean {
  const compact = raw.replace(/[\s\u00a0-]/g, '').toUpperCase();
  if (/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return ibanChecksumValid(compact);
  if (/^\d{26}$/.test(compact)) return ibanChecksumValid(`PL${compact}`);
  return false;
}

function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' && char <= 'Z' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
