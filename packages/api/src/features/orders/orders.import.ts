import { readFile } from 'node:fs/promises';
import { inArray, sql } from 'drizzle-orm';
import { lookupForm, orderInput, parcelInput } from '@orderpost/shared';
import { z } from 'zod';
import { orders, parcels } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { phoneCountry } from '@orderpost/shared/normalize/index';
import { joinPath } from '../../issues.js';
import { recordSentMessage } from '../match/match.service.js';
import { updateSettings } from '../settings/settings.service.js';
import { listStatuses } from '../statuses/statuses.service.js';
import { addParcel } from './orders.service.js';
import { upsertOrders } from './orders.upsert.js';

/** The corpus format (shared/corpus/match/orders.json): the shop, and orders as an export of a shop system. */
const nullableText = z.string().nullish();
const fileOrder = z.object({
  number: z.string(),
  source: z.string().default('shop'),
  externalId: nullableText,
  status: z.string().optional(),
  createdAt: z.string().optional(),
  currency: z.string(),
  buyer: z.object({ name: nullableText, email: nullableText, phone: nullableText, login: nullableText }).nullish(),
  items: z
    .array(z.object({ name: z.string(), sku: nullableText, quantity: z.number(), price: z.union([z.string(), z.number()]) }))
    .default([]),
  packages: z.array(z.object({ carrier: z.string(), trackingNumber: z.string() })).default([]),
  sentMessages: z.array(z.object({ messageId: z.string(), subject: nullableText, sentAt: nullableText })).default([]),
});
const ordersFile = z.object({
  /** `country` (optional, ISO 3166) reads national phone numbers; without it the file's international numbers tell. */
  shop: z.object({
    name: z.string().trim().min(1).max(200),
    email: z.email(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
  }),
  orders: z.array(fileOrder),
});

type FileOrder = z.infer<typeof fileOrder>;
type Parcel = z.infer<typeof parcelInput>;

/** An e-mail the shop already sent for an order: recorded, so customer replies to it find the order. */
export interface SentMessage {
  orderNumber: string;
  orderId: number | null;
  messageId: string;
  subject: string | null;
  sentAt: string | null;
}

export interface ParsedOrder {
  number: string;
  source: string;
  externalId: string | null;
  /** What goes to `upsertOrders`: already checked against `orderInput`. */
  input: z.input<typeof orderInput>;
  parcels: Parcel[];
  sentMessages: Omit<SentMessage, 'orderId'>[];
}

export interface OrdersFile {
  shop: { name: string; email: string; country?: string };
  orders: ParsedOrder[];
}

export interface LoadResult {
  orders: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Orders already in the database and archived: left as they are. */
  archived: number;
  /** Parcels added (those already on the order are not added again). */
  parcels: number;
  sentMessages: SentMessage[];
  /** Sent e-mails recorded now (those already recorded are not counted). */
  sentMessagesRecorded: number;
  /** Whether the file's shop name, reply-to and country were applied (only to settings nobody changed). */
  shopSettingsApplied: boolean;
  /** The default country set for reading phone numbers, and where it came from. */
  defaultCountry: { country: string; from: 'file' | 'phones' | 'settings' };
}

/** A file that cannot be loaded; the message says why and where. */
export class OrdersFileError extends Error {}

const batchSize = 500;
/** The shop name a new database starts with (the column's default). */
const defaultShopName = 'My shop';
const maxListedProblems = 10;

export async function readOrdersFile(path: string): Promise<OrdersFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OrdersFileError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${code ?? String(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new OrdersFileError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseOrdersFile(raw, path);
}

/** Checks the file's shape, then every order against the API's own `orderInput`, so nothing is written for a file with problems. */
export function parseOrdersFile(raw: unknown, label = 'orders file'): OrdersFile {
  const parsed = ordersFile.safeParse(raw);
  if (!parsed.success)
    throw problems(
      label,
      parsed.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`),
    );
  const found: string[] = [];
  const seen = new Map<string, number>();
  const result = parsed.data.orders.map((order, index) => {
    const input = toOrderInput(order);
    const checked = orderInput.safeParse(input);
    if (!checked.success) {
      for (const issue of checked.error.issues)
        found.push(`${pathText(['orders', index, ...fileFieldPath(issue.path)])}: ${issue.message}`);
    }
    const parcelsOfOrder = order.packages.flatMap((pkg, position) => {
      const parcel = parcelInput.safeParse(pkg);
      if (parcel.success) return [parcel.data];
      for (const issue of parcel.error.issues)
        found.push(`${pathText(['orders', index, 'packages', position, ...issue.path])}: ${issue.message}`);
      return [];
    });
    const first = seen.get(order.number);
    if (first !== undefined) found.push(`orders[${index}].number: "${order.number}" is also the number of orders[${first}]`);
    seen.set(order.number, index);
    return {
      number: order.number,
      source: input.source ?? 'shop',
      externalId: order.externalId ?? null,
      input,
      parcels: parcelsOfOrder,
      sentMessages: order.sentMessages.map((message) => ({
        orderNumber: order.number,
        messageId: message.messageId,
        subject: message.subject ?? null,
        sentAt: message.sentAt ?? null,
      })),
    };
  });
  if (found.length > 0) throw problems(label, found);
  return { shop: parsed.data.shop, orders: result };
}

/** createdAt → orderedAt, packages → parcels (added separately), nulls → absent. */
function toOrderInput(order: FileOrder): z.input<typeof orderInput> {
  const buyer = order.buyer ? withoutNulls(order.buyer) : undefined;
  return {
    source: order.source,
    ...(order.externalId ? { externalId: order.externalId } : {}),
    number: order.number,
    ...(order.status ? { status: order.status } : {}),
    ...(order.createdAt ? { orderedAt: order.createdAt } : {}),
    currency: order.currency,
    ...(buyer && Object.keys(buyer).length > 0 ? { buyer } : {}),
    items: order.items.map((item) => ({
      name: item.name,
      ...(item.sku ? { sku: item.sku } : {}),
      quantity: item.quantity,
      price: item.price,
    })),
  };
}

function withoutNulls<T extends Record<string, string | null | undefined>>(value: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined && v !== '')) as {
    [K in keyof T]?: string;
  };
}

function fileFieldPath(path: PropertyKey[]): PropertyKey[] {
  return path.map((part) => (part === 'orderedAt' ? 'createdAt' : part));
}

function pathText(path: PropertyKey[]): string {
  return joinPath(path.map((part) => (typeof part === 'number' ? part : String(part)))) || '(top level)';
}

function problems(label: string, lines: string[]): OrdersFileError {
  const listed = lines.slice(0, maxListedProblems).map((line) => `  ${line}`);
  if (lines.length > maxListedProblems) listed.push(`  … and ${lines.length - maxListedProblems} more`);
  return new OrdersFileError(`${label}: ${lines.length} problem(s):\n${listed.join('\n')}`);
}

/**
 * Writes the file through the order services: shop settings, orders upserted in
 * batches of 500 (on source + externalId; orders without an externalId are
 * matched on their number), then the parcels an order does not have yet. Running
 * it again changes nothing. Archived orders are left as they are.
 */
export async function loadOrders(
  services: Services,
  file: OrdersFile,
  onBatch: (progress: { done: number; total: number }) => void = () => undefined,
): Promise<LoadResult> {
  await assertStatusesExist(services, file.orders);
  // The file's shop data only lands on a database whose settings nobody has changed yet.
  const current = await services.settings.get();
  const untouched = current.shopName === defaultShopName && current.replyToEmail === null;
  const country = file.shop.country ? { country: file.shop.country, from: 'file' as const } : countryOfPhones(file);
  if (untouched) {
    await updateSettings(services, {
      shopName: file.shop.name,
      replyToEmail: file.shop.email,
      ...(country ? { defaultCountry: country.country } : {}),
    });
  }
  const defaultCountry = untouched && country ? country : { country: current.defaultCountry, from: 'settings' as const };

  const result: LoadResult = {
    orders: file.orders.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    archived: 0,
    parcels: 0,
    sentMessages: [],
    sentMessagesRecorded: 0,
    defaultCountry,
    shopSettingsApplied: untouched,
  };
  for (let start = 0; start < file.orders.length; start += batchSize) {
    const batch = file.orders.slice(start, start + batchSize);
    const ids = await loadBatch(services, batch, start, result);
    result.parcels += await addMissingParcels(services, batch, ids);
    batch.forEach((order, position) => {
      for (const message of order.sentMessages) result.sentMessages.push({ ...message, orderId: ids[position] ?? null });
    });
    onBatch({ done: start + batch.length, total: file.orders.length });
  }
  result.sentMessagesRecorded = await recordFileSentMessages(services, result.sentMessages);
  return result;
}

/**
 * The shop's country, when the file does not say: the country most of its
 * international phone numbers ("+49 …", "0048 …") belong to, if at least 60 %
 * agree. National numbers in the file are then read in that country.
 */
export function countryOfPhones(file: OrdersFile): { country: string; from: 'phones' } | null {
  const counts = new Map<string, number>();
  let total = 0;
  for (const order of file.orders) {
    const country = order.input.buyer?.phone ? phoneCountry(order.input.buyer.phone) : null;
    if (!country) continue;
    counts.set(country, (counts.get(country) ?? 0) + 1);
    total++;
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return best && best[1] / total >= 0.6 ? { country: best[0], from: 'phones' } : null;
}

/** Records the e-mails the file says were sent, so replies to them match. Already recorded ones are skipped. */
export async function recordFileSentMessages(services: Services, messages: SentMessage[]): Promise<number> {
  let recorded = 0;
  for (const message of messages) {
    if (message.orderId === null) continue;
    try {
      await recordSentMessage(services, message.orderId, {
        messageId: message.messageId,
        subject: message.subject ?? '',
        // Without a date in the file, when it was recorded is the best known.
        sentAt: message.sentAt ?? services.clock().toISOString(),
      });
      recorded++;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'DUPLICATE_MESSAGE_ID')) throw error;
    }
  }
  return recorded;
}

async function assertStatusesExist(services: Services, fileOrders: ParsedOrder[]): Promise<void> {
  const valid = (await listStatuses(services)).map((status) => status.id);
  const unknown = fileOrders.flatMap((order, index) =>
    order.input.status !== undefined && !valid.includes(order.input.status)
      ? [`orders[${index}] (${order.number}): unknown status "${order.input.status}"`]
      : [],
  );
  if (unknown.length > 0) {
    throw problems('statuses', [...unknown.slice(0, maxListedProblems), `valid statuses: ${valid.join(', ')}`]);
  }
}

/** Upserts one batch; returns each order's id (null when it is archived and was left alone), by position. */
async function loadBatch(services: Services, batch: ParsedOrder[], offset: number, result: LoadResult): Promise<(number | null)[]> {
  const existing = await findExisting(services, batch);
  const ids: (number | null)[] = [];
  const toUpsert: number[] = [];
  batch.forEach((order, position) => {
    const match = order.externalId
      ? existing.find((row) => row.source === order.source && row.externalId === order.externalId)
      : existing.find((row) => row.number === order.number && row.source === order.source && row.externalId === null);
    ids[position] = match && !match.archivedAt ? match.id : null;
    if (match?.archivedAt) result.archived++;
    else if (match && !order.externalId)
      result.unchanged++; // no key to update it by: it stays as it is
    else toUpsert.push(position);
  });
  if (toUpsert.length === 0) return ids;

  try {
    // A phone no rule can read is kept as written (without its E.164 form) rather than refusing the order.
    const upserted = await upsertOrders(
      services,
      toUpsert.map((position) => batch[position]?.input),
      true,
      { keepUnreadablePhones: true },
    );
    for (const row of upserted.results) {
      const position = toUpsert[row.index];
      if (position !== undefined) ids[position] = row.id;
    }
    result.created += upserted.created;
    result.updated += upserted.updated;
    result.unchanged += upserted.unchanged;
  } catch (error) {
    if (!(error instanceof AppError) || !error.issues) throw error;
    const lines = error.issues.map((issue) => {
      const position = issue.index === undefined ? undefined : toUpsert[issue.index];
      const order = position === undefined ? undefined : batch[position];
      const field = issue.field?.replace(/^orders\[\d+\]\.?/, '') ?? '';
      const where = position === undefined ? 'batch' : `orders[${offset + position}] (${order?.number ?? '?'})`;
      return `${where}${field ? ` ${field}` : ''}: ${issue.message}`;
    });
    throw problems(`orders ${offset + 1}–${offset + batch.length} (nothing of this batch was saved)`, lines);
  }
  return ids;
}

/** Candidates by number or externalId (flat arrays: a long IN list of pairs is too deep for PGlite); matched exactly in `loadBatch`. */
async function findExisting(services: Services, batch: ParsedOrder[]) {
  const numbers = batch.map((order) => order.number);
  const externalIds = batch.flatMap((order) => (order.externalId ? [order.externalId] : []));
  return services.database.db
    .select({ id: orders.id, number: orders.number, source: orders.source, externalId: orders.externalId, archivedAt: orders.archivedAt })
    .from(orders)
    .where(sql`${orders.number} = any(${sql.param(numbers)}::text[]) or ${orders.externalId} = any(${sql.param(externalIds)}::text[])`);
}

/** Adds each package the order does not already have (compared on the compact tracking number). */
async function addMissingParcels(services: Services, batch: ParsedOrder[], ids: (number | null)[]): Promise<number> {
  const orderIds = ids.filter((id): id is number => id !== null);
  if (orderIds.length === 0) return 0;
  const present = await services.database.db
    .select({ orderId: parcels.orderId, tracking: parcels.trackingCompact })
    .from(parcels)
    .where(inArray(parcels.orderId, orderIds));
  const have = new Set(present.map((row) => `${row.orderId}:${row.tracking}`));
  let added = 0;
  for (const [position, order] of batch.entries()) {
    const orderId = ids[position];
    if (orderId === null || orderId === undefined) continue;
    for (const parcel of order.parcels) {
      const key = `${orderId}:${lookupForm(parcel.trackingNumber)}`;
      if (have.has(key)) continue;
      await addParcel(services, orderId, parcel);
      have.add(key);
      added++;
    }
  }
  return added;
}
