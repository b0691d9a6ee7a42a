import { z } from 'zod';

/**
 * Every string a request carries goes through here: well-formed Unicode only.
 * A lone surrogate ("\ud800", which JSON.parse happily produces) cannot be
 * stored in a jsonb column nor encoded as UTF-8, so it is refused up front.
 */
const LONE_SURROGATE = /\p{Cs}/u;
export const unicodeString = () =>
  z.string().refine((value) => !LONE_SURROGATE.test(value), { message: 'is not well-formed Unicode (a lone surrogate)', abort: true });

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the
 * bidirectional embeddings, overrides and isolates (which make a name or number
 * display as something else than it is): nothing a one-line field may hold.
 */
const NOT_ONE_LINE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** Multi-line text keeps tab, LF and CR; every other control character is refused. */
const CONTROL_BUT_LINE_BREAKS = /[^\P{Cc}\t\n\r]/u;

/**
 * One line of text (names, logins, subjects, numbers …), trimmed: no CR, LF,
 * tab or other control character, since such values end up in e-mail headers.
 */
export const text = (max: number) =>
  unicodeString()
    .trim()
    .refine((value) => !NOT_ONE_LINE.test(value), 'must be a single line without control or text-direction characters')
    .max(max);
export const requiredText = (max: number) => text(max).min(1);

/** Free text that may span lines (notes): keeps newlines and tabs, refuses other control characters. */
export const multilineText = (max: number) =>
  unicodeString()
    .refine((value) => !CONTROL_BUT_LINE_BREAKS.test(value), 'must not contain control characters other than tab and newlines')
    .max(max);

/**
 * Money as a decimal string with up to 2 decimals ("1199.00"); numbers are
 * accepted on input. Never negative: a discount is a lower price, and refunds
 * are not modelled yet.
 */
export const moneyInput = z.union([unicodeString(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value.trim().replace(',', '.');
  if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'must be an amount with at most 2 decimals, e.g. "19.99"' });
    return z.NEVER;
  }
  const amount = Number(text);
  if (amount < 0) {
    ctx.addIssue({ code: 'custom', message: 'must not be negative (refunds are not modelled yet)' });
    return z.NEVER;
  }
  // "-0.00" is zero.
  return Math.abs(amount).toFixed(2);
});

export const money = z.string().regex(/^-?\d+\.\d{2}$/);

/**
 * Dates and date-times are accepted from 1970-01-01 through 2200-12-31 (UTC):
 * no order is older than the epoch, and years below 100 are read differently
 * by JavaScript, PostgreSQL and the drivers between them.
 */
export const dateRange = { from: '1970-01-01', to: '2200-12-31' } as const;
const earliest = Date.parse(`${dateRange.from}T00:00:00Z`);
const afterLatest = Date.parse(`${dateRange.to}T00:00:00Z`) + 24 * 60 * 60 * 1000;
const outOfRange = { message: `must be between ${dateRange.from} and ${dateRange.to}`, params: { code: 'INVALID_DATE' } };
const inRange = (time: number) => Number.isNaN(time) || (time >= earliest && time < afterLatest);

export const isoDateTime = z.iso.datetime({ offset: true }).refine((value) => inRange(Date.parse(value)), outOfRange);
export const isoDate = z.iso.date().refine((value) => inRange(Date.parse(`${value}T00:00:00Z`)), outOfRange);

export const currency = unicodeString().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as "EUR"');
export const language = unicodeString().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language code such as "pl" or "en-GB"');
export const countryCode = unicodeString().regex(/^[A-Z]{2}$/, 'must be a 2-letter ISO 3166 country code such as "PL"');

/**
 * E-mail addresses: an ASCII local part (as zod's own check) at a domain
 * whose labels are letters and digits of any script (IDN) or ASCII punycode
 * ("xn--p1ai").
 */
const EMAIL =
  /^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})$/u;
export const emailAddress = (max: number) => z.email({ pattern: EMAIL }).max(max);

/** Ids are PostgreSQL integers: larger numbers are no id of ours. */
export const maxId = 2_147_483_647;

/**
 * A whole number in a path or query, written in decimal digits only: "0x10",
 * "1e3", " 1" and "+1" are no ids (z.coerce would read them as numbers).
 */
export const decimalInteger = (min: number, max: number) =>
  unicodeString().transform((value, ctx) => {
    if (!/^[0-9]+$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a whole number written in decimal digits', params: { code: 'INVALID_TYPE' } });
      return z.NEVER;
    }
    const number = Number(value);
    if (number < min || number > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}` });
      return z.NEVER;
    }
    return number;
  });

export const idParam = decimalInteger(1, maxId);

export const pageQuery = {
  limit: decimalInteger(1, 500).default(50),
  cursor: unicodeString().max(200).optional(),
};

export const fileUpload = z.strictObject({
  filename: requiredText(200),
  /** The file's bytes, base64-encoded. Its type is checked from the content, not the name. */
  contentBase64: unicodeString().min(1),
});
export type FileUpload = z.infer<typeof fileUpload>;

export const fileRef = z.object({
  id: z.number().int(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});
