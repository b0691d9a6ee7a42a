import { journalPage, order as orderSchema, orderPage } from '@orderpost/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../db/client.js';
import { createWorker } from '../worker.js';
import { createTestContext, errorBody, json, sampleOrder, type TestContext } from '../../test/context.js';
import { archiveOldOrders } from './archive.js';

const day = 86_400_000;
const afterDays = 90;
const start = new Date('2027-03-01T03:00:00Z');
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * day).toISOString();

const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
).toString('base64');
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');

async function createOrder(t: TestContext, number: string, status: string, ageDays: number, now = start) {
  const res = await t.call(
    'POST',
    '/v1/orders',
    sampleOrder({ number, source: 'archive', externalId: number, status, orderedAt: daysBefore(now, ageDays) }),
  );
  expect(res.status).toBe(201);
  return await json(res, orderSchema);
}

async function journalOf(t: TestContext, orderId: number) {
  return (await json(await t.call('GET', `/v1/journal?orderId=${orderId}`), journalPage)).events;
}

async function listNumbers(t: TestContext, query = '') {
  const res = await t.call('GET', `/v1/orders?source=archive${query}`, undefined, { role: 'agent' });
  expect(res.status).toBe(200);
  return (await json(res, orderPage)).orders.map((o) => o.number).sort();
}

describe('archiveOldOrders', () => {
  let t: TestContext;
  let now = start;
  const ids: Record<string, number> = {};
  let archivedFirst = 0;
  beforeAll(async () => {
    t = await createTestContext({ clock: () => now });
    const cases: [string, string, number][] = [
      ['OLD-DELIVERED', 'delivered', 100],
      ['OLD-CANCELLED', 'cancelled', 91],
      ['OLD-RETURNED', 'returned', 400],
      ['OLD-SHIPPED', 'shipped', 200],
      ['OLD-NEW', 'new', 365],
      ['YOUNG-DELIVERED', 'delivered', 30],
      ['ALMOST-DELIVERED', 'delivered', 89],
    ];
    for (const [number, status, age] of cases) ids[number] = (await createOrder(t, number, status, age)).id;
    // The archived orders below are read-only fixtures: tests that change orders make their own.
    archivedFirst = await archiveOldOrders(t.services, now);
  });
  afterAll(() => t.close());

  it('archives final orders older than the limit and leaves the rest', async () => {
    expect(archivedFirst).toBe(3);
    expect(await listNumbers(t, '&archived=true')).toEqual(['OLD-CANCELLED', 'OLD-DELIVERED', 'OLD-RETURNED']);
    expect(await listNumbers(t)).toEqual(['ALMOST-DELIVERED', 'OLD-NEW', 'OLD-SHIPPED', 'YOUNG-DELIVERED']);
    expect(await listNumbers(t, '&archived=all')).toHaveLength(7);
    expect(await archiveOldOrders(t.services, now)).toBe(0);
  });

  it('keeps archived orders readable and journals the archiving', async () => {
    const id = ids['OLD-DELIVERED'] ?? 0;
    const res = await t.call('GET', `/v1/orders/${id}`, undefined, { role: 'integration' });
    expect(res.status).toBe(200);
    const body = await json(res, orderSchema);
    expect(body).toMatchObject({ number: 'OLD-DELIVERED', status: 'delivered', archivedAt: now.toISOString() });
    expect((await journalOf(t, id)).at(-1)).toMatchObject({ type: 100, typeName: 'ORDER_ARCHIVED', data: { afterDays } });
    const young = await json(await t.call('GET', `/v1/orders/${ids['YOUNG-DELIVERED']}`), orderSchema);
    expect(young.archivedAt).toBeNull();
  });

  describe('an archived order cannot be changed', () => {
    const changes: [string, string, string, unknown][] = [
      ['editing', 'PATCH', '', { buyer: { email: 'changed@example.com' } }],
      ['changing the status', 'POST', '/status', { status: 'returned' }],
      ['recording a payment', 'POST', '/payments', { amount: '10.00' }],
      [
        'issuing an invoice',
        'POST',
        '/invoices',
        { number: 'FV/A/1', issueDate: '2027-03-01', file: { filename: 'fv.pdf', contentBase64: pdf } },
      ],
      ['adding a parcel', 'POST', '/parcels', { carrier: 'DPD', trackingNumber: '123', photo: { filename: 'p.png', contentBase64: png } }],
    ];

    it.each(changes)('%s answers 409 ORDER_ARCHIVED and changes nothing', async (_label, method, suffix, body) => {
      const id = ids['OLD-CANCELLED'] ?? 0;
      const before = await json(await t.call('GET', `/v1/orders/${id}`), orderSchema);
      const journalBefore = await journalOf(t, id);
      const res = await t.call(method, `/v1/orders/${id}${suffix}`, body);
      expect(res.status).toBe(409);
      expect((await errorBody(res)).error.code).toBe('ORDER_ARCHIVED');
      expect(await json(await t.call('GET', `/v1/orders/${id}`), orderSchema)).toEqual(before);
      expect(await journalOf(t, id)).toEqual(journalBefore);
    });

    it('sending it again from the shop (same source and externalId) answers 409 ORDER_ARCHIVED', async () => {
      const id = ids['OLD-CANCELLED'] ?? 0;
      const before = await json(await t.call('GET', `/v1/orders/${id}`), orderSchema);
      const again = sampleOrder({
        number: 'OLD-CANCELLED',
        source: 'archive',
        externalId: 'OLD-CANCELLED',
        status: 'paid',
        orderedAt: before.orderedAt,
      });
      const res = await t.call('POST', '/v1/orders', again, { role: 'integration' });
      expect(res.status).toBe(409);
      expect((await errorBody(res)).error).toMatchObject({ code: 'ORDER_ARCHIVED', field: 'externalId' });
      expect(await json(await t.call('GET', `/v1/orders/${id}`), orderSchema)).toEqual(before);
    });

    it('a batch containing it is rejected as a whole, naming ORDER_ARCHIVED', async () => {
      const id = ids['OLD-CANCELLED'] ?? 0;
      const before = await json(await t.call('GET', `/v1/orders/${id}`), orderSchema);
      const orders = [
        sampleOrder({ number: 'FRESH-1', source: 'archive', externalId: 'FRESH-1' }),
        sampleOrder({
          number: 'OLD-CANCELLED',
          source: 'archive',
          externalId: 'OLD-CANCELLED',
          status: 'paid',
          orderedAt: before.orderedAt,
        }),
      ];
      const res = await t.call('POST', '/v1/orders/batch', { orders }, { role: 'integration' });
      expect(res.status).toBe(422);
      const error = (await errorBody(res)).error;
      expect(error.code).toBe('BATCH_REJECTED');
      expect(error.issues).toEqual([expect.objectContaining({ index: 1, code: 'ORDER_ARCHIVED', field: 'orders[1].externalId' })]);
      expect(await json(await t.call('GET', `/v1/orders/${id}`), orderSchema)).toEqual(before);
      expect(await listNumbers(t, '&archived=all&number=FRESH-1')).toEqual([]);
    });
  });

  it('restores an archived order, which can then be changed again', async () => {
    // Its own order (another source, so the listings above stay as they are), archived now and restored an hour later.
    const old = sampleOrder({ number: 'TO-RESTORE', source: 'restore', externalId: 'TO-RESTORE', status: 'returned' });
    const { id } = await json(await t.call('POST', '/v1/orders', { ...old, orderedAt: daysBefore(now, 400) }), orderSchema);
    expect(await archiveOldOrders(t.services, now)).toBe(1);
    now = new Date(start.getTime() + 3_600_000);
    try {
      const res = await t.call('POST', `/v1/orders/${id}/restore`, undefined, { role: 'agent' });
      expect(res.status).toBe(200);
      expect(await json(res, orderSchema)).toMatchObject({ number: 'TO-RESTORE', archivedAt: null, status: 'returned' });
      expect((await journalOf(t, id)).at(-1)).toMatchObject({ type: 101, typeName: 'ORDER_RESTORED' });
      expect(await listNumbers(t, '&archived=true')).toEqual(['OLD-CANCELLED', 'OLD-DELIVERED', 'OLD-RETURNED']);

      const paid = await t.call('POST', `/v1/orders/${id}/payments`, { amount: '5.00' });
      expect(paid.status).toBe(200);
      expect((await json(paid, orderSchema)).payment.amountPaid).toBe('5.00');
    } finally {
      now = start;
    }
  });

  it('restoring an order that is not archived answers 409 ORDER_NOT_ARCHIVED', async () => {
    const id = ids['YOUNG-DELIVERED'] ?? 0;
    const journalBefore = await journalOf(t, id);
    const res = await t.call('POST', `/v1/orders/${id}/restore`, undefined, { role: 'agent' });
    expect(res.status).toBe(409);
    expect((await errorBody(res)).error.code).toBe('ORDER_NOT_ARCHIVED');
    expect(await journalOf(t, id)).toEqual(journalBefore);
    const missing = await t.call('POST', '/v1/orders/999999/restore');
    expect(missing.status).toBe(404);
    expect((await errorBody(missing)).error.code).toBe('ORDER_NOT_FOUND');
  });
});

describe('the daily archive run of the worker', () => {
  let t: TestContext;
  let now = start;
  beforeAll(async () => {
    t = await createTestContext({ clock: () => now });
  });
  afterAll(() => t.close());

  const lastResult = async () =>
    rowsOf<{ last_result: string | null }>(
      await t.database.db.execute(sql`select last_result from scheduled_runs where job = 'archive-orders'`),
    )[0]?.last_result;

  it('runs once a day: a second run the same day does nothing, the next day it runs again', async () => {
    const worker = createWorker(t.services);
    await createOrder(t, 'W-OLD', 'delivered', 120, now);
    await createOrder(t, 'W-YOUNG', 'delivered', 10, now);

    expect(await worker.runDue()).toEqual(['archive-orders', 'refresh-lookup-forms', 'expire-idempotency-keys']);
    expect(await listNumbers(t, '&archived=true')).toEqual(['W-OLD']);
    expect(await lastResult()).toBe('archived 1 order(s)');

    await createOrder(t, 'W-LATE', 'cancelled', 95, now);
    now = new Date(start.getTime() + 23 * 3_600_000);
    expect(await worker.runDue()).toEqual(['expire-idempotency-keys']); // hourly
    expect(await listNumbers(t, '&archived=true')).toEqual(['W-OLD']);

    now = new Date(start.getTime() + 24 * 3_600_000);
    expect(await worker.runDue()).toEqual(['archive-orders', 'refresh-lookup-forms', 'expire-idempotency-keys']);
    expect(await listNumbers(t, '&archived=true')).toEqual(['W-LATE', 'W-OLD']);
    expect(await lastResult()).toBe('archived 1 order(s)');
    expect(await listNumbers(t)).toEqual(['W-YOUNG']);
  });

  it('a second worker on the same database does not run the job the same day again', async () => {
    const own = await createTestContext({ clock: () => start });
    try {
      const worker = () => createWorker(own.services);
      expect(await worker().runDue()).toEqual(['archive-orders', 'refresh-lookup-forms', 'expire-idempotency-keys']);
      expect(await worker().runDue()).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

describe('a restore sticks', () => {
  it('is not undone by the next nightly runs, only ARCHIVE_AFTER_DAYS after the restore', async () => {
    const now = start;
    const t = await createTestContext({ clock: () => now });
    try {
      const { id } = await createOrder(t, 'RESTORED-1', 'delivered', 200);
      expect(await archiveOldOrders(t.services, now)).toBe(1);
      expect((await t.call('POST', `/v1/orders/${id}/restore`, undefined, { role: 'agent' })).status).toBe(200);
      const archivedAfter = async (days: number) => {
        await archiveOldOrders(t.services, new Date(now.getTime() + days * day));
        return (await json(await t.call('GET', `/v1/orders/${id}`), orderSchema)).archivedAt !== null;
      };
      expect(await archivedAfter(1)).toBe(false);
      expect(await archivedAfter(89)).toBe(false);
      expect(await archivedAfter(91)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
