import { bigint, index, integer, jsonb, pgTable, smallint, timestamp } from 'drizzle-orm/pg-core';

export const journal = pgTable(
  'journal',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    type: smallint().notNull(),
    orderId: integer(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('journal_order_idx').on(t.orderId, t.id), index('journal_type_idx').on(t.type, t.id)],
);
