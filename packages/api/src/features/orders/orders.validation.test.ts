import { order as orderSchema, orderPage } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, sampleOrder, type TestContext } from '../../../test/context.js';

let t: TestContext;
let existingId: number;
beforeAll(async () => {
  t = await createTestContext({ config: { BODY_LIMIT_BYTES: 64 * 1024 } });
  existingId = (await json(await t.call('POST', '/v1/orders', sampleOrder({ number: 'EXISTING-1' })), orderSchema)).id;
});
afterAll(() => t.close());

const countOrders = async () => (await json(await t.call('GET', '/v1/orders?limit=500&archived=all'), orderPage)).orders.length;

describe('bad input to order creation is refused with a precise code and field, and nothing is written', () => {
  it.each([
    ['an unknown field', { colour: 'red' }, 400, 'UNKNOWN_FIELD', 'colour'],
    ['an unknown nested field', { buyer: { name: 'A', shoeSize: 42 } }, 400, 'UNKNOWN_FIELD', 'buyer.shoeSize'],
    ['a missing currency', { currency: undefined }, 400, 'REQUIRED_FIELD', 'currency'],
    ['a wrong type', { items: 'many' }, 400, 'INVALID_TYPE', 'items'],
    ['a quantity that is text', { items: [{ name: 'X', quantity: 'two', price: '1.00' }] }, 400, 'INVALID_TYPE', 'items[0].quantity'],
    ['a negative quantity', { items: [{ name: 'X', quantity: -1, price: '1.00' }] }, 400, 'INVALID_VALUE', 'items[0].quantity'],
    ['a price with 3 decimals', { items: [{ name: 'X', quantity: 1, price: '1.005' }] }, 400, 'INVALID_VALUE', 'items[0].price'],
    ['an invalid EAN', { items: [{ name: 'X', quantity: 1, price: '1.00', ean: '12ab' }] }, 400, 'INVALID_VALUE', 'items[0].ean'],
    ['an invalid e-mail', { buyer: { email: 'anna(at)example.pl' } }, 400, 'INVALID_EMAIL', 'buyer.email'],
    ['an invalid phone', { buyer: { phone: '12' } }, 400, 'INVALID_PHONE', 'buyer.phone'],
    ['letters as phone', { buyer: { phone: 'call me maybe' } }, 400, 'INVALID_PHONE', 'buyer.phone'],
    ['an unknown status', { status: 'teleported' }, 422, 'UNKNOWN_STATUS', 'status'],
    ['a duplicate order number', { number: 'EXISTING-1' }, 409, 'DUPLICATE_ORDER_NUMBER', 'number'],
    ['a duplicate order number typed differently', { number: 'existing1' }, 409, 'DUPLICATE_ORDER_NUMBER', 'number'],
    ['a lower-case currency', { currency: 'pln' }, 400, 'INVALID_VALUE', 'currency'],
    ['a bad date', { orderedAt: '2026-13-45' }, 400, 'INVALID_VALUE', 'orderedAt'],
    ['a bad source', { source: 'My Shop!' }, 400, 'INVALID_VALUE', 'source'],
    ['a bad country code', { deliveryAddress: { countryCode: 'Poland' } }, 400, 'INVALID_VALUE', 'deliveryAddress.countryCode'],
    ['an order number with spaces inside', { number: 'A 1' }, 400, 'INVALID_VALUE', 'number'],
    ['a NUL character in a name', { buyer: { name: 'Anna\u0000K' } }, 400, 'INVALID_VALUE', undefined],
    [
      'too many extra fields',
      { extraFields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i])) },
      400,
      'INVALID_VALUE',
      'extraFields',
    ],
  ])('%s', async (_label, override, status, code, field) => {
    const before = await countOrders();
    const res = await t.call(
      'POST',
      '/v1/orders',
      sampleOrder({ number: `V-${code}-${(field ?? 'none').replace(/[^\w.-]/g, '_')}`, ...override }),
      { role: 'integration' },
    );
    expect(res.status).toBe(status);
    const body = await errorBody(res);
    expect(body.error).toMatchObject({ code, ...(field ? { field } : {}) });
    expect(body.error.requestId).toEqual(expect.any(String));
    expect(await countOrders()).toBe(before);
  });

  it.each([
    ['a body that is not JSON', '{"currency": "PLN",', 'INVALID_JSON', 400],
    ['a JSON array instead of an object', '[1,2]', 'INVALID_TYPE', 400],
    [
      'a body over the size limit',
      JSON.stringify(
        sampleOrder({
          extraFields: { note: 'x'.repeat(1999) },
          items: Array.from({ length: 400 }, () => ({ name: 'y'.repeat(200), quantity: 1, price: '1.00' })),
        }),
      ),
      'PAYLOAD_TOO_LARGE',
      413,
    ],
  ])('%s', async (_label, raw, code, status) => {
    const before = await countOrders();
    const res = await t.call('POST', '/v1/orders', raw);
    expect(res.status).toBe(status);
    expect((await errorBody(res)).error.code).toBe(code);
    expect(await countOrders()).toBe(before);
  });
});

describe('bad input to order changes', () => {
  it.each([
    ['PATCH', () => `/v1/orders/${existingId}`, { status: 'paid' }, 400, 'UNKNOWN_FIELD', 'status'],
    ['PATCH', () => `/v1/orders/${existingId}`, { buyer: { email: 'x' } }, 400, 'INVALID_EMAIL', 'buyer.email'],
    ['PATCH', () => `/v1/orders/${existingId}`, { number: 'EXISTING-1 ' }, 200, undefined, undefined],
    ['POST', () => `/v1/orders/${existingId}/status`, { status: 'nope' }, 422, 'UNKNOWN_STATUS', 'status'],
    ['POST', () => `/v1/orders/${existingId}/status`, {}, 400, 'REQUIRED_FIELD', 'status'],
    ['POST', () => `/v1/orders/${existingId}/payments`, { amount: 'lots' }, 400, 'INVALID_VALUE', 'amount'],
    ['POST', () => `/v1/orders/${existingId}/invoices`, { number: 'F1', issueDate: '20.11.2026' }, 400, 'INVALID_VALUE', 'issueDate'],
    [
      'POST',
      () => `/v1/orders/${existingId}/invoices`,
      { number: 'F1', issueDate: '2026-11-20', file: { filename: 'a.pdf', contentBase64: '***' } },
      400,
      'INVALID_VALUE',
      'file.contentBase64',
    ],
    ['POST', () => `/v1/orders/${existingId}/parcels`, { trackingNumber: '123' }, 400, 'REQUIRED_FIELD', 'carrier'],
    ['POST', () => '/v1/orders/abc/status', { status: 'paid' }, 400, 'INVALID_TYPE', 'id'],
    ['POST', () => '/v1/orders/424242/status', { status: 'paid' }, 404, 'ORDER_NOT_FOUND', undefined],
    ['GET', () => '/v1/orders?limit=0', undefined, 400, 'INVALID_VALUE', 'limit'],
    ['GET', () => '/v1/orders?cursor=bogus', undefined, 400, 'INVALID_CURSOR', 'cursor'],
    ['GET', () => '/v1/orders?phone=12', undefined, 400, 'INVALID_PHONE', 'phone'],
    ['GET', () => '/v1/orders?archived=maybe', undefined, 400, 'INVALID_VALUE', 'archived'],
    ['GET', () => '/v1/orders/99999999999999', undefined, 400, 'INVALID_VALUE', 'id'],
    [
      'GET',
      () => `/v1/orders?cursor=${Buffer.from(JSON.stringify({ id: 99999999999 })).toString('base64url')}`,
      undefined,
      400,
      'INVALID_CURSOR',
      'cursor',
    ],
    ['PATCH', () => `/v1/orders/${existingId}`, { extraFields: { note: 'a\u0000b' } }, 400, 'INVALID_VALUE', undefined],
  ])('%s %s', async (method, path, body, status, code, field) => {
    const before = await json(await t.call('GET', `/v1/orders/${existingId}`), orderSchema);
    const res = await t.call(method, path(), body);
    expect(res.status).toBe(status);
    if (code) expect((await errorBody(res)).error).toMatchObject({ code, ...(field ? { field } : {}) });
    if (status >= 400) {
      const after = await json(await t.call('GET', `/v1/orders/${existingId}`), orderSchema);
      expect(after.updatedAt).toBe(before.updatedAt);
    }
  });
});

describe('batch limits', () => {
  it('refuses an empty batch and one over 1000 orders', async () => {
    const empty = await t.call('POST', '/v1/orders/batch', { orders: [] });
    expect((await errorBody(empty)).error).toMatchObject({ code: 'INVALID_VALUE', field: 'orders' });
    const tooMany = await t.call('POST', '/v1/orders/batch', { orders: Array.from({ length: 1001 }, () => ({})) });
    expect((await errorBody(tooMany)).error).toMatchObject({ code: 'INVALID_VALUE', field: 'orders' });
  });

  it('reports the same external id twice in one batch', async () => {
    const res = await t.call('POST', '/v1/orders/batch', {
      orders: [sampleOrder({ number: 'D-1', externalId: 'dup' }), sampleOrder({ number: 'D-2', externalId: 'dup' })],
    });
    expect(res.status).toBe(422);
    expect((await errorBody(res)).error.issues).toEqual([
      expect.objectContaining({ index: 1, field: 'orders[1].externalId', code: 'INVALID_VALUE' }),
    ]);
  });
});
