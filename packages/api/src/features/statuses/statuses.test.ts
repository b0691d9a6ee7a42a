import { order as orderSchema, orderStatus, orderStatusList as statusList } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, sampleOrder, type TestContext } from '../../../test/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const listIds = async () =>
  (await json(await t.call('GET', '/v1/statuses', undefined, { role: 'agent' }), statusList)).statuses.map((s) => s.id);

describe('configurable order statuses', () => {
  it('starts with the usual list, final ones marked', async () => {
    const res = await t.call('GET', '/v1/statuses', undefined, { role: 'integration' });
    const statuses = (await json(res, statusList)).statuses;
    expect(statuses.map((s) => s.id)).toEqual(['new', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'returned']);
    expect(statuses.filter((s) => s.final).map((s) => s.id)).toEqual(['delivered', 'cancelled', 'returned']);
  });

  it('adds, changes and removes a status; orders can use it', async () => {
    const created = await t.call('POST', '/v1/statuses', {
      id: 'awaiting-pickup',
      name: 'Awaiting pickup',
      colour: '#00897b',
      position: 45,
    });
    expect(created.status).toBe(201);
    expect(await json(created, orderStatus)).toEqual({
      id: 'awaiting-pickup',
      name: 'Awaiting pickup',
      customerName: 'Awaiting pickup',
      colour: '#00897b',
      final: false,
      position: 45,
    });
    expect(await listIds()).toEqual(['new', 'paid', 'processing', 'shipped', 'awaiting-pickup', 'delivered', 'cancelled', 'returned']);

    const changed = await t.call('PATCH', '/v1/statuses/awaiting-pickup', { customerName: 'Ready for you', final: true });
    expect(await json(changed, orderStatus)).toMatchObject({ customerName: 'Ready for you', final: true, name: 'Awaiting pickup' });

    const order = await json(await t.call('POST', '/v1/orders', sampleOrder({ number: 'S-1', status: 'awaiting-pickup' })), orderSchema);
    expect(order.status).toBe('awaiting-pickup');
    const inUse = await t.call('DELETE', '/v1/statuses/awaiting-pickup');
    expect(inUse.status).toBe(409);
    expect((await errorBody(inUse)).error.code).toBe('STATUS_IN_USE');

    await t.call('POST', `/v1/orders/${order.id}/status`, { status: 'delivered' });
    expect((await t.call('DELETE', '/v1/statuses/awaiting-pickup')).status).toBe(204);
    expect(await listIds()).not.toContain('awaiting-pickup');
  });

  it.each([
    ['POST', '/v1/statuses', { id: 'new', name: 'Again' }, 409, 'DUPLICATE_STATUS'],
    ['POST', '/v1/statuses', { id: 'Bad Id', name: 'x' }, 400, 'INVALID_VALUE'],
    ['POST', '/v1/statuses', { id: 'x1', name: 'x', colour: 'blue' }, 400, 'INVALID_VALUE'],
    ['POST', '/v1/statuses', { id: 'x2' }, 400, 'REQUIRED_FIELD'],
    ['PATCH', '/v1/statuses/nope', { name: 'x' }, 404, 'STATUS_NOT_FOUND'],
    ['DELETE', '/v1/statuses/nope', undefined, 404, 'STATUS_NOT_FOUND'],
  ])('%s %s answers a clear error', async (method, path, body, status, code) => {
    const res = await t.call(method, path, body);
    expect(res.status).toBe(status);
    expect((await errorBody(res)).error.code).toBe(code);
  });
});
