import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { files } from './files.js';

/** One row (id = 1): the shop's settings. */
export const shopSettings = pgTable('shop_settings', {
  id: integer().primaryKey().default(1),
  shopName: text().notNull().default('My shop'),
  logoFileId: integer().references(() => files.id),
  publicBaseUrl: text(),
  defaultCountry: text().notNull().default('PL'),
  defaultLanguage: text().notNull().default('en'),
  replyToEmail: text(),
  replyToName: text(),
  notificationEmail: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** When each periodic job last ran; claimed atomically so one process runs it. */
export const scheduledRuns = pgTable('scheduled_runs', {
  job: text().primaryKey(),
  lastRunAt: timestamp({ withTimezone: true }).notNull(),
  lastResult: text(),
});
