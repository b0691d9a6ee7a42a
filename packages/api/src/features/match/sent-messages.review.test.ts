import { historyPage, journalTypes } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '../../db/schema/index.js';
import { createOrder, createTestContext, errorBody, json, type TestContext } from '../../../test/context.js';

/**
 * Attacks on POST /v1/orders/{id}/sent-messages (which also writes a history
 * item) and on GET /v1/orders/{id}/messages?latest=N.
 */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const asAgent = { role: 'agent' } as const;
const record = (orderId: number, body: Record<string, unknown>) => t.call('POST', `/v1/orders/${orderId}/sent-messages`, body, asAgent);

async function history(orderId: number, query = '') {
  const res = await t.call('GET', `/v1/orders/${orderId}/messages${query}`, undefined, { role: 'integration' });
  expect(res.status).toBe(200);
  return json(res, historyPage);
}

describe('recording a sent e-mail with its text', () => {
  it.each([
    ['a lone surrogate in the text', { text: 'ok \ud800 broken' }],
    ['a lone surrogate in the subject', { subject: 'Re: \udc00' }],
    ['a NUL in the text', { text: 'a\u0000b' }],
    ['an escape character in the text', { text: 'colour \u001b[31m' }],
    ['a display name as the sender', { from: 'Shop <support@shop.example>' }],
    ['a line break in the recipient', { to: 'anna@example.pl\r\nBcc: x@evil.example' }],
    ['text over 100 000 characters', { text: 'x'.repeat(100_001) }],
  ])('%s → 400, nothing recorded', async (_label, extra) => {
    const order = await createOrder(t);
    const res = await record(order.id, { messageId: `bad-${Math.random()}@shop.example`, sentAt: '2026-11-20T10:00:00Z', ...extra });
    expect(res.status).toBe(400);
    expect((await history(order.id)).messages).toEqual([]);
  });

  it('keeps 100 000 characters of multi-byte text exactly', async () => {
    const order = await createOrder(t);
    const text = `${'ż😀'.repeat(33_333)}a`;
    expect(text.length).toBe(100_000);
    const res = await record(order.id, { messageId: 'long-1@shop.example', sentAt: '2026-11-20T10:00:00Z', text });
    expect(res.status).toBe(201);
    expect((await history(order.id)).messages[0]?.text).toBe(text);
  });

  it('the same Message-ID posted in parallel is recorded once: one 201, the rest 409, one history item', async () => {
    const order = await createOrder(t);
    const body = { messageId: '<race-1@shop.example>', sentAt: '2026-11-20T10:00:00Z', text: 'Once' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => record(order.id, body)));
    expect(answers.map((res) => res.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const res of answers.filter((r) => r.status === 409)) expect((await errorBody(res)).error.code).toBe('DUPLICATE_MESSAGE_ID');
    expect((await history(order.id)).messages).toHaveLength(1);
  });

  it('the same Message-ID posted in parallel for two orders: one is recorded, one 409, one history item in all', async () => {
    const [a, b] = [await createOrder(t), await createOrder(t)];
    if (!a || !b) throw new Error('no orders');
    const body = { messageId: 'race-2@shop.example', sentAt: '2026-11-20T10:00:00Z' };
    const answers = await Promise.all([record(a.id, body), record(b.id, body)]);
    expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
    expect((await history(a.id)).messages.length + (await history(b.id)).messages.length).toBe(1);
  });

  it('an archived order takes none: 409 ORDER_ARCHIVED, no history item, no journal row', async () => {
    const order = await createOrder(t);
    await t.database.db.update(orders).set({ archivedAt: new Date() }).where(eq(orders.id, order.id));
    const res = await record(order.id, { messageId: 'arch-1@shop.example', sentAt: '2026-11-20T10:00:00Z', text: 'Late reply' });
    expect(res.status).toBe(409);
    expect((await errorBody(res)).error.code).toBe('ORDER_ARCHIVED');
    expect((await history(order.id)).messages).toEqual([]);
    const journal = await t.call('GET', `/v1/journal?orderId=${order.id}&types=${journalTypes.MESSAGE_RECORDED}`);
    expect(((await journal.json()) as { events: unknown[] }).events).toEqual([]);
  });
});

describe('?latest=N', () => {
  it.each(['0', '-1', '+1', '1e2', ' 5', '201', '', 'abc', '1.5', '0x10', '９'])('latest=%j → 400', async (value) => {
    const order = await createOrder(t);
    const res = await t.call('GET', `/v1/orders/${order.id}/messages?latest=${encodeURIComponent(value)}`, undefined, {
      role: 'integration',
    });
    expect(res.status).toBe(400);
  });

  it('with after → 400; repeated → not a 500', async () => {
    const order = await createOrder(t);
    const both = await t.call('GET', `/v1/orders/${order.id}/messages?latest=2&after=abc`, undefined, { role: 'integration' });
    expect(both.status).toBe(400);
    const twice = await t.call('GET', `/v1/orders/${order.id}/messages?latest=1&latest=2`, undefined, { role: 'integration' });
    expect([200, 400]).toContain(twice.status);
  });

  it('gives the newest N oldest-first, all of them when N is more, and 404 for an unknown order', async () => {
    const order = await createOrder(t);
    for (const n of [1, 2, 3]) {
      expect(
        (await record(order.id, { messageId: `l-${n}-${order.id}@shop.example`, sentAt: `2026-11-2${n}T10:00:00Z`, subject: `S${n}` }))
          .status,
      ).toBe(201);
    }
    expect((await history(order.id, '?latest=2')).messages.map((m) => m.subject)).toEqual(['S2', 'S3']);
    const all = await history(order.id, '?latest=200');
    expect(all.messages.map((m) => m.subject)).toEqual(['S1', 'S2', 'S3']);
    expect(all.nextCursor).toBeNull();
    expect((await t.call('GET', '/v1/orders/2147483647/messages?latest=1', undefined, { role: 'integration' })).status).toBe(404);
  });
});
