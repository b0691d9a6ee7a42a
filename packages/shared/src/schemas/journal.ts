import { z } from 'zod';
import { journalTypeNumbers } from '../journal.js';
import { decimalInteger, maxId, unicodeString } from './common.js';

export const journalQuery = z.strictObject({
  after: decimalInteger(0, Number.MAX_SAFE_INTEGER).default(0),
  limit: decimalInteger(1, 1000).default(100),
  /** Comma-separated type numbers, e.g. "1,18". */
  types: unicodeString()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated type numbers such as "1,18"')
    .transform((value) => value.split(',').map(Number))
    .refine((types) => types.every((t) => (journalTypeNumbers as number[]).includes(t)), 'unknown journal type')
    .optional(),
  orderId: decimalInteger(1, maxId).optional(),
});

export const journalEvent = z.object({
  id: z.number().int(),
  type: z.number().int(),
  typeName: z.string(),
  orderId: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const journalPage = z.object({
  events: z.array(journalEvent),
  /** Pass as `after` in the next poll; equals the request's `after` when nothing new came. */
  lastId: z.number().int(),
});
