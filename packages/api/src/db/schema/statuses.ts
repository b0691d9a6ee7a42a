import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';

export const orderStatuses = pgTable('order_statuses', {
  id: text().primaryKey(),
  name: text().notNull(),
  customerName: text().notNull(),
  colour: text().notNull(),
  final: boolean().notNull().default(false),
  position: integer().notNull().default(0),
});
