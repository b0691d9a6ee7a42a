import { matchResult, order as orderSchema, orderPage } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, sampleOrder, type TestContext } from '../../../test/context.js';

let t: TestContext;
let existingId: number;
beforeAll(async () => {
  t = await createTestContext();
  existingId = (await json(await t.call('POST', '/v1/orders', sampleOrder({ number: 'HOSTILE-1' })), orderSchema)).id;
});
afterAll(() => t.close());

const lone = '\ud800';
const item = (overrides: Record<string, unknown> = {}) => ({ name: 'Kawa', quantity: 1, price: '10.00', ...overrides });
const countOrders = async () => (await json(await t.call('GET', '/v1/orders?limit=500&archived=all'), orderPage)).orders.length;

/** A new order is refused with this status, code and field, and nothing is written. */
async function expectCreateRefused(override: Record<string, unknown>, status: number, code: string, field: string) {
  const before = await countOrders();
  const res = await t.call('POST', '/v1/orders', sampleOrder({ number: `H-${Math.random().toString(36).slice(2, 10)}`, ...override }));
  expect(res.status).toBe(status);
  expect((await errorBody(res)).error).toMatchObject({ code, field });
  expect(await countOrders()).toBe(before);
}

describe('a lone surrogate in any string is refused at the schema with its field', () => {
  it.each([
    ['an item name', { items: [item({ name: `Ka${lone}wa` })] }, 'items[0].name'],
    ['an item sku', { items: [item({ sku: lone })] }, 'items[0].sku'],
    ['a delivery address street', { deliveryAddress: { street: `ul. ${lone}` } }, 'deliveryAddress.street'],
    ['an invoice address name', { invoiceAddress: { name: `Anna ${lone}` } }, 'invoiceAddress.name'],
    ['a buyer name', { buyer: { name: `Anna${lone}` } }, 'buyer.name'],
    ['an extra field value', { extraFields: { note: `x${lone}` } }, 'extraFields.note'],
    ['an extra field key', { extraFields: { [`k${lone}`]: 'x' } }, `extraFields.k${lone}`],
    ['a payment method', { payment: { method: `card${lone}` } }, 'payment.method'],
    ['an external id', { externalId: `ext-${lone}` }, 'externalId'],
    ['a status', { status: `new${lone}` }, 'status'],
  ])('%s', async (_label, override, field) => {
    await expectCreateRefused(override, 400, 'INVALID_VALUE', field);
  });

  it('reaches the check from a raw JSON body with a \\ud800 escape', async () => {
    const raw = JSON.stringify(sampleOrder({ number: 'H-RAW' })).replace('"Anna Kowalska"', '"Anna \\ud800Kowalska"');
    expect(raw).toContain('\\ud800');
    const res = await t.call('POST', '/v1/orders', raw);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field: 'buyer.name' });
  });

  it.each([
    ['a parcel carrier', 'parcels', { carrier: `DHL${lone}`, trackingNumber: '123456' }, 'carrier'],
    ['a parcel tracking number', 'parcels', { carrier: 'DHL', trackingNumber: `12${lone}` }, 'trackingNumber'],
    ['an invoice number', 'invoices', { number: `F/${lone}`, issueDate: '2026-11-20' }, 'number'],
    ['a payment method', 'payments', { amount: '1.00', method: `blik${lone}` }, 'method'],
    [
      'a sent message subject',
      'sent-messages',
      { messageId: '<a@x.pl>', subject: `Hi ${lone}`, sentAt: '2026-11-20T10:00:00Z' },
      'subject',
    ],
    ['a sent message id', 'sent-messages', { messageId: `<a${lone}@x.pl>`, sentAt: '2026-11-20T10:00:00Z' }, 'messageId'],
  ])('%s', async (_label, path, body, field) => {
    const res = await t.call('POST', `/v1/orders/${existingId}/${path}`, body);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field });
  });

  it('in a match link Message-ID', async () => {
    const res = await t.call('POST', '/v1/match/links', { orderId: existingId, messageId: `<x${lone}@y.pl>` }, { role: 'agent' });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field: 'messageId' });
  });

  it('keeps well-formed astral characters (emoji) as sent', async () => {
    const res = await t.call('POST', '/v1/orders', sampleOrder({ number: 'H-EMOJI', items: [item({ name: 'Kubek ☕ 🐈' })] }));
    expect(res.status).toBe(201);
    expect((await json(res, orderSchema)).items[0]?.name).toBe('Kubek ☕ 🐈');
  });
});

describe('dates outside 1970-01-01 … 2200-12-31 are refused with INVALID_DATE', () => {
  it.each([
    ['year 0001', { orderedAt: '0001-06-15T00:00:00Z' }, 'orderedAt'],
    ['year 0000', { orderedAt: '0000-06-15T00:00:00Z' }, 'orderedAt'],
    ['year 0099', { orderedAt: '0099-01-01T00:00:00+02:00' }, 'orderedAt'],
    ['the year before 1970', { orderedAt: '1969-12-31T23:59:59Z' }, 'orderedAt'],
    ['year 9999', { orderedAt: '9999-12-31T00:00:00Z' }, 'orderedAt'],
  ])('%s', async (_label, override, field) => {
    await expectCreateRefused(override, 400, 'INVALID_DATE', field);
  });

  it.each([
    ['a payment date', 'payments', { amount: '1.00', paidAt: '0001-06-15T00:00:00Z' }, 'paidAt'],
    ['an invoice issue date', 'invoices', { number: 'F/1', issueDate: '0001-06-15' }, 'issueDate'],
    ['an invoice issue date after 2200', 'invoices', { number: 'F/1', issueDate: '2201-01-01' }, 'issueDate'],
    ['a sent message date', 'sent-messages', { messageId: '<d@x.pl>', sentAt: '0000-01-01T00:00:00Z' }, 'sentAt'],
  ])('%s', async (_label, path, body, field) => {
    const res = await t.call('POST', `/v1/orders/${existingId}/${path}`, body);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_DATE', field });
  });

  it.each([
    ['orderedFrom', '/v1/orders?orderedFrom=0001-06-15T00:00:00Z'],
    ['orderedTo', '/v1/orders?orderedTo=0000-01-01T00:00:00Z'],
  ])('in the %s filter', async (field, path) => {
    const res = await t.call('GET', path);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_DATE', field });
  });

  it('keeps the edges of the range as they were sent', async () => {
    const res = await t.call('POST', '/v1/orders', sampleOrder({ number: 'H-EPOCH', orderedAt: '1970-01-01T00:00:00Z' }));
    expect(res.status).toBe(201);
    expect((await json(res, orderSchema)).orderedAt).toBe('1970-01-01T00:00:00.000Z');
    const late = await t.call('POST', `/v1/orders/${existingId}/invoices`, { number: 'F/2200', issueDate: '2200-12-31' });
    expect(late.status).toBe(201);
    expect((await json(late, orderSchema)).invoices.map((i) => i.issueDate)).toContain('2200-12-31');
  });
});

describe('control characters', () => {
  it.each([
    ['CR LF in a buyer name', { buyer: { name: 'Anna\r\nBcc: x@evil.pl' } }, 'buyer.name'],
    ['LF in a buyer login', { buyer: { login: 'anna\nx' } }, 'buyer.login'],
    ['CR in an address name', { deliveryAddress: { name: 'Anna\rKowalska' } }, 'deliveryAddress.name'],
    ['a tab in an item name', { items: [item({ name: 'Kawa\t1kg' })] }, 'items[0].name'],
    ['a C1 control (NEL) in a street', { deliveryAddress: { street: 'ul.\u0085Długa' } }, 'deliveryAddress.street'],
    ['a line separator in a buyer name', { buyer: { name: 'Anna\u2028Bcc' } }, 'buyer.name'],
    ['a bell in an extra field', { extraFields: { note: 'ding\u0007' } }, 'extraFields.note'],
    ['an escape in an extra field', { extraFields: { note: '\u001b[31mred' } }, 'extraFields.note'],
    ['NUL in a buyer name', { buyer: { name: 'Anna\u0000K' } }, 'buyer.name'],
  ])('%s is refused', async (_label, override, field) => {
    await expectCreateRefused(override, 400, 'INVALID_VALUE', field);
  });

  it('a sent message subject must be one line', async () => {
    const res = await t.call('POST', `/v1/orders/${existingId}/sent-messages`, {
      messageId: '<crlf@x.pl>',
      subject: 'Hello\r\nBcc: x@evil.pl',
      sentAt: '2026-11-20T10:00:00Z',
    });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field: 'subject' });
  });

  it('multi-line extra fields keep newlines and tabs', async () => {
    const note = 'Please ring twice.\r\nLeave at\tthe door.\nThanks';
    const res = await t.call('POST', '/v1/orders', sampleOrder({ number: 'H-NOTE', extraFields: { note } }));
    expect(res.status).toBe(201);
    expect((await json(res, orderSchema)).extraFields.note).toBe(note);
  });
});

describe('look-alike order numbers', () => {
  it.each([
    ['Arabic-Indic digits', '١٠٢٣١'],
    ['Extended Arabic-Indic digits', '۱۰۲۳۱'],
    ['Devanagari digits', '१०२३१'],
    ['full-width digits', '１０２３１'],
  ])('%s are the same number as ASCII digits (409)', async (_label, number) => {
    await t.call('POST', '/v1/orders', sampleOrder({ number: '10231' }));
    await expectCreateRefused({ number }, 409, 'DUPLICATE_ORDER_NUMBER', 'number');
  });

  it('looks an order up by its number typed in another script of digits', async () => {
    const created = await t.call('POST', '/v1/orders', sampleOrder({ number: 'ص-٤٤٠٢' }));
    expect(created.status).toBe(201);
    const found = await json(await t.call('GET', `/v1/orders?number=${encodeURIComponent('ص-4402')}`), orderPage);
    expect(found.orders.map((o) => o.number)).toEqual(['ص-٤٤٠٢']);
  });

  it.each([
    ['Cyrillic У (looks like Y) for Latin Y', 'Y-77123', 'У-77123'],
    ['Latin Y after Cyrillic У', 'У-77124', 'Y-77124'],
    ['Greek Ο and Ρ for Latin O and P', 'OP-77125', 'ΟΡ-77125'],
    ['Cyrillic small а and с for Latin a and c', 'ac-77126', 'ас-77126'],
  ])('letters that look alike are the same number (409): %s', async (_label, first, second) => {
    expect((await t.call('POST', '/v1/orders', sampleOrder({ number: first }))).status).toBe(201);
    await expectCreateRefused({ number: second }, 409, 'DUPLICATE_ORDER_NUMBER', 'number');
  });

  it('Latin U and Cyrillic У are no look-alikes (У looks like Y): both are accepted', async () => {
    expect((await t.call('POST', '/v1/orders', sampleOrder({ number: 'U-77127' }))).status).toBe(201);
    expect((await t.call('POST', '/v1/orders', sampleOrder({ number: 'У-77127' }))).status).toBe(201);
  });

  it('looks an order up by its number typed with look-alike letters of another script', async () => {
    expect((await t.call('POST', '/v1/orders', sampleOrder({ number: 'Y-77128' }))).status).toBe(201);
    const found = await json(await t.call('GET', `/v1/orders?number=${encodeURIComponent('У-77128')}`), orderPage);
    expect(found.orders.map((o) => o.number)).toEqual(['Y-77128']);
  });

  it.each([
    ['Cyrillic У next to Latin letters', 'UУ-1001'],
    ['Cyrillic А in a Latin prefix', 'ZАM-1002'],
    ['Greek Ο in a Latin prefix', 'ORDΟ-1003'],
  ])('%s are refused with MIXED_SCRIPTS', async (_label, number) => {
    await expectCreateRefused({ number }, 400, 'MIXED_SCRIPTS', 'number');
  });

  it('a mixed-script number is refused on edit too', async () => {
    const res = await t.call('PATCH', `/v1/orders/${existingId}`, { number: 'HОSTILE-2' });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'MIXED_SCRIPTS', field: 'number' });
  });

  it.each([
    ['Cyrillic with digits', 'ЗАК-1004'],
    ['Latin with Arabic-Indic digits', 'AB-١٠٠٥'],
  ])('single-script numbers stay accepted: %s', async (_label, number) => {
    const res = await t.call('POST', '/v1/orders', sampleOrder({ number }));
    expect(res.status).toBe(201);
    expect((await json(res, orderSchema)).number).toBe(number);
  });
});

describe('ids in paths and queries are decimal integers only', () => {
  it.each(['0x10', '1e3', '%201', '1%20', '+1', '1.0', '-1'])('/v1/orders/%s', async (id) => {
    const res = await t.call('GET', `/v1/orders/${id}`);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ field: 'id' });
  });

  it.each([
    ['limit', '/v1/orders?limit=0x10'],
    ['limit', '/v1/orders?limit=1e2'],
    ['orderId', '/v1/journal?orderId=0x1'],
    ['after', '/v1/journal?after=1e3'],
  ])('query %s', async (field, path) => {
    const res = await t.call('GET', path);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ field });
  });

  it('a decimal id still reads the order', async () => {
    expect((await t.call('GET', `/v1/orders/${existingId}`)).status).toBe(200);
  });
});

describe('reserved keys in extra fields', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('%s is refused, not dropped', async (key) => {
    const before = await countOrders();
    const raw = JSON.stringify(sampleOrder({ number: `H-KEY-${key.replaceAll('_', '')}` })).replace(
      '"language":"pl"',
      `"language":"pl","extraFields":{"${key}":"x","ok":1}`,
    );
    const res = await t.call('POST', '/v1/orders', raw);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field: `extraFields.${key}` });
    expect(await countOrders()).toBe(before);
  });
});

describe('money is never negative', () => {
  it.each([
    ['a negative item price', { items: [item({ price: '-5.00' })] }, 'items[0].price'],
    ['a negative item price as a number', { items: [item({ price: -0.01 })] }, 'items[0].price'],
    ['a negative amount paid', { payment: { amountPaid: '-1.00' } }, 'payment.amountPaid'],
  ])('%s', async (_label, override, field) => {
    await expectCreateRefused(override, 400, 'INVALID_VALUE', field);
  });

  it('a negative payment is refused', async () => {
    const res = await t.call('POST', `/v1/orders/${existingId}/payments`, { amount: '-10.00' });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field: 'amount' });
  });

  it('a free item (price 0) is fine', async () => {
    const res = await t.call('POST', '/v1/orders', sampleOrder({ number: 'H-FREE', items: [item({ price: '0.00' })] }));
    expect(res.status).toBe(201);
  });
});

describe('buyer e-mail domains', () => {
  it.each([
    ['an ASCII punycode domain', 'a@xn--e1afmkfd.xn--p1ai'],
    ['an IDN domain', 'anna@пример.рф'],
    ['an IDN domain with Latin letters', 'anna@münchen.de'],
  ])('%s is accepted', async (_label, email) => {
    const res = await t.call('POST', '/v1/orders', sampleOrder({ number: `H-MAIL-${email.length}`, buyer: { email } }));
    expect(res.status).toBe(201);
    expect((await json(res, orderSchema)).buyer.email).toBe(email);
  });

  it.each(['a@b', 'a@-x.pl', 'a b@x.pl', 'a@x..pl'])('%s is refused', async (email) => {
    await expectCreateRefused({ buyer: { email } }, 400, 'INVALID_EMAIL', 'buyer.email');
  });
});

describe('the matcher reads digits of any script, and look-alike letters as Latin ones', () => {
  it.each([
    ['an order stored with Arabic-Indic digits, asked about in ASCII', '٧٧٠١٢', 'Zamówienie nr 77012 — kiedy wysyłka?'],
    ['an order stored in ASCII, asked about in Persian digits', '77013', 'سفارش شماره ۷۷۰۱۳ کجاست؟'],
    ['an order stored in Latin, asked about with Cyrillic У (looks like Y)', 'Y-77014', 'Zamówienie nr У-77014 — kiedy wysyłka?'],
    ['an order stored in Latin, asked about with Cyrillic Е and В in its prefix', 'WEB-77015', 'Zamówienie WЕВ-77015 — kiedy wysyłka?'],
    ['an order stored in Cyrillic, asked about in Latin', 'АВ-77016', 'Order AB-77016, where is it?'],
  ])('%s', async (_label, number, text) => {
    expect((await t.call('POST', '/v1/orders', sampleOrder({ number, buyer: { name: 'M' } }))).status).toBe(201);
    const res = await t.call(
      'POST',
      '/v1/match',
      { message: { from: 'someone@example.com', subject: 'Pytanie', text } },
      { role: 'agent' },
    );
    expect(res.status).toBe(200);
    const [first] = (await json(res, matchResult)).candidates;
    expect(first?.order.number).toBe(number);
    expect(first?.reasons.map((reason) => reason.signal)).toContain('order-number');
  });
});

describe('a batch full of problems is answered without validating all of it', () => {
  // 1000 orders of 500 bad items (32 MB allowed) answered 422 with 501,000 issues, a 64 MB body after 4.4 s,
  // and held /healthz for 1.7 s; 600 bad extra fields per order: 61 MB and 12 s.
  it('lists the first 100 problems and says there are more', async () => {
    const orders = Array.from({ length: 1000 }, () => sampleOrder({ currency: 'x', items: Array.from({ length: 20 }, () => 1) }));
    const res = await t.call('POST', '/v1/orders/batch', { orders }, { role: 'integration' });
    expect(res.status).toBe(422);
    const text = await res.text();
    expect(text.length).toBeLessThan(50_000);
    const body = JSON.parse(text) as { error: { code: string; message: string; issues: unknown[] } };
    expect(body.error.code).toBe('BATCH_REJECTED');
    expect(body.error.issues).toHaveLength(100);
    expect(body.error.message).toMatch(/^100 or more problems/);
  });

  it('lists at most 100 unknown fields', async () => {
    const order = { ...sampleOrder(), ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1])) };
    const res = await t.call('POST', '/v1/orders', order, { role: 'integration' });
    expect(res.status).toBe(400);
    const body = await errorBody(res);
    expect(body.error.code).toBe('UNKNOWN_FIELD');
    expect(body.error.issues).toHaveLength(100);
  });

  it('refuses too many extra fields before checking each one', async () => {
    const extraFields = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, lone]));
    const res = await t.call('POST', '/v1/orders/batch', { orders: [sampleOrder({ extraFields })] }, { role: 'integration' });
    expect(res.status).toBe(422);
    const body = await errorBody(res);
    expect(body.error.issues).toEqual([expect.objectContaining({ field: 'orders[0].extraFields', message: 'at most 50 extra fields' })]);
  });
});
