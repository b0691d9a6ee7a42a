import { boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
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
  /** The order page shows the customer's message form (archived orders never do). */
  pageFormEnabled: boolean().notNull().default(true),
  /** E-mails that point to the order page end with "Message generated automatically, please do not reply…". */
  noReplyFooter: boolean().notNull().default(false),
  /** Key of the order-page form tokens (HMAC); made on first use, never returned by the API. */
  pageFormSecret: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** When each periodic job last ran; claimed atomically so one process runs it. */
export const scheduledRuns = pgTable('scheduled_runs', {
  job: text().primaryKey(),
  lastRunAt: timestamp({ withTimezone: true }).notNull(),
  lastResult: text(),
});

/**
 * Fixed-window counters shared by every API process (order-page posts per
 * order and per client address): the count since `windowStart`; a new window
 * starts with the first hit after the old one ended.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});
