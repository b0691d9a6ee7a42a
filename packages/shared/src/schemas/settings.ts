import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { countryCode, emailAddress, language, text, unicodeString } from './common.js';

export const shopSettings = z.object({
  shopName: z.string(),
  logo: z.object({ id: z.number().int(), contentType: z.string(), size: z.number().int() }).nullable(),
  publicBaseUrl: z.string().nullable(),
  defaultCountry: z.string(),
  defaultLanguage: z.string(),
  replyToEmail: z.string().nullable(),
  replyToName: z.string().nullable(),
  /** Where the notification of a customer's message on the order page goes; null: messages are stored, no e-mail is sent. */
  notificationEmail: z.string().nullable(),
  /** The order page shows the customer's message form (never on archived orders). */
  pageFormEnabled: z.boolean(),
  /**
   * E-mails of kinds page_and_email and page_and_email_notice end with "Message generated
   * automatically, please do not reply. Preferred contact through the form on the order page: <link>".
   */
  noReplyFooter: z.boolean(),
  updatedAt: z.string(),
});
export type ShopSettings = z.infer<typeof shopSettings>;

/** Characters a URL may hold (RFC 3986) plus non-ASCII letters, which the URL parser encodes. */
const URL_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&()*+,;=%\u00a0-\uffff]+$/;

/**
 * The address links sent to customers start with: an absolute http(s) URL
 * without credentials, query or fragment, as the URL parser writes it (lower-case
 * host, default port dropped, IDN in punycode), without a trailing slash
 * ("https://shop.example/" → "https://shop.example"), so links are `${base}/…`.
 */
export const publicBaseUrl = unicodeString()
  .trim()
  .max(300)
  .transform((value, ctx) => {
    // "https:shop.example" parses too, as something else than was meant: the two slashes are required.
    const url = /^https?:\/\/[^/]/i.test(value) && URL.canParse(value) && URL_CHARACTERS.test(value) ? new URL(value) : null;
    const problem =
      url === null
        ? 'must be an absolute URL such as "https://shop.example"'
        : url.protocol !== 'http:' && url.protocol !== 'https:'
          ? 'must be an http or https URL'
          : url.username !== '' || url.password !== ''
            ? 'must not contain a user name or password'
            : url.search !== '' || url.hash !== '' || /[?#]/.test(value)
              ? 'must not have a query or fragment'
              : null;
    if (url === null || problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem ?? 'is not a URL' });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  });

export const shopSettingsPatch = z.strictObject({
  shopName: text(120).min(1).optional(),
  publicBaseUrl: publicBaseUrl.nullable().optional(),
  /** Must be a country whose phone numbers can be read: national numbers are read in it. */
  defaultCountry: countryCode.refine((code) => isSupportedCountry(code), 'is not a country whose phone numbers are known').optional(),
  defaultLanguage: language.optional(),
  replyToEmail: emailAddress(254).nullable().optional(),
  replyToName: text(120).nullable().optional(),
  notificationEmail: emailAddress(254).nullable().optional(),
  pageFormEnabled: z.boolean().optional(),
  noReplyFooter: z.boolean().optional(),
});
