import { batchResult, orderPage } from '@orderpost/shared';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { silentLogger } from '../../logger.js';
import { createTestContext, errorBody, json, sampleOrder, testConfig, type TestContext } from '../../../test/context.js';
import { testDatabaseKind } from '../../../test/database.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ config: { BODY_LIMIT_BYTES: 2048 } });
});
afterAll(() => t.close());

const alive = z.strictObject({ status: z.literal('ok') });
const ready = alive.extend({ database: z.enum(['pglite', 'postgres']) });
/** The parts of the OpenAPI document these tests read. */
const openApiDocument = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  components: z.object({ securitySchemes: z.record(z.string(), z.object({ type: z.string(), scheme: z.string().optional() })) }),
  paths: z.record(z.string(), z.record(z.string(), z.object({ security: z.array(z.record(z.string(), z.array(z.string()))).optional() }))),
});

/** Valid extra fields, together larger than the 2048-byte body limit of this file's app. */
const padding = { note1: 'x'.repeat(1500), note2: 'y'.repeat(1500) };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('health', () => {
  it('/healthz answers 200 without a token', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await json(res, alive)).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 with the kind of database', async () => {
    const res = await t.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await json(res, ready)).toEqual({ status: 'ok', database: testDatabaseKind() });
  });

  it('/readyz answers 503 NOT_READY once the database is gone, while /healthz still answers', async () => {
    const other = await createTestContext();
    await other.close();
    const res = await other.app.request('/readyz');
    expect(res.status).toBe(503);
    expect((await errorBody(res)).error).toMatchObject({ code: 'NOT_READY', requestId: res.headers.get('x-request-id') });
    expect((await other.app.request('/healthz')).status).toBe(200);
  });

  it('/readyz answers 503 NOT_READY by its own deadline when the database does not answer at all', async () => {
    const silent = { ...t.database, ping: () => new Promise<void>(() => undefined) };
    const app = createApp({ database: silent, logger: silentLogger, config: { ...testConfig, READY_TIMEOUT_MS: 200 } });
    let guard: NodeJS.Timeout | undefined;
    const res = await Promise.race([
      app.request('/readyz'),
      new Promise<never>((_, reject) => {
        guard = setTimeout(() => reject(new Error('/readyz hangs')), 5000);
      }),
    ]).finally(() => clearTimeout(guard));
    expect(res.status).toBe(503);
    expect((await errorBody(res)).error.code).toBe('NOT_READY');
  });
});

describe('API reference', () => {
  it('/openapi.json is OpenAPI 3.1 with the main paths behind bearerAuth', async () => {
    const res = await t.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = await json(res, openApiDocument);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Orderpost API', version: expect.any(String) });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const secured: [string, string][] = [
      ['/v1/orders', 'get'],
      ['/v1/orders', 'post'],
      ['/v1/orders/batch', 'post'],
      ['/v1/orders/{id}', 'get'],
      ['/v1/orders/{id}', 'patch'],
      ['/v1/orders/{id}/status', 'post'],
      ['/v1/orders/{id}/restore', 'post'],
      ['/v1/tokens', 'get'],
      ['/v1/tokens', 'post'],
      ['/v1/tokens/{id}', 'delete'],
      ['/v1/settings', 'get'],
      ['/v1/settings', 'patch'],
      ['/v1/settings/logo', 'put'],
      ['/v1/journal', 'get'],
      ['/v1/statuses', 'get'],
      ['/v1/files/{id}', 'get'],
    ];
    for (const [path, method] of secured) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
    }
    for (const path of ['/healthz', '/readyz']) {
      expect(doc.paths[path]?.get, path).toBeDefined();
      expect(doc.paths[path]?.get?.security, path).toBeUndefined();
    }
  });

  it('/docs is an HTML page whose scripts and styles are served by us', async () => {
    const res = await t.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/src="\/\//);
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css']));
    for (const asset of assets) {
      const served = await t.app.request(asset);
      expect(served.status, asset).toBe(200);
      expect(served.headers.get('content-type'), asset).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect((await served.text()).length, asset).toBeGreaterThan(0);
    }
    expect(await (await t.app.request('/docs/assets/init.js')).text()).toContain("'/openapi.json'");
  });

  it.each(['/docs/assets/other.js', '/docs/assets/..%2F..%2Fpackage.json', '/docs/assets/%2E%2E%2Fpackage.json'])(
    'serves nothing else under /docs/assets: %s is 404 ROUTE_NOT_FOUND',
    async (path) => {
      const res = await t.app.request(path);
      expect(res.status).toBe(404);
      expect((await errorBody(res)).error.code).toBe('ROUTE_NOT_FOUND');
    },
  );
});

describe('requests in general', () => {
  it('an unknown route answers 404 ROUTE_NOT_FOUND with the request id', async () => {
    const res = await t.call('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    const body = await errorBody(res);
    expect(body.error).toMatchObject({ code: 'ROUTE_NOT_FOUND', requestId: expect.stringMatching(uuid) });
    expect(res.headers.get('x-request-id')).toBe(body.error.requestId);
  });

  it('echoes a sane X-Request-Id, in the header and in error bodies', async () => {
    const ok = await t.app.request('/healthz', { headers: { 'x-request-id': 'shop-sync:42.a' } });
    expect(ok.headers.get('x-request-id')).toBe('shop-sync:42.a');
    const failed = await t.app.request('/v1/orders', { headers: { 'x-request-id': 'req-7' } });
    expect(failed.headers.get('x-request-id')).toBe('req-7');
    expect((await errorBody(failed)).error).toMatchObject({ code: 'TOKEN_MISSING', requestId: 'req-7' });
  });

  it.each([
    ['none', undefined],
    ['one with spaces', 'not a good id'],
    ['one that is too long', 'x'.repeat(101)],
    ['one with a line-break attempt', 'a%0d%0aSet-Cookie:x'],
  ])('generates a fresh request id when the caller sends %s', async (_label, sent) => {
    const res = await t.app.request('/healthz', { headers: sent === undefined ? {} : { 'x-request-id': sent } });
    expect(res.headers.get('x-request-id')).toMatch(uuid);
  });

  it('gives each request its own id', async () => {
    const a = (await t.app.request('/healthz')).headers.get('x-request-id');
    const b = (await t.app.request('/healthz')).headers.get('x-request-id');
    expect(a).not.toBe(b);
  });

  it.each([
    ['POST', '/v1/tokens'],
    ['PATCH', '/v1/settings'],
    ['POST', '/v1/orders'],
  ])('%s %s with a body that is not JSON answers 400 INVALID_JSON', async (method, path) => {
    const res = await t.call(method, path, '{"name": "oops",', { role: 'admin' });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.code).toBe('INVALID_JSON');
  });

  it('a body over BODY_LIMIT_BYTES answers 413 PAYLOAD_TOO_LARGE and saves nothing', async () => {
    const order = sampleOrder({ number: 'BIG-1', extraFields: padding });
    const res = await t.call('POST', '/v1/orders', order);
    expect(res.status).toBe(413);
    expect((await errorBody(res)).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await json(await t.call('GET', '/v1/orders?number=BIG-1'), orderPage)).orders).toEqual([]);
  });

  it('the body limit holds without a Content-Length header too (streamed body)', async () => {
    const body = new TextEncoder().encode(JSON.stringify(sampleOrder({ number: 'BIG-2', extraFields: padding })));
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(body);
        controller.close();
      },
    });
    const res = await t.app.request('/v1/orders', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await errorBody(res)).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('the batch route has its own, larger limit', async () => {
    const order = sampleOrder({ number: 'BIG-3', source: 'big', externalId: 'big-3', extraFields: padding });
    const res = await t.call('POST', '/v1/orders/batch', { orders: [order] });
    expect(res.status).toBe(200);
    expect(await json(res, batchResult)).toMatchObject({ created: 1 });
  });
});
