import { z } from 'zod';
import { requiredText, unicodeString } from './common.js';

export const statusId = unicodeString().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be a lower-case id such as "shipped"');
export const colour = unicodeString().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as "#1e88e5"');

export const orderStatus = z.object({
  id: z.string(),
  name: z.string(),
  customerName: z.string(),
  colour: z.string(),
  final: z.boolean(),
  position: z.number().int(),
});
export type OrderStatus = z.infer<typeof orderStatus>;
export const orderStatusList = z.object({ statuses: z.array(orderStatus) });

export const orderStatusInput = z.strictObject({
  id: statusId,
  name: requiredText(80),
  customerName: requiredText(80).optional(),
  colour: colour.default('#607d8b'),
  final: z.boolean().default(false),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const orderStatusPatch = z.strictObject({
  name: requiredText(80).optional(),
  customerName: requiredText(80).optional(),
  colour: colour.optional(),
  final: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
