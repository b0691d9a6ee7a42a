import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { countryCode, language, text } from './common.js';

export const shopSettings = z.object({
  shopName: z.string(),
  logo: z.object({ id: z.number().int(), contentType: z.string(), size: z.number().int() }).nullable(),
  publicBaseUrl: z.string().nullable(),
  defaultCountry: z.string(),
  defaultLanguage: z.string(),
  replyToEmail: z.string().nullable(),
  replyToName: z.string().nullable(),
  notificationEmail: z.string().nullable(),
  updatedAt: z.string(),
});
export type ShopSettings = z.infer<typeof shopSettings>;

export const shopSettingsPatch = z.strictObject({
  shopName: text(120).min(1).optional(),
  publicBaseUrl: z
    .url({ protocol: /^https?$/ })
    .max(300)
    .nullable()
    .optional(),
  /** Must be a country whose phone numbers can be read: national numbers are read in it. */
  defaultCountry: countryCode.refine((code) => isSupportedCountry(code), 'is not a country whose phone numbers are known').optional(),
  defaultLanguage: language.optional(),
  replyToEmail: z.email().max(254).nullable().optional(),
  replyToName: text(120).nullable().optional(),
  notificationEmail: z.email().max(254).nullable().optional(),
});
