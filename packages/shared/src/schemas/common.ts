import { z } from 'zod';

/** Money as a decimal string with up to 2 decimals ("1199.00"); numbers are accepted on input. */
export const moneyInput = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value.trim().replace(',', '.');
  if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'must be an amount with at most 2 decimals, e.g. "19.99"' });
    return z.NEVER;
  }
  return Number(text).toFixed(2);
});

export const money = z.string().regex(/^-?\d+\.\d{2}$/);

export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();

export const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as "EUR"');
export const language = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language code such as "pl" or "en-GB"');
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be a 2-letter ISO 3166 country code such as "PL"');

export const text = (max: number) => z.string().trim().max(max);
export const requiredText = (max: number) => z.string().trim().min(1).max(max);

/** Ids are PostgreSQL integers: larger numbers are no id of ours. */
export const maxId = 2_147_483_647;
export const idParam = z.coerce.number().int().positive().max(maxId);

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
};

export const fileUpload = z.strictObject({
  filename: requiredText(200),
  /** The file's bytes, base64-encoded. Its type is checked from the content, not the name. */
  contentBase64: z.string().min(1),
});
export type FileUpload = z.infer<typeof fileUpload>;

export const fileRef = z.object({
  id: z.number().int(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});
