import { journalTypes } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, type TestContext } from '../../../test/context.js';
import { pageTokenOf, postForm, traces } from '../../../test/page-form.js';
import { issueFormToken } from './form.token.js';

/** Attacks on the order page's form: the double-submit key under races. */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ config: { PAGE_FORM_ORDER_LIMIT: 100 } });
  await t.call('PATCH', '/v1/settings', { publicBaseUrl: 'https://shop.example', notificationEmail: 'owner@shop.example' });
});
afterAll(() => t.close());

async function newPage() {
  const order = await createOrder(t);
  return { order, token: await pageTokenOf(t.services, order.id) };
}

describe('the same form posted several times at once', () => {
  it('is stored once, every answer a 303 "sent" (no 500 from the key racing)', async () => {
    const { order, token } = await newPage();
    const formToken = await issueFormToken(t.services, token);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => postForm(t.app, t.services, token, { message: 'Double click', formToken })),
    );
    expect(answers.map((res) => res.status)).toEqual([303, 303, 303, 303, 303, 303]);
    const { messages, journalTypes: types } = await traces(t.services, order.id);
    expect(messages.filter((m) => m.channel === 'page')).toHaveLength(1);
    expect(types.filter((type) => type === journalTypes.CUSTOMER_MESSAGE)).toHaveLength(1);
  });

  it('the same text on another order is not dropped', async () => {
    const { order, token } = await newPage();
    const other = await newPage();
    const first = await issueFormToken(t.services, token);
    expect((await postForm(t.app, t.services, token, { message: 'Thanks', formToken: first })).status).toBe(303);
    expect((await postForm(t.app, t.services, other.token, { message: 'Thanks' })).status).toBe(303);
    expect((await traces(t.services, order.id)).messages.filter((m) => m.channel === 'page')).toHaveLength(1);
    expect((await traces(t.services, other.order.id)).messages.filter((m) => m.channel === 'page')).toHaveLength(1);
  });
});
