import { sql } from 'drizzle-orm';
import { lookupForm, journalTypes, orderInput, type ErrorIssue, type OrderInput } from '@orderpost/shared';
import { rowsOf, type Tx } from '../../db/client.js';
import { orders, orderStatuses } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { issuesFromZod, maxReportedIssues } from '../../issues.js';
import { writeJournal, type JournalEntry } from '../journal/journal.writer.js';
import { compactOrNull } from './orders.mapper.js';
import { getOrder } from './orders.repository.js';
import { applyChanges, columnValues, type OrderRecord, type ShopPhoneRules } from './orders.changes.js';
import { databaseErrorCode } from '../../db/errors.js';

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
  for (const [index, raw] of rawOrders.entries()) {
    // Enough problems to answer with: the rest of a hostile batch is not validated (it would hold the event loop for seconds).
    if (issues.length >= maxReportedIssues) {
      throwIfAny(issues, batch, true);
      break;
    }
    const parsed = orderInput.safeParse(raw);
    if (parsed.success) inputs[index] = parsed.data;
    else for (const issue of issuesFromZod(parsed.error, raw, at(index))) issues.push(batch ? { ...issue, index } : issue);
  }
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
  const reportedBefore = issues.length;
  return retryOnDeadlock(() => {
    // A retried attempt starts again from what was known before the transaction.
    issues.length = reportedBefore;
    return upsertInTransaction(services, inputs, now, phoneRules, issues, batch, report);
  });
}

/**
 * PostgreSQL aborts one of two transactions that wait for each other
 * (40P01, deadlock_detected; 40001, serialization_failure): overlapping batches
 * can, when one inserts an order another has locked while that one inserts a
 * key or number the first has just inserted. Nothing of the aborted attempt
 * was written, so it is run again, as the client would have to.
 */
async function retryOnDeadlock<T>(attempt: () => Promise<T>, attempts = 4): Promise<T> {
  for (let left = attempts; ; left--) {
    try {
      return await attempt();
    } catch (error) {
      if (left <= 1 || !isDeadlock(error)) throw error;
      // A few random milliseconds, so the two do not meet again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    }
  }
}

function isDeadlock(error: unknown): boolean {
  const code = databaseErrorCode(error);
  return code === '40P01' || code === '40001';
}

async function upsertInTransaction(
  services: Services,
  inputs: OrderInput[],
  now: Date,
  phoneRules: ShopPhoneRules,
  issues: ErrorIssue[],
  batch: boolean,
  report: Report,
): Promise<UpsertResult> {
  return services.database.db.transaction(async (tx) => {
    const statuses = new Set((await tx.select({ id: orderStatuses.id }).from(orderStatuses)).map((row) => row.id));
    inputs.forEach((input, index) => {
      if (input.status !== undefined && !statuses.has(input.status)) {
        report(index, { code: 'UNKNOWN_STATUS', field: 'status', message: `unknown status "${input.status}"` });
      }
    });
    const entries = inputs.map((input, index) => ({ input, index }));
    const stored = await findStored(tx, entries);
    const toUpdate = checkUpdates(entries, stored, report);
    throwIfAny(issues, batch);

    const results: UpsertResult['results'] = [];
    const journalEntries: JournalEntry[] = [];
    let pending = entries.filter(({ input }) => !existingOf(stored.byKey, input));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const conflicts = await createOrders(tx, pending, phoneRules, now, results, journalEntries);
      // Created by another transaction since the lookup above: updates after all.
      const late = await findStored(tx, conflicts);
      toUpdate.push(
        ...checkUpdates(
          conflicts.filter(({ input }) => existingOf(late.byKey, input)),
          late,
          report,
        ),
      );
      // The others met an order with their number: another order's, or (rarely) a generated one a shop took meanwhile.
      const taken = conflicts.filter(({ input }) => !existingOf(late.byKey, input));
      pending = taken.filter(({ input }) => !input.number && attempt < 3);
      for (const { input, index } of taken.filter((entry) => !pending.includes(entry))) {
        report(index, {
          code: 'DUPLICATE_ORDER_NUMBER',
          field: 'number',
          message: `order number "${input.number ?? ''}" is already used by another order`,
        });
      }
    }
    throwIfAny(issues, batch);

    for (const { input, index, current } of toUpdate) {
      const { source: _source, externalId: _externalId, ...changes } = input;
      const changed = await applyChanges(tx, current, changes, phoneRules, now);
      journalEntries.push(...changed);
      results.push({
        index,
        id: current.id,
        number: input.number ?? current.number,
        outcome: changed.length > 0 ? 'updated' : 'unchanged',
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

/** Refuses the request when there are problems; `stopped` when validation stopped early (the first `maxReportedIssues` are listed). */
function throwIfAny(issues: ErrorIssue[], batch: boolean, stopped = false): void {
  const first = issues[0];
  if (!first) return;
  const listed = issues.slice(0, maxReportedIssues);
  if (batch) {
    const where = first.index === undefined ? '' : ` (first: order ${first.index}, ${first.field}: ${first.message})`;
    const count =
      stopped || issues.length > maxReportedIssues
        ? `${maxReportedIssues} or more problems (the first ${maxReportedIssues} are listed)`
        : `${issues.length} problem(s)`;
    throw new AppError('BATCH_REJECTED', `${count} in the batch; nothing was saved${where}`, first.field, listed);
  }
  throw new AppError(first.code, `${first.field ? `${first.field}: ` : ''}${first.message}`, first.field, listed);
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
      const compact = lookupForm(input.number);
      const first = numbers.get(compact);
      if (first !== undefined)
        report(index, { code: 'DUPLICATE_ORDER_NUMBER', field: 'number', message: `same number as order ${first} of this batch` });
      else numbers.set(compact, index);
    }
  });
}

type Entry = { input: OrderInput; index: number };
type Report = (index: number, issue: Omit<ErrorIssue, 'index'>) => void;

const existingOf = (existing: Map<string, OrderRecord>, input: OrderInput) =>
  input.externalId ? existing.get(keyOf(input.source, input.externalId)) : undefined;

interface Stored {
  /** The orders with the entries' (source, externalId) keys, locked. */
  byKey: Map<string, OrderRecord>;
  /** The ids of the orders with the entries' numbers, by compact number. */
  numberOwners: Map<string, number>;
}

/**
 * The stored orders an upsert is about. Numbers are read first: an order another
 * transaction commits in between is then also found by its key, and not taken
 * for a different order that has the number.
 */
async function findStored(tx: Tx, entries: Entry[]): Promise<Stored> {
  const numberOwners = await ownersOfNumbers(
    tx,
    entries.flatMap(({ input }) => (input.number ? [lookupForm(input.number)] : [])),
  );
  return { byKey: await lockByKey(tx, entries), numberOwners };
}

/** The orders with these (source, externalId) keys, locked for the rest of the transaction. */
async function lockByKey(tx: Tx, entries: Entry[]): Promise<Map<string, OrderRecord>> {
  const keyed = entries.flatMap(({ input }) => (input.externalId ? [{ source: input.source, externalId: input.externalId }] : []));
  const found = new Map<string, OrderRecord>();
  if (keyed.length === 0) return found;
  // Two arrays, not a list of (source, externalId) pairs: a long IN list becomes nested ORs deeper than PGlite's stack.
  const sources = sql.param(keyed.map((key) => key.source));
  const externalIds = sql.param(keyed.map((key) => key.externalId));
  // Locked, so two batches updating the same order queue up instead of overwriting each other; in id order, so
  // overlapping batches take the locks in one order and do not deadlock.
  const rows = await tx
    .select()
    .from(orders)
    .where(sql`(${orders.source}, ${orders.externalId}) in (select * from unnest(${sources}::text[], ${externalIds}::text[]))`)
    .orderBy(orders.id)
    .for('update');
  for (const row of rows) if (row.externalId) found.set(keyOf(row.source, row.externalId), row);
  return found;
}

/**
 * The entries whose order exists, with it; reports those that may not become
 * what they ask for: an archived order, or a number another order owns.
 */
function checkUpdates(entries: Entry[], stored: Stored, report: Report) {
  return entries.flatMap(({ input, index }) => {
    const current = existingOf(stored.byKey, input);
    if (current?.archivedAt) {
      report(index, {
        code: 'ORDER_ARCHIVED',
        field: 'externalId',
        message: `order ${current.number} is archived; restore it before changing it`,
      });
    }
    const owner = input.number ? stored.numberOwners.get(lookupForm(input.number)) : undefined;
    if (owner !== undefined && owner !== current?.id) {
      report(index, {
        code: 'DUPLICATE_ORDER_NUMBER',
        field: 'number',
        message: `order number "${input.number}" is already used by another order`,
      });
    }
    return current ? [{ input, index, current }] : [];
  });
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

/**
 * Inserts the new orders and journals their creation. An order whose key or
 * number another transaction stored since it was looked up is not inserted
 * (`on conflict do nothing` on every unique index, so no race ends in an error):
 * those are returned for the caller to sort out.
 */
async function createOrders(
  tx: Tx,
  toCreate: Entry[],
  phoneRules: ShopPhoneRules,
  now: Date,
  results: UpsertResult['results'],
  journalEntries: JournalEntry[],
): Promise<Entry[]> {
  if (toCreate.length === 0) return [];
  // Inserted in key order: two batches inserting the same keys wait for each other in one order, never in a cycle.
  const byKey = (entry: Entry) => keyOf(entry.input.source, entry.input.externalId ?? '');
  toCreate = [...toCreate].sort((a, b) => (byKey(a) < byKey(b) ? -1 : byKey(a) > byKey(b) ? 1 : 0));
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
        .onConflictDoNothing()
        .returning({ id: orders.id, number: orders.number })),
    );
  }
  const idByNumber = new Map(inserted.map((row) => [row.number, row.id]));
  const conflicts: Entry[] = [];
  toCreate.forEach((entry, position) => {
    const number = rows[position]?.number ?? '';
    const id = idByNumber.get(number);
    if (id === undefined) {
      conflicts.push(entry);
      return;
    }
    results.push({ index: entry.index, id, number, outcome: 'created' });
    journalEntries.push({
      type: journalTypes.ORDER_CREATED,
      orderId: id,
      data: { number, source: entry.input.source, externalId: entry.input.externalId ?? null },
    });
  });
  return conflicts;
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
