import { z } from 'zod';
import { roles } from '../roles.js';
import { requiredText } from './common.js';

export const tokenInput = z.strictObject({
  name: requiredText(100),
  role: z.enum(roles),
});

export const apiToken = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(roles),
  /** First characters of the token, to recognise it; the token itself is never stored. */
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const createdToken = apiToken.extend({ token: z.string() });
