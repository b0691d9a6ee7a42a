import { order as orderSchema, journalPage, journalTypes } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { createTestContext, errorBody, json, sampleOrder, type TestContext } from '../../../test/context.js';
import { testDatabaseKind } from '../../../test/database.js';
import { writeJournal } from './journal.writer.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function poll(after: number, query = '') {
  const res = await t.call('GET', `/v1/journal?after=${after}${query}`, undefined, { role: 'integration' });
  expect(res.status).toBe(200);
  return await json(res, journalPage);
}

describe('polling the journal', () => {
  it('returns events after the id given, oldest first, filtered by type and order', async () => {
    const start = (await poll(0, '&limit=1000')).lastId;
    const a = (await json(await t.call('POST', '/v1/orders', sampleOrder({ number: 'J-1' })), orderSchema)).id;
    const b = (await json(await t.call('POST', '/v1/orders', sampleOrder({ number: 'J-2' })), orderSchema)).id;
    await t.call('POST', `/v1/orders/${a}/status`, { status: 'paid' });

    const all = await poll(start);
    expect(all.events.map((e) => [e.typeName, e.orderId])).toEqual([
      ['ORDER_CREATED', a],
      ['ORDER_CREATED', b],
      ['STATUS_CHANGED', a],
    ]);
    expect(all.lastId).toBe(all.events[2]?.id);
    expect((await poll(all.lastId)).events).toEqual([]);
    expect((await poll(all.lastId)).lastId).toBe(all.lastId);
    expect((await poll(start, `&types=${journalTypes.STATUS_CHANGED}`)).events.map((e) => e.orderId)).toEqual([a]);
    expect((await poll(start, `&orderId=${b}`)).events.map((e) => e.typeName)).toEqual(['ORDER_CREATED']);
    const firstOnly = await poll(start, '&limit=1');
    expect(firstOnly.events).toHaveLength(1);
    expect((await poll(firstOnly.lastId, '&limit=1')).events[0]?.orderId).toBe(b);
  });

  it.each([
    ['after=-1', 'after'],
    ['types=1,abc', 'types'],
    ['types=999', 'types'],
    ['limit=0', 'limit'],
    ['limit=5000', 'limit'],
    ['orderId=x', 'orderId'],
    ['colour=red', 'colour'],
  ])('rejects %s with a code naming the parameter', async (query, field) => {
    const res = await t.call('GET', `/v1/journal?${query}`, undefined, { role: 'integration' });
    expect(res.status).toBe(400);
    const body = await errorBody(res);
    expect(body.error.field).toBe(field);
    expect(body.error.code).toMatch(/^(INVALID_VALUE|INVALID_TYPE|UNKNOWN_FIELD)$/);
  });
});

// PGlite is one connection: its transactions cannot interleave, so the race exists only on PostgreSQL.
describe.skipIf(testDatabaseKind() === 'pglite')('transactions committing out of order', () => {
  let second: Database;
  beforeAll(async () => {
    const url = t.database.url;
    if (!url) throw new Error('the PostgreSQL test database has no URL');
    second = await openDatabase({ url, poolSize: 2 });
  });
  afterAll(() => second.close());

  it('never lets a poller skip an event that commits after a later one', async () => {
    const seen: number[] = [];
    let after = (await poll(0, '&limit=1000')).lastId;
    const pollOnce = async () => {
      const page = await poll(after);
      seen.push(...page.events.map((e) => e.data.n as number));
      after = page.lastId;
    };

    // A writes its journal row first but stays open; B writes after it and wants to commit first.
    let releaseA: () => void = () => undefined;
    const aHolds = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    let aWrote: () => void = () => undefined;
    const aHasWritten = new Promise<void>((resolve) => {
      aWrote = resolve;
    });
    const txA = t.database.db.transaction(async (tx) => {
      await writeJournal(tx, [{ type: journalTypes.ORDER_EDITED, orderId: null, data: { n: 1 } }]);
      aWrote();
      await aHolds;
    });
    await aHasWritten;
    let bCommitted = false;
    const txB = second.db
      .transaction(async (tx) => {
        await writeJournal(tx, [{ type: journalTypes.ORDER_EDITED, orderId: null, data: { n: 2 } }]);
      })
      .then(() => {
        bCommitted = true;
      });

    // B tries to commit while A is open: it has to wait, so a poll now cannot see B and move past A.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pollOnce();
    expect(bCommitted).toBe(false);
    expect(seen).toEqual([]);

    releaseA();
    await txA;
    await pollOnce();
    await txB;
    await pollOnce();
    expect(seen).toEqual([1, 2]);
  });

  it('keeps every event of many concurrent writers for a poller running alongside', async () => {
    let after = (await poll(0, '&limit=1000')).lastId;
    const seen: number[] = [];
    let writing = true;
    const poller = (async () => {
      while (writing) {
        const page = await poll(after, '&limit=1000');
        seen.push(...page.events.map((e) => e.data.n as number));
        after = page.lastId;
      }
    })();
    const writers = [t.database, second].flatMap((database, w) =>
      Array.from({ length: 4 }, (_, k) =>
        (async () => {
          for (let i = 0; i < 15; i++) {
            const n = w * 1000 + k * 100 + i;
            await database.db.transaction(async (tx) => {
              await tx.execute(`select pg_sleep(${(n % 3) / 1000})` as never).catch(() => undefined);
              await writeJournal(tx, [{ type: journalTypes.ORDER_EDITED, orderId: null, data: { n } }]);
            });
          }
        })(),
      ),
    );
    await Promise.all(writers);
    writing = false;
    await poller;
    const page = await poll(after, '&limit=1000');
    seen.push(...page.events.map((e) => e.data.n as number));
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });
});
