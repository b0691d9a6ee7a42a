import type { CountryCode } from 'libphonenumber-js/max';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { looksLikeDate } from './date-shape.js';

/**
 * A phone number as a person typed it → E.164 ("+48600987654"), or null when
 * it is not a plausible phone number.
 *
 * - International notation ("+48 …", "0048 …") needs no default country and is
 *   accepted when its length is possible for that country: reserved or
 *   fictional ranges (UK "7700 900xxx") are still real-looking numbers people
 *   type. National notation is read with `defaultCountry` and must be a valid
 *   number there (the "max" metadata checks the number ranges, not only the
 *   length), because a bare digit run is more often something else.
 * - "(+48) 600 …" is read as "+48 600 …".
 * - "(0)" is the trunk-prefix hint ("+44 (0)7700 900123") and is dropped.
 * - Letters, dates, and fewer than 7 or more than 15 digits are refused,
 *   which also rules out postcodes ("10-234").
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  const text = raw.trim().replace(BRACKETED_COUNTRY_CODE, '+$1');
  if (!PHONE_CHARACTERS.test(text) || looksLikeDate(text)) return null;
  const digitCount = countDigits(text);
  if (digitCount < MIN_DIGITS || digitCount > MAX_DIGITS) return null;

  const dialable = text.replace(TRUNK_HINT, ' ').replace(DOUBLE_ZERO_PREFIX, '+');
  const international = dialable.startsWith('+');
  const country = supportedCountry(defaultCountry);
  if (!international && !country) return null;

  const parsed = parsePhoneNumberFromString(dialable, country);
  if (!parsed) return null;
  if (parsed.isValid() || (international && parsed.isPossible())) return parsed.number;
  return null;
}

/**
 * The country (ISO 3166 code) of a number written in international notation
 * ("+49 …", "0049 …"), or null: national notation names no country.
 */
export function phoneCountry(raw: string): string | null {
  const e164 = normalizePhone(raw);
  return e164 ? (parsePhoneNumberFromString(e164)?.country ?? null) : null;
}

/**
 * The digits a phone number is looked up by whatever country it is from. In
 * international notation, the national significant number ("+39 347 1234567"
 * → "3471234567", "+33 6 12 34 56 78" → "612345678"). National notation names
 * no country, so its digits as written ("06 12 34 56 78" → "0612345678",
 * "(212) 555-0100" → "2125550100"): `nationalKeys` gives the forms to look up
 * (with and without a trunk "0"), and the matcher reads the written number in
 * the stored phone's country to confirm it. Null for fewer than 7 or more than
 * 15 digits, letters or a date.
 */
export function nationalDigits(raw: string): string | null {
  const text = raw.trim().replace(BRACKETED_COUNTRY_CODE, '+$1');
  if (!PHONE_CHARACTERS.test(text) || looksLikeDate(text)) return null;
  const digitCount = countDigits(text);
  if (digitCount < MIN_DIGITS || digitCount > MAX_DIGITS) return null;
  const dialable = text.replace(TRUNK_HINT, ' ').replace(DOUBLE_ZERO_PREFIX, '+');
  if (!dialable.startsWith('+')) return dialable.replace(NOT_DIGIT, '');
  const national = parsePhoneNumberFromString(dialable)?.nationalNumber;
  return national && national.length >= MIN_DIGITS ? national : null;
}

/** The stored forms a number written with these national digits may have: as written, and without a trunk "0". */
export function nationalKeys(national: string): string[] {
  return national.startsWith('0') ? [national, national.slice(1)] : [national];
}

/**
 * The national digits a buyer's phone is stored under: those of its E.164 form
 * when it was read, else those written without a trunk "0" (a number no
 * country reads, such as a fictional range, is matched by its digits).
 */
export function storedNationalDigits(raw: string, e164: string | null): string | null {
  if (e164) return parsePhoneNumberFromString(e164)?.nationalNumber ?? null;
  const national = nationalDigits(raw);
  return national?.startsWith('0') ? national.slice(1) : national;
}

/**
 * The written number read in `country` (national notation) or as written
 * (international), whether or not its range is in use: for confirming that a
 * number found by its national digits is the stored one. Null when it cannot be read.
 */
export function phoneAsIn(raw: string, country: string): string | null {
  const dialable = raw.trim().replace(BRACKETED_COUNTRY_CODE, '+$1').replace(TRUNK_HINT, ' ').replace(DOUBLE_ZERO_PREFIX, '+');
  const code = supportedCountry(country);
  if (!PHONE_CHARACTERS.test(dialable) || (!code && !dialable.startsWith('+'))) return null;
  const parsed = parsePhoneNumberFromString(dialable, code);
  return parsed?.isPossible() ? parsed.number : null;
}

/** The country of a number in E.164 form, or null. */
export function countryOfE164(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

const NOT_DIGIT = /\D/g;
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;
/** Optional "+", then digits and the separators people put between them. */
const PHONE_CHARACTERS = /^\+?[\d\s\-./()\u00a0]+$/;
const BRACKETED_COUNTRY_CODE = /^\(\+(\d{1,3})\)/;
const TRUNK_HINT = /\(0\)/g;
const DOUBLE_ZERO_PREFIX = /^00(?=[1-9])/;

function supportedCountry(code: string | undefined): CountryCode | undefined {
  const upper = code?.toUpperCase();
  return upper !== undefined && isSupportedCountry(upper) ? upper : undefined;
}

function countDigits(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}
