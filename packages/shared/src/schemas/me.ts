import { z } from 'zod';
import { roles } from '../roles.js';

/**
 * `GET /v1/me`: whose token this is, and what a client (the Thunderbird
 * add-on) needs of the shop's settings to read e-mails the way the API does.
 */
export const me = z.object({
  token: z.object({ id: z.number().int(), name: z.string(), role: z.enum(roles) }),
  shop: z.object({
    name: z.string(),
    /** Phone numbers written without a country code are read in this country. */
    defaultCountry: z.string(),
    defaultLanguage: z.string(),
    /** The shop's own e-mail domains: their addresses identify no buyer (extractor's `ownDomains`). */
    ownDomains: z.array(z.string()),
    /** Where order pages live (`${publicBaseUrl}/p/<token>`); null when not set. */
    publicBaseUrl: z.string().nullable(),
  }),
});
export type Me = z.infer<typeof me>;
