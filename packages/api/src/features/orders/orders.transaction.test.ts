import { order } from '@orderpost/shared';
import { getTableName, type SQL } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, json, sampleOrder, testConfig, type TestContext } from '../../../test/context.js';
import type { Db, Tx } from '../../db/client.js';
import { silentLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { addParcel, changeStatus, editOrder, recordPayment, restoreOrder } from './orders.service.js';

/**
 * What each change to an order sends to the database, in order. The journal row
 * must be the last statement: writing it takes the lock that serialises every
 * journal writer until commit, so anything after it (like reading the order back)
 * makes all other writers wait longer.
 */
let t: TestContext;
let services: Services;
let statements: string[];
let orderId: number;
const dialect = new PgDialect();

function recording(tx: Tx): Tx {
  return new Proxy(tx, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        if (property === 'execute')
          statements.push(
            `execute ${dialect
              .sqlToQuery(args[0] as SQL)
              .sql.replace(/\s+/g, ' ')
              .trim()}`,
          );
        else if (property === 'insert') statements.push(`insert ${getTableName(args[0] as PgTable)}`);
        else if (['select', 'update', 'delete'].includes(property)) statements.push(property);
        return value.apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  t = await createTestContext();
  const { db } = t.database;
  const recordingDb = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return (run: (tx: Tx) => Promise<unknown>) => target.transaction((tx) => run(recording(tx)));
    },
  }) as Db;
  services = createServices({ database: { ...t.database, db: recordingDb }, logger: silentLogger, config: testConfig });
  const created = await t.call('POST', '/v1/orders', sampleOrder({ number: 'TX-1' }));
  orderId = (await json(created, order)).id;
});
afterAll(() => t.close());

describe.each([
  ['an edit', () => editOrder(services, orderId, { language: 'en' }), { language: 'en' }],
  ['a status change', () => changeStatus(services, orderId, 'paid'), { status: 'paid' }],
  ['a payment', () => recordPayment(services, orderId, { amount: '10.00' }), { payment: { amountPaid: '10.00' } }],
  [
    'a parcel',
    () => addParcel(services, orderId, { carrier: 'DPD', trackingNumber: 'TX123456', status: 'created' }),
    { parcels: [{ carrier: 'DPD' }] },
  ],
])('%s', (_label, change, expected) => {
  it('returns the order as changed, and writes its journal row last', async () => {
    statements = [];
    const order = await change();
    expect(order).toMatchObject(expected);
    const journalLock = statements.findIndex((statement) => statement.includes('pg_advisory_xact_lock'));
    expect(journalLock).toBeGreaterThan(0);
    expect(statements.slice(journalLock + 1)).toEqual(['insert journal']);
    // The order is locked and read by one select … for update, not locked and then read again.
    expect(statements[0]).toBe('select');
  });
});

describe('a restore', () => {
  it('journals last too, and refuses an order that is not archived', async () => {
    statements = [];
    await expect(restoreOrder(services, orderId)).rejects.toMatchObject({ code: 'ORDER_NOT_ARCHIVED' });
    expect(statements).toEqual(['select']);
  });
});
