import { sql } from 'drizzle-orm';
import { compactIdentifier, journalTypes, orderInput, type ErrorIssue, type OrderInput } from '@orderpost/shared';
import { rowsOf, type Tx } from '../../db/client.js';
import { orders, orderStatuses } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { issuesFromZod } from '../../http/validation.js';
import { writeJournal, type JournalEntry } from '../journal/journal.writer.js';
import { compactOrNull } from './orders.mapper.js';
import { getOrder } from './orders.repository.js';
import { applyChanges, columnValues, type OrderRecord, type ShopPhoneRules } from './orders.changes.js';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface UpsertResult {
  results: { index: number; id: number; number: string; outcome: UpsertOutcome }[];
  created: number;
  updated: number;
  unchanged: number;
}

const keyOf = (source: string, externalId: string) => `${source}\u0000${externalId}`;

/**
 * Creates or updates orders, matched on (source, externalId). All or nothing:
 * every problem in the batch is reported (with its index and field) and nothing
 * is written unless every order is fine.
 */
export interface UpsertOptions {
  /** File imports keep a phone no country's rules can read (as written, without E.164) instead of refusing the order. */
  keepUnreadablePhones?: boolean;
}

export async function upsertOrders(
  services: Services,
  rawOrders: unknown[],
  batch: boolean,
  options: UpsertOptions = {},
): Promise<UpsertResult> {
  const issues: ErrorIssue[] = [];
  const at = (index: number) => (batch ? ['orders', index] : []);
  const report = (index: number, issue: Omit<ErrorIssue, 'index'>) =>
    issues.push(batch ? { ...issue, index, field: issue.field ? `orders[${index}].${issue.field}` : `orders[${index}]` } : issue);

  const inputs: OrderInput[] = [];
  rawOrders.forEach((raw, index) => {
    const parsed = orderInput.safeParse(raw);
    if (parsed.success) inputs[index] = parsed.data;
    else for (const issue of issuesFromZod(parsed.error, raw, at(index))) issues.push(batch ? { ...issue, index } : issue);
  });
  findDuplicatesInRequest(inputs, report);
  const settings = await services.settings.get();
  const phoneRules = { defaultCountry: settings.defaultCountry, keepUnreadable: options.keepUnreadablePhones ?? false };
  // Buyer columns are computed up front so an unreadable phone is reported with the other problems.
  inputs.forEach((input, index) => {
    if (!input?.buyer) return;
    try {
      columnValues({ buyer: input.buyer, deliveryAddress: input.deliveryAddress, invoiceAddress: input.invoiceAddress }, null, phoneRules);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      report(index, { code: error.code, field: 'buyer.phone', message: error.message });
    }
  });
  throwIfAny(issues, batch);

  const now = services.clock();
  return services.database.db.transaction(async (tx) => {
    const statuses = new Set((await tx.select({ id: orderStatuses.id }).from(orderStatuses)).map((row) => row.id));
    const existing = await existingByKey(tx, inputs);
    const numbersTaken = await ownersOfNumbers(
      tx,
      inputs.flatMap((input) => (input.number ? [compactIdentifier(input.number)] : [])),
    );

    inputs.forEach((input, index) => {
      if (input.status !== undefined && !statuses.has(input.status)) {
        report(index, { code: 'UNKNOWN_STATUS', field: 'status', message: `unknown status "${input.status}"` });
      }
      const current = input.externalId ? existing.get(keyOf(input.source, input.externalId)) : undefined;
      if (current?.archivedAt) {
        report(index, {
          code: 'ORDER_ARCHIVED',
          field: 'externalId',
          message: `order ${current.number} is archived; restore it before changing it`,
        });
      }
      const owner = input.number ? numbersTaken.get(compactIdentifier(input.number)) : undefined;
      if (owner !== undefined && owner !== current?.id) {
        report(index, {
          code: 'DUPLICATE_ORDER_NUMBER',
          field: 'number',
          message: `order number "${input.number}" is already used by another order`,
        });
      }
    });
    throwIfAny(issues, batch);

    const toCreate = inputs.flatMap((input, index) => {
      const current = input.externalId ? existing.get(keyOf(input.source, input.externalId)) : undefined;
      return current ? [] : [{ input, index }];
    });
    const results: UpsertResult['results'] = [];
    const journalEntries: JournalEntry[] = [];
    await createOrders(tx, toCreate, phoneRules, now, results, journalEntries);

    const toUpdate = inputs.flatMap((input, index) => {
      const current = input.externalId ? existing.get(keyOf(input.source, input.externalId)) : undefined;
      return current ? [{ input, index, current }] : [];
    });
    for (const { input, index, current } of toUpdate) {
      const { source: _source, externalId: _externalId, ...changes } = input;
      const entries = await applyChanges(tx, current, changes, phoneRules, now);
      journalEntries.push(...entries);
      results.push({
        index,
        id: current.id,
        number: input.number ?? current.number,
        outcome: entries.length > 0 ? 'updated' : 'unchanged',
      });
    }

    await writeJournal(tx, journalEntries);
    results.sort((a, b) => a.index - b.index);
    const count = (outcome: UpsertOutcome) => results.filter((r) => r.outcome === outcome).length;
    return { results, created: count('created'), updated: count('updated'), unchanged: count('unchanged') };
  });
}

/** One order through the same path as a batch: created, or updated when its source and externalId exist. */
export async function saveOrder(services: Services, input: unknown) {
  const result = await upsertOrders(services, [input], false);
  const [first] = result.results;
  if (!first) throw new Error('upsert returned no result');
  return { order: await getOrder(services.database.db, first.id), created: first.outcome === 'created' };
}

function throwIfAny(issues: ErrorIssue[], batch: boolean): void {
  const first = issues[0];
  if (!first) return;
  if (batch) {
    const where = first.index === undefined ? '' : ` (first: order ${first.index}, ${first.field}: ${first.message})`;
    throw new AppError('BATCH_REJECTED', `${issues.length} problem(s) in the batch; nothing was saved${where}`, first.field, issues);
  }
  throw new AppError(first.code, `${first.field ? `${first.field}: ` : ''}${first.message}`, first.field, issues);
}

function findDuplicatesInRequest(inputs: OrderInput[], report: (index: number, issue: Omit<ErrorIssue, 'index'>) => void) {
  const keys = new Map<string, number>();
  const numbers = new Map<string, number>();
  inputs.forEach((input, index) => {
    if (!input) return;
    if (input.externalId) {
      const key = keyOf(input.source, input.externalId);
      const first = keys.get(key);
      if (first !== undefined)
        report(index, {
          code: 'INVALID_VALUE',
          field: 'externalId',
          message: `same source and externalId as order ${first} of this batch`,
        });
      else keys.set(key, index);
    }
    if (input.number) {
      const compact = compactIdentifier(input.number);
      const first = numbers.get(compact);
      if (first !== undefined)
        report(index, { code: 'DUPLICATE_ORDER_NUMBER', field: 'number', message: `same number as order ${first} of this batch` });
      else numbers.set(compact, index);
    }
  });
}

async function existingByKey(tx: Tx, inputs: OrderInput[]): Promise<Map<string, OrderRecord>> {
  const keyed = inputs.filter((input) => input.externalId);
  const found = new Map<string, OrderRecord>();
  if (keyed.length === 0) return found;
  // Two arrays, not a list of (source, externalId) pairs: a long IN list becomes nested ORs deeper than PGlite's stack.
  const sources = sql.param(keyed.map((input) => input.source));
  const externalIds = sql.param(keyed.map((input) => input.externalId ?? ''));
  // Locked, so two batches updating the same order queue up instead of overwriting each other.
  const rows = await tx
    .select()
    .from(orders)
    .where(sql`(${orders.source}, ${orders.externalId}) in (select * from unnest(${sources}::text[], ${externalIds}::text[]))`)
    .for('update');
  for (const row of rows) if (row.externalId) found.set(keyOf(row.source, row.externalId), row);
  return found;
}

/** Which orders own these numbers, compared as people type them (case and separators aside: "PH-1" is "ph1"). */
async function ownersOfNumbers(tx: Tx, compactNumbers: string[]): Promise<Map<string, number>> {
  if (compactNumbers.length === 0) return new Map();
  const rows = await tx
    .select({ id: orders.id, compact: orders.numberCompact })
    .from(orders)
    .where(sql`${orders.numberCompact} = any(${sql.param(compactNumbers)}::text[])`);
  return new Map(rows.map((row) => [row.compact, row.id]));
}

async function createOrders(
  tx: Tx,
  toCreate: { input: OrderInput; index: number }[],
  phoneRules: ShopPhoneRules,
  now: Date,
  results: UpsertResult['results'],
  journalEntries: JournalEntry[],
): Promise<void> {
  if (toCreate.length === 0) return;
  const generated = await generateNumbers(tx, toCreate.filter((c) => !c.input.number).length);
  const rows = toCreate.map(({ input }) => {
    const number = input.number ?? generated.shift() ?? '';
    return {
      ...columnValues({ ...input, number, status: input.status ?? 'new', items: input.items ?? [] }, null, phoneRules),
      number,
      source: input.source,
      externalId: input.externalId ?? null,
      externalIdCompact: compactOrNull(input.externalId),
      statusId: input.status ?? 'new',
      orderedAt: input.orderedAt ? new Date(input.orderedAt) : now,
      currency: input.currency,
      createdAt: now,
      updatedAt: now,
    } as typeof orders.$inferInsert;
  });
  const inserted: { id: number; number: string }[] = [];
  for (let start = 0; start < rows.length; start += 500) {
    inserted.push(
      ...(await tx
        .insert(orders)
        .values(rows.slice(start, start + 500))
        .returning({ id: orders.id, number: orders.number })),
    );
  }
  const idByNumber = new Map(inserted.map((row) => [row.number, row.id]));
  toCreate.forEach(({ input, index }, position) => {
    const number = rows[position]?.number ?? '';
    const id = idByNumber.get(number);
    if (id === undefined) throw new Error(`inserted order ${number} not returned`);
    results.push({ index, id, number, outcome: 'created' });
    journalEntries.push({
      type: journalTypes.ORDER_CREATED,
      orderId: id,
      data: { number, source: input.source, externalId: input.externalId ?? null },
    });
  });
}

/** Numbers from the sequence, skipping any a shop already used for an order of its own. */
async function generateNumbers(tx: Tx, count: number): Promise<string[]> {
  const numbers: string[] = [];
  while (numbers.length < count) {
    const wanted = count - numbers.length;
    const result = await tx.execute(sql`
      select n from (select nextval('order_number_seq')::text as n from generate_series(1, ${wanted})) s
      where not exists (select 1 from orders o where o.number_compact = s.n)`);
    numbers.push(...rowsOf<{ n: string }>(result).map((row) => row.n));
  }
  return numbers;
}
