import { z } from 'zod';
import { journalTypeNumbers } from '../journal.js';

export const journalQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Comma-separated type numbers, e.g. "1,18". */
  types: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated type numbers such as "1,18"')
    .transform((value) => value.split(',').map(Number))
    .refine((types) => types.every((t) => (journalTypeNumbers as number[]).includes(t)), 'unknown journal type')
    .optional(),
  orderId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
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
