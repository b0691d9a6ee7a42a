import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderPage, sentMessageList, shopSettings, type Order } from '@orderpost/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../services.js';
import { archiveOldOrders } from '../../jobs/archive.js';
import { silentLogger } from '../../logger.js';
import { createTestContext, json, testConfig, type TestContext } from '../../../test/context.js';
import { loadOrders, OrdersFileError, parseOrdersFile, readOrdersFile } from './orders.import.js';

const demoFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'demo', 'orders.json');
const now = new Date('2026-11-23T12:00:00Z');

let ctx: TestContext;
/** A fresh database for each test of the describe block that calls it. */
function withDatabase() {
  beforeEach(async () => {
    ctx = await createTestContext({ clock: () => now });
  });
  afterEach(async () => {
    await ctx.close();
  });
}

const services = () => createServices({ database: ctx.database, config: testConfig, logger: silentLogger, clock: () => now });

async function listOrders(query = ''): Promise<Order[]> {
  const response = await ctx.call('GET', `/v1/orders?limit=500&archived=all${query}`);
  expect(response.status).toBe(200);
  return (await json(response, orderPage)).orders;
}

const parcelCount = (orders: Order[]) => orders.reduce((sum, order) => sum + order.parcels.length, 0);

function sampleFile(overrides: Record<string, unknown> = {}) {
  return {
    shop: { name: 'Test Shop', email: 'shop@test.example' },
    orders: [
      {
        number: 'T-1',
        source: 'allegro',
        externalId: 'abc-1',
        status: 'shipped',
        createdAt: '2026-11-01T10:00:00Z',
        currency: 'PLN',
        buyer: { name: 'Ala Test', email: 'x1+t@allegromail.pl', phone: '601 234 567', login: 'ala' },
        items: [{ name: 'Pot', sku: 'P-1', quantity: 2, price: '19.90' }],
        packages: [{ carrier: 'InPost', trackingNumber: '620398011427700190128853' }],
        sentMessages: [{ messageId: '<m1@test.example>', subject: 'Shipped', sentAt: '2026-11-02T10:00:00Z' }],
        ...overrides,
      },
      {
        number: 'T-2',
        source: 'shop',
        externalId: null,
        status: 'new',
        currency: 'PLN',
        buyer: { name: 'Ola', email: 'ola@test.example', phone: null, login: null },
        items: [],
        packages: [],
        sentMessages: [],
      },
    ],
  };
}

describe('loading the demo file', () => {
  withDatabase();

  it('creates the orders with parcels and sets the shop name and reply-to address', async () => {
    const file = await readOrdersFile(demoFile);
    const result = await loadOrders(services(), file);

    expect(result).toMatchObject({ orders: 40, created: 40, updated: 0, unchanged: 0, archived: 0 });
    const orders = await listOrders();
    expect(orders).toHaveLength(40);
    expect(parcelCount(orders)).toBe(result.parcels);
    expect(result.parcels).toBeGreaterThan(20);

    const settings = await json(await ctx.call('GET', '/v1/settings'), shopSettings);
    expect(settings).toMatchObject({ shopName: 'Zielony Parapet', replyToEmail: 'kontakt@zielony-parapet.example' });

    // One buyer, phone written three ways across her orders: one lookup finds them all.
    const byPhone = await listOrders(`&phone=${encodeURIComponent('0048 601 234 567')}`);
    expect(byPhone.map((order) => order.number).sort()).toEqual(['7815', '7917', 'ZP/2026/0263', 'ZP/2026/0298']);
    const [byNumber] = await listOrders('&number=zp%202026%200263');
    expect(byNumber?.parcels.map((parcel) => parcel.carrier)).toEqual(['InPost']);
  });

  it('returns the sent messages with their order, without storing them', async () => {
    const result = await loadOrders(services(), await readOrdersFile(demoFile));
    const orders = await listOrders();
    expect(result.sentMessages.length).toBeGreaterThan(5);
    for (const message of result.sentMessages) {
      expect(orders.find((order) => order.id === message.orderId)?.number).toBe(message.orderNumber);
    }
  });

  it('changes nothing when run twice, also after old orders were archived', async () => {
    const file = await readOrdersFile(demoFile);
    const first = await loadOrders(services(), file);
    const second = await loadOrders(services(), file);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 40, parcels: 0 });

    const archived = await archiveOldOrders(ctx.services, now);
    expect(archived).toBeGreaterThan(5);
    const third = await loadOrders(services(), file);
    expect(third).toMatchObject({ created: 0, updated: 0, unchanged: 40 - archived, archived, parcels: 0 });

    const orders = await listOrders();
    expect(orders).toHaveLength(40);
    expect(parcelCount(orders)).toBe(first.parcels);
  });

  it('loads a file larger than one batch', async () => {
    const many = Array.from({ length: 600 }, (_, index) => ({
      ...sampleFile().orders[0],
      number: `M-${index}`,
      externalId: `ext-${index}`,
      packages: [],
      sentMessages: [],
    }));
    const result = await loadOrders(services(), parseOrdersFile({ ...sampleFile(), orders: many }));
    expect(result).toMatchObject({ orders: 600, created: 600 });
    const [newest] = await listOrders('&number=M-599');
    expect(newest?.externalId).toBe('ext-599');
  });

  it('updates a marketplace order that changed in the file and adds its new parcel', async () => {
    await loadOrders(services(), parseOrdersFile(sampleFile()));
    const changed = sampleFile({
      status: 'delivered',
      packages: [
        { carrier: 'InPost', trackingNumber: '6203 9801 1427 7001 9012 8853' },
        { carrier: 'DPD', trackingNumber: '1000634912731U' },
      ],
    });
    const result = await loadOrders(services(), parseOrdersFile(changed));
    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 1, parcels: 1 });
    const [order] = await listOrders('&number=T-1');
    expect(order?.status).toBe('delivered');
    expect(order?.parcels.map((parcel) => parcel.carrier)).toEqual(['InPost', 'DPD']);
  });
});

describe('refusing a file with an unknown status', () => {
  withDatabase();

  it('lists the valid statuses for an unknown one and writes nothing', async () => {
    const file = parseOrdersFile(sampleFile({ status: 'sent' }));
    const error = await loadOrders(services(), file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrdersFileError);
    expect((error as Error).message).toContain('orders[0] (T-1): unknown status "sent"');
    expect((error as Error).message).toContain('valid statuses: new, paid, processing, shipped, delivered, cancelled, returned');
    expect(await listOrders()).toHaveLength(0);
    const settings = await json(await ctx.call('GET', '/v1/settings'), shopSettings);
    expect(settings.shopName).not.toBe('Test Shop');
  });
});

describe('refusing a bad file before anything is written', () => {
  describe.each([
    ['no orders list', { shop: { name: 'S', email: 's@x.example' } }, 'orders: Invalid input'],
    ['a bad shop e-mail', { ...sampleFile(), shop: { name: 'S', email: 'nope' } }, 'shop.email: Invalid email'],
    [
      'a quantity as text',
      sampleFile({ items: [{ name: 'Pot', quantity: '2', price: '1.00' }] }),
      'orders[0].items[0].quantity: Invalid input',
    ],
    ['a price that is not money', sampleFile({ items: [{ name: 'Pot', quantity: 1, price: 'free' }] }), 'orders[0].items[0].price:'],
    ['a bad order date', sampleFile({ createdAt: 'yesterday' }), 'orders[0].createdAt:'],
    ['a bad buyer e-mail', sampleFile({ buyer: { email: 'not-an-email' } }), 'orders[0].buyer.email:'],
    [
      'a package without tracking number',
      sampleFile({ packages: [{ carrier: 'DPD', trackingNumber: '' }] }),
      'orders[0].packages[0].trackingNumber:',
    ],
    [
      'a number used twice',
      { ...sampleFile(), orders: [sampleFile().orders[0], sampleFile().orders[0]] },
      'orders[1].number: "T-1" is also the number of orders[0]',
    ],
  ])('with %s', (_case, raw, expected) => {
    it('names the place of the problem', () => {
      expect(() => parseOrdersFile(raw)).toThrow(OrdersFileError);
      expect(() => parseOrdersFile(raw)).toThrow(expected);
    });
  });

  it('says when the file is missing or not JSON', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'orderpost-demo-'));
    try {
      await expect(readOrdersFile(join(folder, 'missing.json'))).rejects.toThrow('missing.json: no such file');
      await writeFile(join(folder, 'broken.json'), '{"shop": ');
      await expect(readOrdersFile(join(folder, 'broken.json'))).rejects.toThrow('broken.json: not valid JSON');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('phones and sent e-mails of a file', () => {
  withDatabase();

  it('reads national phones in the country most international numbers of the file are from, and keeps an unreadable one as written', async () => {
    const file = parseOrdersFile({
      shop: { name: 'Radladen', email: 'service@rad.example' },
      orders: [
        {
          number: 'R-1',
          source: 'shop',
          status: 'new',
          currency: 'EUR',
          buyer: { email: 'a@rad.example', phone: '+49 170 1234567' },
          items: [],
          packages: [],
          sentMessages: [],
        },
        {
          number: 'R-2',
          source: 'shop',
          status: 'new',
          currency: 'EUR',
          buyer: { email: 'b@rad.example', phone: '0049 151 23456789' },
          items: [],
          packages: [],
          sentMessages: [],
        },
        {
          number: 'R-3',
          source: 'shop',
          status: 'new',
          currency: 'EUR',
          buyer: { email: 'c@rad.example', phone: '0170 7654321' },
          items: [],
          packages: [],
          sentMessages: [],
        },
        {
          number: 'R-4',
          source: 'shop',
          status: 'new',
          currency: 'EUR',
          buyer: { email: 'd@rad.example', phone: '12' },
          items: [],
          packages: [],
          sentMessages: [],
        },
      ],
    });
    const result = await loadOrders(services(), file);
    expect(result.defaultCountry).toEqual({ country: 'DE', from: 'phones' });
    expect(result.created).toBe(4);
    const byNumber = Object.fromEntries((await listOrders()).map((o) => [o.number, o.buyer]));
    expect(byNumber['R-3']).toMatchObject({ phone: '0170 7654321', phoneE164: '+491707654321' });
    expect(byNumber['R-4']).toMatchObject({ phone: '12', phoneE164: null });
    const settings = await json(await ctx.call('GET', '/v1/settings'), shopSettings);
    expect(settings.defaultCountry).toBe('DE');
  });

  it('leaves shop settings an admin already made alone', async () => {
    await ctx.call('PATCH', '/v1/settings', { shopName: 'My real shop', defaultCountry: 'AT' });
    const result = await loadOrders(services(), parseOrdersFile(sampleFile()));
    expect(result).toMatchObject({ shopSettingsApplied: false, defaultCountry: { country: 'AT', from: 'settings' } });
    const settings = await json(await ctx.call('GET', '/v1/settings'), shopSettings);
    expect(settings).toMatchObject({ shopName: 'My real shop', defaultCountry: 'AT', replyToEmail: null });
  });

  it('records the sent e-mails once, so replies to them match', async () => {
    const file = parseOrdersFile(sampleFile());
    expect((await loadOrders(services(), file)).sentMessagesRecorded).toBe(1);
    expect((await loadOrders(services(), file)).sentMessagesRecorded).toBe(0);
    const [order] = await listOrders('&number=T-1');
    const sent = await json(await ctx.call('GET', `/v1/orders/${order?.id}/sent-messages`), sentMessageList);
    expect(sent.sentMessages.map((m: { messageId: string }) => m.messageId)).toEqual(['m1@test.example']);
  });
});
