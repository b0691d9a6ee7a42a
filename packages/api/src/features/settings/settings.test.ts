import { order as orderSchema, orderPage, shopSettings } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, sampleOrder, type TestContext } from '../../../test/context.js';

let t: TestContext;
let now = new Date('2027-01-10T12:00:00Z');
beforeAll(async () => {
  t = await createTestContext({ clock: () => now });
});
afterAll(() => t.close());

const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function readSettings() {
  const res = await t.call('GET', '/v1/settings');
  expect(res.status).toBe(200);
  return await json(res, shopSettings);
}

describe('reading and changing settings', () => {
  it('starts with defaults an admin can read', async () => {
    // The settings are one row per shop: a fresh database shows the defaults whatever the other tests changed.
    const fresh = await createTestContext();
    try {
      const res = await fresh.call('GET', '/v1/settings');
      expect(res.status).toBe(200);
      expect(await json(res, shopSettings)).toMatchObject({ defaultCountry: 'PL', logo: null, publicBaseUrl: null, replyToEmail: null });
    } finally {
      await fresh.close();
    }
  });

  it('changes only the fields sent', async () => {
    const before = await readSettings();
    now = new Date('2027-01-11T08:30:00Z');
    const res = await t.call('PATCH', '/v1/settings', { shopName: 'Kawiarnia Online', replyToEmail: 'sklep@example.pl' });
    expect(res.status).toBe(200);
    const after = await json(res, shopSettings);
    expect(after).toEqual({ ...before, shopName: 'Kawiarnia Online', replyToEmail: 'sklep@example.pl', updatedAt: now.toISOString() });
    expect(await readSettings()).toEqual(after);

    const second = await json(await t.call('PATCH', '/v1/settings', { publicBaseUrl: 'https://sklep.example.pl' }), shopSettings);
    expect(second).toMatchObject({
      shopName: 'Kawiarnia Online',
      replyToEmail: 'sklep@example.pl',
      publicBaseUrl: 'https://sklep.example.pl',
    });
  });

  it('clears a field sent as null', async () => {
    await t.call('PATCH', '/v1/settings', { replyToName: 'Obsługa sklepu' });
    const res = await t.call('PATCH', '/v1/settings', { replyToName: null });
    expect(res.status).toBe(200);
    expect((await readSettings()).replyToName).toBeNull();
  });

  it.each([
    ['a URL that is not one', { publicBaseUrl: 'sklep example pl' }, 'INVALID_VALUE', 'publicBaseUrl'],
    ['a URL that is not http(s)', { publicBaseUrl: 'ftp://sklep.example.pl' }, 'INVALID_VALUE', 'publicBaseUrl'],
    ['a reply-to address that is not an e-mail', { replyToEmail: 'sklep(at)example.pl' }, 'INVALID_EMAIL', 'replyToEmail'],
    ['a notification address that is not an e-mail', { notificationEmail: 'nobody' }, 'INVALID_EMAIL', 'notificationEmail'],
    ['a country name instead of a code', { defaultCountry: 'Poland' }, 'INVALID_VALUE', 'defaultCountry'],
    ['a lower-case country code', { defaultCountry: 'de' }, 'INVALID_VALUE', 'defaultCountry'],
    ['a code no country has', { defaultCountry: 'XX' }, 'INVALID_VALUE', 'defaultCountry'],
    ['a language that is not a code', { defaultLanguage: 'polish' }, 'INVALID_VALUE', 'defaultLanguage'],
    ['an empty shop name', { shopName: '' }, 'INVALID_VALUE', 'shopName'],
    ['a number as shop name', { shopName: 42 }, 'INVALID_TYPE', 'shopName'],
    ['an unknown field', { shopName: 'Fine', colour: 'red' }, 'UNKNOWN_FIELD', 'colour'],
    ['the logo as a plain field', { logoFileId: 1 }, 'UNKNOWN_FIELD', 'logoFileId'],
  ])('refuses %s with 400, code and field, and changes nothing', async (_label, patch, code, field) => {
    const before = await readSettings();
    const res = await t.call('PATCH', '/v1/settings', patch);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code, field });
    expect(await readSettings()).toEqual(before);
  });
});

describe('the default country', () => {
  it('decides how national phone numbers in new orders are read; stored numbers keep theirs', async () => {
    const polish = await t.call('POST', '/v1/orders', sampleOrder({ number: 'PH-PL', buyer: { phone: '600 123 456' } }));
    expect((await json(polish, orderSchema)).buyer.phoneE164).toBe('+48600123456');

    expect((await t.call('PATCH', '/v1/settings', { defaultCountry: 'DE' })).status).toBe(200);

    const german = await t.call('POST', '/v1/orders', sampleOrder({ number: 'PH-DE', buyer: { phone: '0151 23456789' } }));
    expect(german.status).toBe(201);
    const created = await json(german, orderSchema);
    expect(created.buyer).toMatchObject({ phone: '0151 23456789', phoneE164: '+4915123456789' });

    const found = await json(await t.call('GET', '/v1/orders?phone=0151%2023456789'), orderPage);
    expect(found.orders.map((o: { number: string }) => o.number)).toEqual(['PH-DE']);

    const [earlier] = (await json(await t.call('GET', '/v1/orders?number=PH-PL'), orderPage)).orders;
    expect(earlier?.buyer.phoneE164).toBe('+48600123456');

    await t.call('PATCH', '/v1/settings', { defaultCountry: 'PL' });
  });
});

describe('the shop logo', () => {
  it('accepts a PNG and serves it back', async () => {
    const res = await t.call('PUT', '/v1/settings/logo', { filename: 'logo.png', contentBase64: png.toString('base64') });
    expect(res.status).toBe(200);
    const settings = await json(res, shopSettings);
    expect(settings.logo).toMatchObject({ contentType: 'image/png', size: png.length });
    expect((await readSettings()).logo).toEqual(settings.logo);

    const file = await t.call('GET', `/v1/files/${settings.logo?.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
  });

  it.each([
    ['a PDF named like a PNG', 'logo.png', pdf],
    ['a PDF', 'logo.pdf', pdf],
    ['plain text', 'logo.png', Buffer.from('not an image at all')],
  ])('refuses %s with 415 FILE_TYPE_NOT_ALLOWED and keeps the old logo', async (_label, filename, content) => {
    const before = await readSettings();
    const res = await t.call('PUT', '/v1/settings/logo', { filename, contentBase64: content.toString('base64') });
    expect(res.status).toBe(415);
    expect((await errorBody(res)).error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(await readSettings()).toEqual(before);
  });

  it('refuses a logo larger than FILE_MAX_BYTES with 413 FILE_TOO_LARGE', async () => {
    const before = await readSettings();
    const big = Buffer.concat([png, Buffer.alloc(300 * 1024)]);
    const res = await t.call('PUT', '/v1/settings/logo', { filename: 'big.png', contentBase64: big.toString('base64') });
    expect(res.status).toBe(413);
    expect((await errorBody(res)).error.code).toBe('FILE_TOO_LARGE');
    expect(await readSettings()).toEqual(before);
  });
});

describe('hostile input to settings', () => {
  it.each([
    ['a quote in the public base URL', { publicBaseUrl: 'https://shop.example/"onmouseover="x' }, 'publicBaseUrl'],
    ['angle brackets in the public base URL', { publicBaseUrl: 'https://shop.example/<script>' }, 'publicBaseUrl'],
    ['credentials in the public base URL', { publicBaseUrl: 'https://admin:secret@shop.example' }, 'publicBaseUrl'],
    ['a query in the public base URL', { publicBaseUrl: 'https://shop.example/?ref=1' }, 'publicBaseUrl'],
    ['a fragment in the public base URL', { publicBaseUrl: 'https://shop.example/#top' }, 'publicBaseUrl'],
    ['a relative public base URL', { publicBaseUrl: '/orders' }, 'publicBaseUrl'],
    ['a javascript: URL', { publicBaseUrl: 'javascript:alert(1)' }, 'publicBaseUrl'],
    ['CR LF in the shop name', { shopName: 'Shop\r\nBcc: x@evil.pl' }, 'shopName'],
    ['LF in the reply-to name', { replyToName: 'Shop\nBcc: x@evil.pl' }, 'replyToName'],
    ['a lone surrogate in the reply-to name', { replyToName: 'Shop \ud800' }, 'replyToName'],
  ])('refuses %s with 400 INVALID_VALUE and its field', async (_label, patch, field) => {
    const before = await readSettings();
    const res = await t.call('PATCH', '/v1/settings', patch);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field });
    expect(await readSettings()).toEqual(before);
  });

  it.each([
    ['https://Shop.Example.PL/', 'https://shop.example.pl'],
    ['https://shop.example.pl:443/orders/', 'https://shop.example.pl/orders'],
    ['http://shop.example.pl:8080/a/b', 'http://shop.example.pl:8080/a/b'],
    ['https://sklep.pl/zamówienia', 'https://sklep.pl/zam%C3%B3wienia'],
    ['https://пример.рф', 'https://xn--e1afmkfd.xn--p1ai'],
  ])('stores the public base URL %s as %s', async (sent, stored) => {
    const res = await t.call('PATCH', '/v1/settings', { publicBaseUrl: sent });
    expect(res.status).toBe(200);
    expect((await json(res, shopSettings)).publicBaseUrl).toBe(stored);
  });

  it('accepts a reply-to address at a punycode domain', async () => {
    const res = await t.call('PATCH', '/v1/settings', { replyToEmail: 'sklep@xn--e1afmkfd.xn--p1ai' });
    expect(res.status).toBe(200);
    expect((await json(res, shopSettings)).replyToEmail).toBe('sklep@xn--e1afmkfd.xn--p1ai');
  });
});
