import { type Order, order, type Role } from '@orderpost/shared';
import { z } from 'zod';
import { createApp, type App } from '../src/app.js';
import { errorSchema } from '../src/http/openapi.js';
import { createToken } from '../src/features/tokens/tokens.service.js';
import { type AppConfig, createServices, type Services } from '../src/services.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export const testConfig: AppConfig = {
  BODY_LIMIT_BYTES: 1024 * 1024,
  BATCH_BODY_LIMIT_BYTES: 8 * 1024 * 1024,
  FILE_MAX_BYTES: 256 * 1024,
  ARCHIVE_AFTER_DAYS: 90,
  READY_TIMEOUT_MS: 800,
  // Suites send many bad tokens on purpose, all from one (unknown) address; the limit has its own tests.
  AUTH_FAILURE_LIMIT: 1_000_000,
  AUTH_FAILURE_WINDOW_SECONDS: 60,
  TRUST_PROXY: false,
  PAGE_FORM_ORDER_LIMIT: 10,
  PAGE_FORM_CLIENT_LIMIT: 1_000_000,
  PAGE_FORM_WINDOW_SECONDS: 3600,
  SCHEDULER_TICK_SECONDS: 60,
  DATA_DIR: '/nonexistent/orderpost-test-data',
  // No default mailbox unless a test sets one (with its own SMTP sink).
  SMTP_URL: undefined,
  MAIL_FROM: undefined,
  DKIM_DOMAIN: undefined,
  DKIM_SELECTOR: undefined,
  DKIM_PRIVATE_KEY: undefined,
  SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  MAILBOX_FAILURE_LIMIT: 3,
  DELIVERY_MAX_AGE_HOURS: 48,
  DELIVERY_LEASE_SECONDS: 120,
  DELIVERY_RETRY_DELAY_SECONDS: 1,
  DELIVERY_CONCURRENCY: 20,
  SMTP_POOL_SIZE: 2,
  SMTP_TIMEOUT_SECONDS: 5,
};

export interface TestContext {
  app: App;
  database: TestDatabase;
  /** The services behind `app` (same database, clock, config and caches), for calling services and jobs directly. */
  services: Services;
  tokens: Record<Role, string>;
  /** JSON request as the given role (admin unless said otherwise). */
  call(method: string, path: string, body?: unknown, options?: { role?: Role | null; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function createTestContext(options: { clock?: () => Date; config?: Partial<AppConfig> } = {}): Promise<TestContext> {
  const database = await openTestDatabase();
  const services = createServices({
    database,
    logger: process.env.TEST_LOG ? createLogger('debug') : silentLogger,
    config: { ...testConfig, ...options.config },
    clock: options.clock,
  });
  const app = createApp(services);
  const tokens = {
    admin: (await createToken(services, { name: 'test admin', role: 'admin' })).token,
    agent: (await createToken(services, { name: 'test agent', role: 'agent' })).token,
    integration: (await createToken(services, { name: 'test integration', role: 'integration' })).token,
  };
  return {
    app,
    database,
    services,
    tokens,
    call: (method, path, body, callOptions = {}) => {
      const role = callOptions.role === undefined ? 'admin' : callOptions.role;
      const headers: Record<string, string> = { ...callOptions.headers };
      if (role) headers.authorization = `Bearer ${tokens[role]}`;
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      return Promise.resolve(
        app.request(path, {
          method,
          headers,
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        }),
      );
    },
    close: async () => {
      await services.queue.stop(1000);
      await services.mail.close();
      await database.close();
    },
  };
}

/** A valid order as a shop would send it; override what a test is about. */
export function sampleOrder(overrides: Record<string, unknown> = {}) {
  return {
    source: 'shop',
    number: '10231',
    currency: 'PLN',
    orderedAt: '2026-11-02T09:12:00Z',
    buyer: { name: 'Anna Kowalska', email: 'Anna.Kowalska@Example.pl', phone: '600 123 456' },
    deliveryAddress: { name: 'Anna Kowalska', street: 'ul. Długa 5', city: 'Olsztyn', postcode: '10-234', countryCode: 'PL' },
    items: [
      { name: 'Młynek ręczny Comandante C40', sku: 'COM-C40', quantity: 1, price: '1199.00', taxRate: 23 },
      { name: 'Kawa Etiopia 1kg', sku: 'ETH-1K', ean: '5901234123457', quantity: 2, price: 139, taxRate: 5 },
    ],
    payment: { method: 'transfer', cashOnDelivery: false },
    language: 'pl',
    ...overrides,
  };
}

let ordersCreated = 0;

/** An order of the test's own (a fresh number each time), created through the API; override what the test is about. */
export async function createOrder(t: TestContext, overrides: Record<string, unknown> = {}): Promise<Order> {
  ordersCreated += 1;
  const res = await t.call('POST', '/v1/orders', sampleOrder({ number: `AUTO-${ordersCreated}`, ...overrides }), { role: 'integration' });
  if (res.status !== 201) throw new Error(`creating a test order answered ${res.status}: ${await res.text()}`);
  return json(res, order);
}

/**
 * The body of a response, checked against the schema the route declares (the
 * one from `@orderpost/shared`): `const created = await json(res, order)`.
 * A body that does not match fails the test with the zod issues and the body.
 */
export async function json<S extends z.ZodType>(response: Response, schema: S): Promise<z.output<S>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${response.status} response is not JSON:\n${text.slice(0, 2000)}`);
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `${response.status} response body does not match the schema:\n${z.prettifyError(result.error)}\nbody: ${JSON.stringify(body, null, 2).slice(0, 4000)}`,
    );
  }
  return result.data;
}

/** An error answer, `{ error: { code, message, requestId, field?, issues? } }`: `(await errorBody(res)).error.code`. */
export function errorBody(response: Response): Promise<ErrorResponseBody> {
  return json(response, errorSchema);
}

export type ErrorResponseBody = z.output<typeof errorSchema>;
