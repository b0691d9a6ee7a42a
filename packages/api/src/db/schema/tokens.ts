import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const apiTokens = pgTable('api_tokens', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull(),
  role: text().notNull().$type<'admin' | 'agent' | 'integration'>(),
  /** SHA-256 of the token (hex); the token itself is shown once and never stored. */
  tokenHash: text().notNull().unique(),
  prefix: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
});
