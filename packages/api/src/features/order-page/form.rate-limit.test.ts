import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app.js';
import { silentLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createOrder, createTestContext, type TestContext, testConfig } from '../../../test/context.js';
import { pageTokenOf, postForm, traces } from '../../../test/page-form.js';

/**
 * The form's limits live in the database: two API processes (two apps with
 * their own services and caches, one database) share them, so alternating
 * between processes gains nothing.
 */
const limits = { PAGE_FORM_ORDER_LIMIT: 3, PAGE_FORM_CLIENT_LIMIT: 5, PAGE_FORM_WINDOW_SECONDS: 3600, TRUST_PROXY: true };

let t: TestContext;
const processes: { app: App; services: Services }[] = [];

beforeAll(async () => {
  t = await createTestContext({ config: limits });
  for (let i = 0; i < 2; i++) {
    const services = createServices({ database: t.database, logger: silentLogger, config: { ...testConfig, ...limits } });
    processes.push({ app: createApp(services), services });
  }
});
afterAll(async () => {
  for (const { services } of processes) await services.queue.stop(1000);
  await t.close();
});

/** A post through process `n % 2`, from a client address (the proxy's X-Forwarded-For; TRUST_PROXY is on). */
const postVia = (n: number, token: string, client: string) => {
  const { app, services } = processes[n % 2] as (typeof processes)[number];
  return postForm(app, services, token, { message: `Message ${n}`, headers: { 'x-forwarded-for': client } });
};

describe('order-page form rate limits across two API processes on one database', () => {
  it('per order: the limit holds whichever process takes the posts; then 429 RATE_LIMITED with Retry-After, the text kept', async () => {
    const order = await createOrder(t);
    const token = await pageTokenOf(t.services, order.id);
    // Each post from another client: only the order's limit is in play.
    const statuses = [];
    for (let n = 0; n < limits.PAGE_FORM_ORDER_LIMIT; n++) statuses.push((await postVia(n, token, `198.51.100.${n + 1}`)).status);
    expect(statuses).toEqual([303, 303, 303]);
    for (const n of [3, 4]) {
      const refused = await postVia(n, token, `198.51.100.${n + 1}`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-error-code')).toBe('RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(await refused.text()).toContain(`Message ${n}`);
    }
    const stored = (await traces(t.services, order.id)).messages.filter((row) => row.channel === 'page');
    expect(stored.map((row) => row.text)).toEqual(['Message 0', 'Message 1', 'Message 2']);
  });

  it('per client address: across orders and processes; other clients are not affected', async () => {
    const client = '203.0.113.77';
    const results = [];
    for (let n = 0; n < limits.PAGE_FORM_CLIENT_LIMIT + 1; n++) {
      const order = await createOrder(t);
      results.push((await postVia(n, await pageTokenOf(t.services, order.id), client)).status);
    }
    expect(results).toEqual([303, 303, 303, 303, 303, 429]);
    const other = await createOrder(t);
    expect((await postVia(0, await pageTokenOf(t.services, other.id), '203.0.113.78')).status).toBe(303);
  });

  it('concurrent posts on two processes do not slip past the limit', async () => {
    const order = await createOrder(t);
    const token = await pageTokenOf(t.services, order.id);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => postVia(n, token, `192.0.2.${n + 1}`)));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 303)).toHaveLength(limits.PAGE_FORM_ORDER_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(8 - limits.PAGE_FORM_ORDER_LIMIT);
    expect((await traces(t.services, order.id)).messages.filter((row) => row.channel === 'page')).toHaveLength(
      limits.PAGE_FORM_ORDER_LIMIT,
    );
  });
});
