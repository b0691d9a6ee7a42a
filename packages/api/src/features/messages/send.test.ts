import { batchProgress, historyItem, journalTypes } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, errorBody, json, type TestContext } from '../../../test/context.js';
import { journal, orderMessages, orders, sentMessages, templates } from '../../db/schema/index.js';

describe('sending from an order (what is queued)', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  const jobsFor = async (messageId: number) => {
    const jobs = await t.services.queue.requireStarted().findJobs<{ messageId: number }>('deliver-email');
    return jobs.filter((job) => job.data.messageId === messageId);
  };

  it('queues free text to the order e-mail: history row, Message-ID the matcher knows, and one delivery job', async () => {
    const order = await createOrder(t, { buyer: { name: 'Jan Nowak', email: 'Jan.Nowak@Example.pl' } });
    const res = await t.call(
      'POST',
      `/v1/orders/${order.id}/send`,
      { kind: 'email_only', subject: 'Your parcel', text: 'Hello,\nit leaves today.' },
      { role: 'agent' },
    );
    expect(res.status).toBe(202);
    const message = await json(res, historyItem);
    expect(message).toMatchObject({ orderId: order.id, kind: 'email_only', status: 'queued', to: 'Jan.Nowak@Example.pl' });
    expect(message.messageId).toMatch(/^op\.\d+\.[A-Za-z0-9_-]+@/);
    const [recorded] = await t.services.database.db.select().from(sentMessages).where(eq(sentMessages.orderId, order.id));
    expect(recorded?.messageId).toBe(message.messageId);
    expect(await jobsFor(message.id)).toHaveLength(1);
  });

  it('a repeated send with the same Idempotency-Key queues one message and answers the same', async () => {
    const order = await createOrder(t);
    const send = () =>
      t.call(
        'POST',
        `/v1/orders/${order.id}/send`,
        { subject: 'Once', text: 'only once' },
        { role: 'agent', headers: { 'idempotency-key': `send-${order.id}` } },
      );
    const [first, second] = await Promise.all([send(), send()]);
    const a = await json(first as Response, historyItem);
    const b = await json(second as Response, historyItem);
    expect(b.id).toBe(a.id);
    expect(await jobsFor(a.id)).toHaveLength(1);
    const rows = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.orderId, order.id));
    expect(rows).toHaveLength(1);
  });

  it('sends to an explicit address instead of the order e-mail', async () => {
    const order = await createOrder(t);
    const res = await t.call(
      'POST',
      `/v1/orders/${order.id}/send`,
      { subject: 'Hi', text: 'x', to: 'other@example.com' },
      { role: 'agent' },
    );
    expect((await json(res, historyItem)).to).toBe('other@example.com');
  });

  it('refuses an e-mail kind for an order without e-mail (NO_RECIPIENT) and writes nothing', async () => {
    const order = await createOrder(t, { buyer: { name: 'No Mail', phone: '600 100 200' } });
    const res = await t.call('POST', `/v1/orders/${order.id}/send`, { subject: 'Hi', text: 'x' }, { role: 'agent' });
    expect(res.status).toBe(422);
    expect((await errorBody(res)).error).toMatchObject({ code: 'NO_RECIPIENT', field: 'to' });
    expect(await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.orderId, order.id))).toHaveLength(0);
  });

  it('stores internal and order-page-only messages at once, with their journal rows, and queues nothing', async () => {
    const order = await createOrder(t);
    const internal = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { kind: 'internal', text: 'Called the buyer.' }, { role: 'agent' }),
      historyItem,
    );
    const page = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { kind: 'page_only', text: 'Your parcel is packed.' }, { role: 'agent' }),
      historyItem,
    );
    expect([internal.status, page.status]).toEqual(['stored', 'stored']);
    expect(internal.messageId).toBeNull();
    expect(await jobsFor(internal.id)).toHaveLength(0);
    const types = (await t.services.database.db.select().from(journal).where(eq(journal.orderId, order.id))).map((row) => row.type);
    expect(types).toContain(journalTypes.NOTE_ADDED);
    expect(types).toContain(journalTypes.ORDER_PAGE_MESSAGE);
  });

  it.each([
    [{ kind: 'email_only', text: 'no subject' }, 'subject', 'REQUIRED_FIELD'],
    [{ kind: 'email_only', subject: 'no text' }, 'text', 'REQUIRED_FIELD'],
    [{ subject: 'a\r\nBcc: x@example.com', text: 'x' }, 'subject', 'INVALID_VALUE'],
    [{ subject: 'ok', text: 'x', to: 'not an address' }, 'to', 'INVALID_EMAIL'],
    [{ subject: 'ok', text: 'x', kind: 'fax' }, 'kind', 'INVALID_VALUE'],
    [{ templateId: 1, text: 'both' }, 'text', 'INVALID_VALUE'],
    [{ subject: 'ok', text: 'x', extra: 1 }, 'extra', 'UNKNOWN_FIELD'],
  ])('refuses %j with a clear error on %s', async (body, field, code) => {
    const order = await createOrder(t);
    const res = await t.call('POST', `/v1/orders/${order.id}/send`, body, { role: 'agent' });
    expect(res.status).toBe(400);
    const issues = (await errorBody(res)).error;
    const all = issues.issues ?? [{ field: issues.field, code: issues.code }];
    expect(all).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
  });

  it('answers 404 for an unknown order, template or mailbox, and 409 for an archived order', async () => {
    expect(
      (await errorBody(await t.call('POST', '/v1/orders/999999/send', { subject: 's', text: 'x' }, { role: 'agent' }))).error.code,
    ).toBe('ORDER_NOT_FOUND');
    const order = await createOrder(t);
    expect(
      (await errorBody(await t.call('POST', `/v1/orders/${order.id}/send`, { templateId: 999999 }, { role: 'agent' }))).error.code,
    ).toBe('TEMPLATE_NOT_FOUND');
    expect(
      (
        await errorBody(
          await t.call('POST', `/v1/orders/${order.id}/send`, { subject: 's', text: 'x', mailboxId: 999999 }, { role: 'agent' }),
        )
      ).error.code,
    ).toBe('MAILBOX_NOT_FOUND');
    await archive(t, order.id);
    const archived = await t.call('POST', `/v1/orders/${order.id}/send`, { subject: 's', text: 'x' }, { role: 'agent' });
    expect(archived.status).toBe(409);
    expect((await errorBody(archived)).error.code).toBe('ORDER_ARCHIVED');
  });

  it('a bulk send lists the orders it skips, with the reason, and queues the rest', async () => {
    const withMail = await createOrder(t);
    const withoutMail = await createOrder(t, { buyer: { name: 'No Mail', phone: '600 100 201' } });
    const archived = await createOrder(t);
    await archive(t, archived.id);
    const [template] = await t.services.database.db
      .insert(templates)
      .values({ name: 'Bulk', subject: 'Hello', format: 'text', content: 'Hello' })
      .returning({ id: templates.id });
    const templateId = template?.id ?? 0;
    const res = await t.call(
      'POST',
      '/v1/messages/batches',
      { templateId, orderIds: [withMail.id, withoutMail.id, archived.id, 999999, withMail.id] },
      { role: 'agent' },
    );
    expect(res.status).toBe(202);
    const progress = await json(res, batchProgress);
    expect(progress).toMatchObject({ requested: 5, queued: 1, sent: 0, done: false });
    expect(progress.skipped).toEqual(
      expect.arrayContaining([
        { orderId: withoutMail.id, reason: 'no_email' },
        { orderId: archived.id, reason: 'order_archived' },
        { orderId: 999999, reason: 'order_not_found' },
        { orderId: withMail.id, reason: 'duplicate' },
      ]),
    );
    const again = await json(await t.call('GET', `/v1/messages/batches/${progress.id}`, undefined, { role: 'agent' }), batchProgress);
    expect(again.queued).toBe(1);
    expect((await t.call('GET', '/v1/messages/batches/999999', undefined, { role: 'agent' })).status).toBe(404);
  });

  it('refuses more than 10,000 orders in one bulk send', async () => {
    const orderIds = Array.from({ length: 10_001 }, (_, index) => index + 1);
    const res = await t.call('POST', '/v1/messages/batches', { templateId: 1, orderIds }, { role: 'agent' });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.field).toBe('orderIds');
  });
});

/** Orders are archived by the nightly job; the test sets the mark as it does. */
async function archive(t: TestContext, orderId: number) {
  await t.services.database.db.update(orders).set({ archivedAt: new Date() }).where(eq(orders.id, orderId));
}
