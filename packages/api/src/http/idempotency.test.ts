import { eq, sql } from 'drizzle-orm';
import { historyItem, historyPage, journalPage, journalTypes } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { apiTokens, idempotencyKeys, orders } from '../db/schema/index.js';
import { createOrder, createTestContext, errorBody, json, type TestContext } from '../../test/context.js';
import { testDatabaseKind } from '../../test/database.js';
import { deleteExpiredIdempotencyKeys } from './idempotency.js';

let now = new Date('2026-11-10T12:00:00Z');
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock: () => now });
});
afterAll(() => t.close());

function addNote(orderId: number, body: unknown, key: string | null, role: 'agent' | 'admin' = 'agent') {
  return t.call('POST', `/v1/orders/${orderId}/notes`, body, { role, headers: key === null ? {} : { 'idempotency-key': key } });
}

async function notesOf(orderId: number) {
  return (await json(await t.call('GET', `/v1/orders/${orderId}/messages?channel=note`), historyPage)).messages;
}

describe('Idempotency-Key', () => {
  it('a repeat gets the first answer again, byte for byte, marked as replayed, and nothing is done twice', async () => {
    const order = await createOrder(t);
    const first = await addNote(order.id, { text: 'call back' }, 'note-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = await first.text();

    const repeat = await addNote(order.id, { text: 'call back' }, 'note-1');
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await repeat.text()).toBe(firstBody);
    expect(await notesOf(order.id)).toHaveLength(1);
    const journal = await json(await t.call('GET', `/v1/journal?orderId=${order.id}&types=${journalTypes.NOTE_ADDED}`), journalPage);
    expect(journal.events).toHaveLength(1);
  });

  it('replays a filed e-mail with the same body written in another key order', async () => {
    const order = await createOrder(t);
    const send = (body: unknown) =>
      t.call('POST', `/v1/orders/${order.id}/messages`, body, { role: 'agent', headers: { 'idempotency-key': 'file-1' } });
    const first = await send({ from: { address: 'a@example.pl', name: 'A' }, text: 'hi' });
    const again = await send({ text: 'hi', from: { name: 'A', address: 'a@example.pl' } });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(again, historyItem)).toEqual(await json(first, historyItem));
  });

  it('the same key with another body or for another order is 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const order = await createOrder(t);
    const other = await createOrder(t);
    expect((await addNote(order.id, { text: 'one' }, 'reused')).status).toBe(201);
    for (const res of [await addNote(order.id, { text: 'two' }, 'reused'), await addNote(other.id, { text: 'one' }, 'reused')]) {
      expect(res.status).toBe(422);
      expect((await errorBody(res)).error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotency-key' });
    }
    expect(await notesOf(order.id)).toHaveLength(1);
    expect(await notesOf(other.id)).toHaveLength(0);
  });

  it('keys belong to their token: another token with the same key makes its own note', async () => {
    const order = await createOrder(t);
    expect((await addNote(order.id, { text: 'same' }, 'shared-key', 'agent')).status).toBe(201);
    const admin = await addNote(order.id, { text: 'same' }, 'shared-key', 'admin');
    expect(admin.status).toBe(201);
    expect(admin.headers.get('idempotent-replayed')).toBeNull();
    expect((await notesOf(order.id)).map((n) => n.createdBy?.name)).toEqual(['test agent', 'test admin']);
  });

  it('an error answer is not kept: after fixing the cause, the same key does the work', async () => {
    const order = await createOrder(t);
    await t.database.db.update(orders).set({ archivedAt: now }).where(eq(orders.id, order.id));
    const refused = await addNote(order.id, { text: 'after restore' }, 'retry-me');
    expect(refused.status).toBe(409);
    expect((await errorBody(refused)).error.code).toBe('ORDER_ARCHIVED');
    expect((await t.call('POST', `/v1/orders/${order.id}/restore`, undefined, { role: 'agent' })).status).toBe(200);
    const done = await addNote(order.id, { text: 'after restore' }, 'retry-me');
    expect(done.status).toBe(201);
    expect(done.headers.get('idempotent-replayed')).toBeNull();
    expect(await notesOf(order.id)).toHaveLength(1);
  });

  it(`expires after 24 hours: the key is then a new request, and the worker's job deletes old keys`, async () => {
    const order = await createOrder(t);
    const start = now;
    try {
      expect((await addNote(order.id, { text: 'daily' }, 'daily-key')).status).toBe(201);
      now = new Date(start.getTime() + 23 * 3_600_000);
      expect((await addNote(order.id, { text: 'daily' }, 'daily-key')).headers.get('idempotent-replayed')).toBe('true');
      now = new Date(start.getTime() + 24 * 3_600_000 + 1000);
      const later = await addNote(order.id, { text: 'daily' }, 'daily-key');
      expect(later.status).toBe(201);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(await notesOf(order.id)).toHaveLength(2);

      expect((await addNote(order.id, { text: 'other' }, 'old-key')).status).toBe(201);
      const count = async () => (await t.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'old-key'))).length;
      expect(await count()).toBe(1);
      await deleteExpiredIdempotencyKeys(t.services, new Date(now.getTime() + 23 * 3_600_000));
      expect(await count()).toBe(1);
      expect(await deleteExpiredIdempotencyKeys(t.services, new Date(now.getTime() + 25 * 3_600_000))).toBeGreaterThanOrEqual(1);
      expect(await count()).toBe(0);
    } finally {
      now = start;
    }
  });

  it.each([
    ['empty', ''],
    ['with a space', 'my key'],
    ['256 characters long', 'k'.repeat(256)],
    ['not ASCII', 'klucz-é'],
  ])('refuses a key that is %s with 400 INVALID_VALUE', async (_label, key) => {
    const order = await createOrder(t);
    const res = await addNote(order.id, { text: 'x' }, key);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field: 'idempotency-key' });
    expect(await notesOf(order.id)).toHaveLength(0);
  });

  it('takes a key of 255 visible ASCII characters', async () => {
    const order = await createOrder(t);
    const key = `${'!~'.repeat(127)}z`;
    expect((await addNote(order.id, { text: 'x' }, key)).status).toBe(201);
    expect((await addNote(order.id, { text: 'x' }, key)).headers.get('idempotent-replayed')).toBe('true');
  });

  it(`20 identical requests at once make one note and get 20 identical answers (${testDatabaseKind()})`, async () => {
    const order = await createOrder(t);
    const answers = await Promise.all(Array.from({ length: 20 }, () => addNote(order.id, { text: 'at once' }, 'parallel')));
    const bodies = await Promise.all(answers.map((res) => res.text()));
    expect(answers.map((res) => res.status)).toEqual(Array(20).fill(201));
    expect(new Set(bodies).size).toBe(1);
    expect(answers.filter((res) => res.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(await notesOf(order.id)).toHaveLength(1);
  });

  // PGlite is one connection: a first request cannot stay open while another runs.
  it.skipIf(testDatabaseKind() === 'pglite')(
    'a first request still running after 10 s makes the repeat 409 IDEMPOTENCY_KEY_IN_PROGRESS',
    async () => {
      const order = await createOrder(t);
      const url = t.database.url;
      if (!url) throw new Error('the PostgreSQL test database has no URL');
      const second = await openDatabase({ url, poolSize: 2 });
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let claimed: () => void = () => undefined;
      const isClaimed = new Promise<void>((resolve) => {
        claimed = resolve;
      });
      try {
        const [agent] = await t.database.db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.name, 'test agent'));
        if (!agent) throw new Error('no agent token');
        // Another request with this key, claimed and not committed yet.
        const first = second.db
          .transaction(async (tx) => {
            await tx
              .insert(idempotencyKeys)
              .values({ tokenId: agent.id, key: 'slow', requestHash: 'x', status: 0, response: sql`'""'::jsonb` });
            claimed();
            await held;
            throw new Error('rolled back on purpose');
          })
          .catch(() => undefined);
        await isClaimed;
        const started = Date.now();
        const res = await addNote(order.id, { text: 'x' }, 'slow');
        expect(res.status).toBe(409);
        expect((await errorBody(res)).error.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
        expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
        release();
        await first;
        // The first one rolled back: the key is free, and the repeat does the work.
        expect((await addNote(order.id, { text: 'x' }, 'slow')).status).toBe(201);
      } finally {
        release();
        await second.close();
      }
    },
  );
});
