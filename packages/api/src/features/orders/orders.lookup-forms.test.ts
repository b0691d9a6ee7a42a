import { order as orderSchema, orderPage } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, json, type TestContext } from '../../../test/context.js';
import { orders, parcels, scheduledRuns } from '../../db/schema/index.js';
import { refreshLookupForms, refreshLookupFormsJob } from './orders.lookup-forms.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

/** Writes a look-up form as an older version of the rules would have (no folding of digits or look-alike letters). */
async function ageLookupForm(orderId: number, numberCompact: string) {
  await t.database.db.update(orders).set({ numberCompact }).where(eq(orders.id, orderId));
}

const findByNumber = async (number: string) =>
  (await json(await t.call('GET', `/v1/orders?number=${encodeURIComponent(number)}&archived=all`), orderPage)).orders.map((o) => o.id);

describe('look-up forms saved under older rules', () => {
  it('are rewritten, so the order is found by the number as people type it', async () => {
    const order = await createOrder(t, { number: 'ص-٤٤٠٩' });
    await ageLookupForm(order.id, 'ص-٤٤٠٩');
    expect(await findByNumber('ص-4409')).toEqual([]);

    const result = await refreshLookupForms(t.services);
    expect(result.conflicts).toEqual([]);
    expect(result.updated).toBeGreaterThanOrEqual(1);
    expect(await findByNumber('ص-4409')).toEqual([order.id]);
  });

  it('leave a number that now collides with another order as it was, and report it', async () => {
    const latin = await createOrder(t, { number: 'Y-88123' });
    // Saved before look-alike letters compared as Latin: the Cyrillic У kept its own form.
    const [cyrillic] = await t.database.db
      .insert(orders)
      .values({
        ...(await t.database.db.select().from(orders).where(eq(orders.id, latin.id)))[0],
        id: undefined,
        number: 'У-88123',
        numberCompact: 'У88123',
        externalId: 'older-rules',
        externalIdCompact: 'OLDERRULES',
      } as typeof orders.$inferInsert)
      .returning({ id: orders.id });
    if (!cyrillic) throw new Error('insert returned nothing');

    const result = await refreshLookupForms(t.services);
    expect(result.conflicts).toEqual([{ orderId: cyrillic.id, number: 'У-88123' }]);
    const [kept] = await t.database.db.select({ numberCompact: orders.numberCompact }).from(orders).where(eq(orders.id, cyrillic.id));
    expect(kept?.numberCompact).toBe('У88123');
    expect(await findByNumber('Y-88123')).toEqual([latin.id]);
  });

  it('of tracking numbers are rewritten too', async () => {
    const order = await createOrder(t);
    const parcel = await t.call('POST', `/v1/orders/${order.id}/parcels`, {
      carrier: 'inpost',
      trackingNumber: 'ТТ-٦٦٠١',
      status: 'created',
    });
    expect(parcel.status).toBe(201);
    await t.database.db.update(parcels).set({ trackingCompact: 'ТТ٦٦٠١' }).where(eq(parcels.orderId, order.id));

    await refreshLookupForms(t.services);
    const [row] = await t.database.db
      .select({ trackingCompact: parcels.trackingCompact })
      .from(parcels)
      .where(eq(parcels.orderId, order.id));
    expect(row?.trackingCompact).toBe('TT6601');
  });

  it('change nothing on a second run', async () => {
    const order = await createOrder(t, { number: 'ص-٤٤١٠' });
    await ageLookupForm(order.id, 'ص-٤٤١٠');
    await refreshLookupForms(t.services);
    expect(await refreshLookupForms(t.services)).toMatchObject({ updated: 0 });
    expect(await findByNumber('ص-4410')).toEqual([order.id]);
  });
});

describe('numbers as platforms write them', () => {
  it("take Shopify's '#1001' and Magento's zero-padded '000000123', found as customers type them", async () => {
    const shopify = await createOrder(t, { number: '#1001' });
    const magento = await createOrder(t, { number: '000000123' });
    expect(shopify.number).toBe('#1001');
    expect(await findByNumber('1001')).toEqual([shopify.id]);
    expect(await findByNumber('123')).toEqual([magento.id]);
    expect(await findByNumber('#000000123')).toEqual([magento.id]);
  });

  it('refuse a second number that differs only in leading zeros or the "#"', async () => {
    await createOrder(t, { number: '000000555' });
    const res = await t.call('POST', '/v1/orders', { currency: 'EUR', number: '555' }, { role: 'integration' });
    expect(res.status).toBe(409);
    const again = await t.call('POST', '/v1/orders', { currency: 'EUR', number: '#000000555' }, { role: 'integration' });
    expect(again.status).toBe(409);
  });

  it('saved before leading zeros were dropped are rewritten', async () => {
    const order = await createOrder(t, { number: '000000777' });
    await ageLookupForm(order.id, '000000777');
    expect(await findByNumber('777')).toEqual([]);
    await refreshLookupForms(t.services);
    expect(await findByNumber('777')).toEqual([order.id]);
  });
});

describe('buyer phones', () => {
  it('are read again in the new default country when the shop changes it (the job is made due at once)', async () => {
    const order = await createOrder(t, { buyer: { name: 'Carmen López', phone: '612 345 678' }, deliveryAddress: null });
    expect(order.buyer.phoneE164).toBe('+48612345678');
    const changed = await t.call('PATCH', '/v1/settings', { defaultCountry: 'ES' }, { role: 'admin' });
    expect(changed.status).toBe(200);
    const [due] = await t.database.db.select().from(scheduledRuns).where(eq(scheduledRuns.job, refreshLookupFormsJob));
    expect(due).toBeUndefined();

    const result = await refreshLookupForms(t.services);
    expect(result.phones).toBeGreaterThanOrEqual(1);
    const reread = await json(await t.call('GET', `/v1/orders/${order.id}`), orderSchema);
    expect(reread.buyer.phoneE164).toBe('+34612345678');
    await t.call('PATCH', '/v1/settings', { defaultCountry: 'PL' }, { role: 'admin' });
    await refreshLookupForms(t.services);
  });
});
