import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Failed token checks per client address, shared by every API process: the
 * count since `windowStart`; a new window starts with the first failure after
 * the old one ended. Rows of ended windows are deleted now and then.
 */
export const authFailures = pgTable('auth_failures', {
  clientKey: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});
