import { batchResult, journalPage, order as orderSchema, orderPage } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, sampleOrder, type TestContext, testConfig } from '../../../test/context.js';
import type { Db } from '../../db/client.js';
import { silentLogger } from '../../logger.js';
import { createServices } from '../../services.js';
import { upsertOrders } from './orders.upsert.js';

/**
 * Requests fired at once with Promise.all. On PGlite they run one after the
 * other; on PostgreSQL (TEST_DATABASE_URL) their transactions overlap, so these
 * tests are about the races there.
 */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function ordersOf(source: string) {
  return (await json(await t.call('GET', `/v1/orders?source=${source}&limit=100`), orderPage)).orders;
}

async function createdEventsOf(orderId: number) {
  const page = await json(await t.call('GET', `/v1/journal?orderId=${orderId}`), journalPage);
  return page.events.filter((event) => event.typeName === 'ORDER_CREATED');
}

describe('the same order sent by several requests at once', () => {
  it('creates it once and answers every request: one 201, the others 200', async () => {
    const order = sampleOrder({ number: 'RACE-1', source: 'race', externalId: 'race-1', status: 'paid' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.call('POST', '/v1/orders', order, { role: 'integration' })));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    const bodies = await Promise.all(answers.map((res) => json(res, orderSchema)));
    const [stored, ...others] = await ordersOf('race');
    expect(others).toHaveLength(0);
    expect(stored).toMatchObject({ number: 'RACE-1', externalId: 'race-1', status: 'paid' });
    expect(new Set(bodies.map((body) => body.id))).toEqual(new Set([stored?.id]));
    expect(await createdEventsOf(stored?.id ?? 0)).toHaveLength(1);
  });

  it('creates each order of overlapping batches once, and applies the later changes', async () => {
    // Six batches of five orders over ten keys: each key is in several batches.
    const keys = Array.from({ length: 10 }, (_, i) => i);
    // Every other batch lists its orders backwards: locks taken in the order sent would deadlock.
    const keysOfBatches = Array.from({ length: 6 }, (_, b) => {
      const picked = keys.filter((k) => (k + b) % 2 === 0 || k === b).slice(0, 5);
      return b % 2 === 0 ? picked : picked.reverse();
    });
    const batches = keysOfBatches.map((batchKeys) =>
      batchKeys.map((k) => sampleOrder({ number: `OB-${k}`, source: 'overlap', externalId: `ob-${k}` })),
    );
    const answers = await Promise.all(batches.map((orders) => t.call('POST', '/v1/orders/batch', { orders }, { role: 'integration' })));
    expect(answers.map((res) => res.status)).toEqual(batches.map(() => 200));
    const results = await Promise.all(answers.map((res) => json(res, batchResult)));
    const sent = new Set(keysOfBatches.flat().map((k) => `ob-${k}`));
    expect(results.reduce((sum, result) => sum + result.created, 0)).toBe(sent.size);
    expect(results.reduce((sum, result) => sum + result.updated, 0)).toBe(0);

    const stored = await ordersOf('overlap');
    expect(stored.map((order) => order.externalId).sort()).toEqual([...sent].sort());
    for (const order of stored) expect(await createdEventsOf(order.id)).toHaveLength(1);
  });

  it('keeps every change when requests change the same order at once', async () => {
    const key = { source: 'lost', externalId: 'lu-1', currency: 'PLN' };
    await t.call('POST', '/v1/orders', { ...key, number: 'LU-1' });
    // Each request sends another field: an update computed from a row read before another one committed would
    // journal the wrong "from" or lose a field.
    const changes = [{ status: 'paid' }, { language: 'de' }, { payment: { method: 'card' } }, { extraFields: { gift: true } }];
    const answers = await Promise.all(changes.map((change) => t.call('POST', '/v1/orders', { ...key, ...change })));
    expect(answers.map((res) => res.status)).toEqual(changes.map(() => 200));
    const [stored] = await ordersOf('lost');
    expect(stored).toMatchObject({
      number: 'LU-1',
      status: 'paid',
      language: 'de',
      payment: { method: 'card' },
      extraFields: { gift: true },
    });
    const page = await json(await t.call('GET', `/v1/journal?orderId=${stored?.id ?? 0}`), journalPage);
    expect(page.events.map((event) => event.typeName).sort()).toEqual(
      ['ORDER_CREATED', 'ORDER_EDITED', 'ORDER_EDITED', 'ORDER_EDITED', 'STATUS_CHANGED'].sort(),
    );
  });
});

describe('two orders claiming one number at once', () => {
  it('creates one and answers the others 409 DUPLICATE_ORDER_NUMBER', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.call('POST', '/v1/orders', sampleOrder({ number: 'DN-1', source: 'dn', externalId: `dn-${i}` })),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 201)).toEqual(Array(9).fill(409));
    for (const res of answers.filter((answer) => answer.status === 409)) {
      expect((await errorBody(res)).error).toMatchObject({ code: 'DUPLICATE_ORDER_NUMBER', field: 'number' });
    }
    expect(await ordersOf('dn')).toHaveLength(1);
  });
});

describe('an upsert chosen as a deadlock victim', () => {
  // Thirty overlapping batches on PostgreSQL answered two 500s ("deadlock detected"): one inserted a key another
  // had locked while that one inserted a number the first had just inserted. The victim's work was rolled back.
  it('is run again, and its orders are created once', async () => {
    let attempts = 0;
    const db = new Proxy(t.database.db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return async (work: Parameters<Db['transaction']>[0]) => {
          attempts++;
          if (attempts === 1) {
            // The whole attempt runs, then PostgreSQL aborts it: nothing of it stays.
            await target.transaction(async (tx) => {
              await work(tx);
              throw Object.assign(new Error('Failed query: insert into "orders" …'), {
                cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }),
              });
            });
          }
          return target.transaction(work);
        };
      },
    });
    const services = createServices({ database: { ...t.database, db }, logger: silentLogger, config: testConfig });
    const result = await upsertOrders(
      services,
      [sampleOrder({ number: 'DLV-1', source: 'victim', externalId: 'dlv-1' }), sampleOrder({ source: 'victim', externalId: 'dlv-2' })],
      true,
    );
    expect(attempts).toBe(2);
    expect(result.results.map((r) => r.outcome)).toEqual(['created', 'created']);
    const stored = await ordersOf('victim');
    expect(stored.map((order) => order.externalId).sort()).toEqual(['dlv-1', 'dlv-2']);
    for (const order of stored) expect(await createdEventsOf(order.id)).toHaveLength(1);
  });
});
