import { batchResult, journalPage, order as orderSchema, orderPage } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, errorBody, json, sampleOrder, type TestContext } from '../../../test/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
).toString('base64');

async function journalOf(orderId: number) {
  const res = await t.call('GET', `/v1/journal?orderId=${orderId}`);
  return (await json(res, journalPage)).events;
}

describe('creating and reading orders', () => {
  it('creates an order, computes lookups and the total, and journals it', async () => {
    const res = await t.call('POST', '/v1/orders', sampleOrder(), { role: 'integration' });
    expect(res.status).toBe(201);
    const created = await json(res, orderSchema);
    expect(created).toMatchObject({
      number: '10231',
      status: 'new',
      currency: 'PLN',
      buyer: { email: 'Anna.Kowalska@Example.pl', phone: '600 123 456', phoneE164: '+48600123456' },
      total: '1477.00',
      payment: { method: 'transfer', cashOnDelivery: false, amountPaid: '0.00' },
      archivedAt: null,
    });
    expect(created.items.map((i) => i.price)).toEqual(['1199.00', '139.00']);
    expect(created.deliveryAddress).toMatchObject({ city: 'Olsztyn', postcode: '10-234' });

    const read = await t.call('GET', `/v1/orders/${created.id}`, undefined, { role: 'agent' });
    expect(read.status).toBe(200);
    expect(await json(read, orderSchema)).toEqual(created);
    expect((await journalOf(created.id)).map((e) => e.typeName)).toEqual(['ORDER_CREATED']);
  });

  it('reads a national phone number in the delivery country before the shop default', async () => {
    const res = await t.call(
      'POST',
      '/v1/orders',
      sampleOrder({
        number: 'DE-1',
        buyer: { phone: '0170 1234567' },
        deliveryAddress: { city: 'Hamburg', countryCode: 'DE' },
      }),
    );
    expect(res.status).toBe(201);
    expect((await json(res, orderSchema)).buyer).toMatchObject({ phone: '0170 1234567', phoneE164: '+491701234567' });
    const refused = await t.call(
      'POST',
      '/v1/orders',
      sampleOrder({ number: 'DE-2', buyer: { phone: '0170 1234567' }, deliveryAddress: { countryCode: 'PL' } }),
    );
    expect(refused.status).toBe(400);
    expect((await errorBody(refused)).error).toMatchObject({ code: 'INVALID_PHONE', field: 'buyer.phone' });
  });

  it('assigns a number when the shop sends none', async () => {
    const res = await t.call('POST', '/v1/orders', sampleOrder({ number: undefined }));
    expect(res.status).toBe(201);
    expect((await json(res, orderSchema)).number).toMatch(/^\d+$/);
  });

  it('upserts by source and external id: second post updates, a third identical one changes nothing', async () => {
    const first = await t.call(
      'POST',
      '/v1/orders',
      sampleOrder({ number: 'A-77', source: 'allegro', externalId: 'ext-1', status: 'paid' }),
    );
    expect(first.status).toBe(201);
    const id = (await json(first, orderSchema)).id;
    const second = await t.call(
      'POST',
      '/v1/orders',
      sampleOrder({ number: 'A-77', source: 'allegro', externalId: 'ext-1', status: 'shipped', buyer: { phone: '+48 600-987-654' } }),
    );
    expect(second.status).toBe(200);
    const updated = await json(second, orderSchema);
    expect(updated).toMatchObject({ id, status: 'shipped', buyer: { phoneE164: '+48600987654', email: 'Anna.Kowalska@Example.pl' } });
    const third = await t.call(
      'POST',
      '/v1/orders',
      sampleOrder({ number: 'A-77', source: 'allegro', externalId: 'ext-1', status: 'shipped', buyer: { phone: '+48 600-987-654' } }),
    );
    expect(third.status).toBe(200);
    const events = await journalOf(id);
    expect(events.map((e) => e.typeName)).toEqual(['ORDER_CREATED', 'ORDER_EDITED', 'STATUS_CHANGED']);
    expect(events[1]?.data).toEqual({ fields: ['buyer.phone'] });
    expect(events[2]?.data).toEqual({ from: 'paid', to: 'shipped' });
  });
});

describe('batch import', () => {
  it('creates, updates and leaves unchanged in one request', async () => {
    const orders = Array.from({ length: 30 }, (_, i) => sampleOrder({ number: `B-${i}`, source: 'ebay', externalId: `eb-${i}` }));
    const res = await t.call('POST', '/v1/orders/batch', { orders }, { role: 'integration' });
    expect(res.status).toBe(200);
    expect(await json(res, batchResult)).toMatchObject({ created: 30, updated: 0, unchanged: 0 });

    const again = orders.map((o, i) => (i === 3 ? { ...o, status: 'paid' } : o));
    again.push(sampleOrder({ number: 'B-new', source: 'ebay', externalId: 'eb-new' }));
    const res2 = await t.call('POST', '/v1/orders/batch', { orders: again });
    const body = await json(res2, batchResult);
    expect(body).toMatchObject({ created: 1, updated: 1, unchanged: 29 });
    expect(body.results[3]).toMatchObject({ index: 3, number: 'B-3', outcome: 'updated' });
    expect(body.results[30]).toMatchObject({ index: 30, number: 'B-new', outcome: 'created' });
  });

  it('takes a full batch of 1000 orders and re-sends of it (the upsert lookup stays one flat query)', async () => {
    const orders = Array.from({ length: 1000 }, (_, i) =>
      sampleOrder({ number: `F-${i}`, source: 'full', externalId: `full-${i}`, items: [{ name: 'X', quantity: 1, price: '1.00' }] }),
    );
    const first = await t.call('POST', '/v1/orders/batch', { orders }, { role: 'integration' });
    expect(first.status).toBe(200);
    expect(await json(first, batchResult)).toMatchObject({ created: 1000 });
    const again = await t.call('POST', '/v1/orders/batch', { orders }, { role: 'integration' });
    expect(again.status).toBe(200);
    expect(await json(again, batchResult)).toMatchObject({ created: 0, updated: 0, unchanged: 1000 });
  });

  it('saves nothing when one order of the batch is bad, and names each problem', async () => {
    const taken = await createOrder(t);
    const before = await json(await t.call('GET', '/v1/orders?source=zalando'), orderPage);
    const orders = [
      sampleOrder({ number: 'Z-1', source: 'zalando', externalId: 'z1' }),
      sampleOrder({ number: 'Z-2', source: 'zalando', externalId: 'z2', status: 'teleported' }),
      sampleOrder({ number: 'Z-3', source: 'zalando', externalId: 'z3', buyer: { email: 'not-an-email' } }),
      sampleOrder({ number: taken.number, source: 'zalando', externalId: 'z4' }),
    ];
    const res = await t.call('POST', '/v1/orders/batch', { orders });
    expect(res.status).toBe(422);
    const body = await errorBody(res);
    expect(body.error.code).toBe('BATCH_REJECTED');
    const issues = body.error.issues?.map((i) => [i.index, i.code, i.field]);
    expect(issues).toEqual(expect.arrayContaining([[2, 'INVALID_EMAIL', 'orders[2].buyer.email']]));
    expect(before.orders).toHaveLength(0);
    expect((await json(await t.call('GET', '/v1/orders?source=zalando'), orderPage)).orders).toHaveLength(0);
    // Fix the e-mail: now the status and the duplicate number are reported, still nothing saved.
    orders[2] = sampleOrder({ number: 'Z-3', source: 'zalando', externalId: 'z3' });
    const res2 = await t.call('POST', '/v1/orders/batch', { orders });
    const body2 = await errorBody(res2);
    expect(body2.error.issues?.map((i) => [i.index, i.code])).toEqual([
      [1, 'UNKNOWN_STATUS'],
      [3, 'DUPLICATE_ORDER_NUMBER'],
    ]);
    expect((await json(await t.call('GET', '/v1/orders?source=zalando'), orderPage)).orders).toHaveLength(0);
  });
});

describe('changing orders', () => {
  it('edits only the fields sent and journals them', async () => {
    const { id } = await createOrder(t);
    const res = await t.call('PATCH', `/v1/orders/${id}`, { buyer: { email: 'new@example.com' }, extraFields: { gift: true } });
    expect(res.status).toBe(200);
    const body = await json(res, orderSchema);
    expect(body.buyer).toMatchObject({ email: 'new@example.com', name: 'Anna Kowalska', phoneE164: '+48600123456' });
    expect(body.extraFields).toEqual({ gift: true });
    expect((await journalOf(id)).at(-1)?.data).toEqual({ fields: ['buyer.email', 'extraFields'] });
  });

  it('changes the status as an agent', async () => {
    const { id } = await createOrder(t);
    const res = await t.call('POST', `/v1/orders/${id}/status`, { status: 'processing' }, { role: 'agent' });
    expect(res.status).toBe(200);
    expect((await json(res, orderSchema)).status).toBe('processing');
    expect((await journalOf(id)).at(-1)).toMatchObject({ type: 18, data: { from: 'new', to: 'processing' } });
  });

  it('records payments, adding them up', async () => {
    const { id } = await createOrder(t);
    await t.call('POST', `/v1/orders/${id}/payments`, { amount: '1000.00', method: 'card' });
    const res = await t.call('POST', `/v1/orders/${id}/payments`, { amount: 477 });
    const body = await json(res, orderSchema);
    expect(body.payment).toMatchObject({ amountPaid: '1477.00', method: 'card' });
    expect((await journalOf(id)).filter((e) => e.type === 3).map((e) => e.data.amountPaid)).toEqual(['1000.00', '1477.00']);
  });

  it('issues an invoice with its PDF and a pro-forma without one', async () => {
    const { id } = await createOrder(t);
    const res = await t.call('POST', `/v1/orders/${id}/invoices`, {
      number: 'FV/1/2026',
      issueDate: '2026-11-20',
      file: { filename: 'fv.pdf', contentBase64: pdf },
    });
    expect(res.status).toBe(201);
    const body = await json(res, orderSchema);
    expect(body.invoices[0]).toMatchObject({
      kind: 'invoice',
      number: 'FV/1/2026',
      issueDate: '2026-11-20',
      file: { filename: 'fv.pdf', contentType: 'application/pdf' },
    });
    const file = await t.call('GET', `/v1/files/${body.invoices[0]?.file?.id}`, undefined, { role: 'agent' });
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).toString('base64')).toBe(pdf);
    const proforma = await t.call('POST', `/v1/orders/${id}/invoices`, { kind: 'proforma', number: 'PF/1', issueDate: '2026-11-19' });
    expect((await json(proforma, orderSchema)).invoices[1]).toMatchObject({ kind: 'proforma', file: null });
    expect((await journalOf(id)).slice(-2).map((e) => e.typeName)).toEqual(['INVOICE_ISSUED', 'PROFORMA_ISSUED']);
  });

  it('refuses a file whose content is not what the route accepts, whatever its name', async () => {
    const { id } = await createOrder(t);
    const res = await t.call('POST', `/v1/orders/${id}/invoices`, {
      number: 'FV/2',
      issueDate: '2026-11-20',
      file: { filename: 'fv.pdf', contentBase64: png },
    });
    expect(res.status).toBe(415);
    expect((await errorBody(res)).error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', field: 'file' });
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300 * 1024, 32)]).toString('base64');
    const res2 = await t.call('POST', `/v1/orders/${id}/invoices`, {
      number: 'FV/3',
      issueDate: '2026-11-20',
      file: { filename: 'big.pdf', contentBase64: big },
    });
    expect(res2.status).toBe(413);
    expect((await errorBody(res2)).error.code).toBe('FILE_TOO_LARGE');
    expect((await json(await t.call('GET', `/v1/orders/${id}`), orderSchema)).invoices).toEqual([]);
  });

  it('adds a parcel with a photo and follows its status', async () => {
    const { id } = await createOrder(t);
    const res = await t.call('POST', `/v1/orders/${id}/parcels`, {
      carrier: 'InPost',
      trackingNumber: '6201 2345 6789',
      photo: { filename: 'box.png', contentBase64: png },
    });
    expect(res.status).toBe(201);
    const parcel = (await json(res, orderSchema)).parcels[0];
    expect(parcel).toMatchObject({
      carrier: 'InPost',
      trackingNumber: '6201 2345 6789',
      status: 'created',
      photo: { contentType: 'image/png' },
    });
    const moved = await t.call('POST', `/v1/orders/${id}/parcels/${parcel?.id}/status`, { status: 'in_transit' });
    expect((await json(moved, orderSchema)).parcels[0]?.status).toBe('in_transit');
    expect((await journalOf(id)).slice(-2)).toMatchObject([
      { type: 9, data: { parcelId: parcel?.id, carrier: 'InPost' } },
      { type: 22, data: { parcelId: parcel?.id, from: 'created', to: 'in_transit' } },
    ]);
    const missing = await t.call('POST', `/v1/orders/${id}/parcels/999999/status`, { status: 'x' });
    expect((await errorBody(missing)).error.code).toBe('PARCEL_NOT_FOUND');
  });
});

describe('listing and lookups', () => {
  beforeAll(async () => {
    await t.call('POST', '/v1/orders/batch', {
      orders: [
        sampleOrder({
          number: 'L-1',
          source: 'lookup',
          externalId: 'l1',
          orderedAt: '2026-10-01T10:00:00Z',
          buyer: { email: 'Tomasz.Z@Example.pl', phone: '600 987 654' },
        }),
        sampleOrder({
          number: 'L-2',
          source: 'lookup',
          externalId: 'l2',
          orderedAt: '2026-10-05T10:00:00Z',
          buyer: { email: 'tomasz.z@example.pl', phone: '+48 600-987-654' },
        }),
        sampleOrder({
          number: 'L-3',
          source: 'lookup',
          externalId: 'l3',
          orderedAt: '2026-10-09T10:00:00Z',
          status: 'paid',
          buyer: { email: 'other@example.pl', phone: '0048600987655' },
        }),
      ],
    });
  });

  it.each([
    ['email, any case', 'email=TOMASZ.Z%40example.PL', ['L-2', 'L-1']],
    ['phone, national notation', 'phone=600%20987%20654', ['L-2', 'L-1']],
    ['phone, international with dashes', 'phone=%2B48%20600-987-654', ['L-2', 'L-1']],
    ['phone, 00 prefix', 'phone=0048600987654', ['L-2', 'L-1']],
    ['number, other case and separators', 'number=l%201', ['L-1']],
    ['status', 'status=paid', ['L-3']],
    ['dates', 'orderedFrom=2026-10-04T00:00:00Z&orderedTo=2026-10-06T00:00:00Z', ['L-2']],
  ])('finds orders by %s', async (_label, query, numbers) => {
    const res = await t.call('GET', `/v1/orders?source=lookup&${query}`, undefined, { role: 'integration' });
    expect(res.status).toBe(200);
    const page = await json(res, orderPage);
    expect(page.orders.map((o) => o.number)).toEqual(numbers);
  });

  it('pages with a cursor without repeating or skipping', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call('GET', `/v1/orders?source=lookup&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = await json(res, orderPage);
      seen.push(...page.orders.map((o) => o.number));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['L-3', 'L-2', 'L-1']);
  });

  it('answers 404 with a code for an order that does not exist', async () => {
    const res = await t.call('GET', '/v1/orders/999999');
    expect(res.status).toBe(404);
    expect((await errorBody(res)).error.code).toBe('ORDER_NOT_FOUND');
  });
});
