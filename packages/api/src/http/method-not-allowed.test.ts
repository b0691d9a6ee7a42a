import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, type TestContext } from '../../test/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const openApiPaths = z.object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) });

async function expectMethodNotAllowed(res: Response, allow: string) {
  expect(res.status).toBe(405);
  expect(res.headers.get('allow')).toBe(allow);
  const body = await errorBody(res);
  expect(body.error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', requestId: res.headers.get('x-request-id') });
}

describe('a known path with a method it does not take', () => {
  it.each([
    ['DELETE', '/v1/orders', 'GET, HEAD, POST'],
    ['PUT', '/v1/orders/5', 'GET, HEAD, PATCH'],
    ['GET', '/v1/orders/5/status', 'POST'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['PATCH', '/v1/tokens', 'GET, HEAD, POST'],
    ['PUT', '/v1/statuses/new', 'DELETE, PATCH'],
  ])('%s %s answers 405 METHOD_NOT_ALLOWED with Allow: %s', async (method, path, allow) => {
    await expectMethodNotAllowed(await t.call(method, path, method === 'GET' ? undefined : {}), allow);
  });

  it('gets the methods of the API reference in Allow, for every documented path', async () => {
    const doc = await json(await t.app.request('/openapi.json'), openApiPaths);
    for (const [template, operations] of Object.entries(doc.paths)) {
      const path = template.replace(/\{[^}]+\}/g, '7');
      const documented = Object.keys(operations).map((method) => method.toUpperCase());
      const expected = new Set(documented);
      if (expected.has('GET')) expected.add('HEAD');
      const res = await t.call('OPTIONS', path);
      expect(res.status, `OPTIONS ${path}`).toBe(405);
      const allow = (res.headers.get('allow') ?? '').split(', ');
      // Allow may list more (a sibling route such as GET /v1/orders/{id} matching /v1/orders/batch), never less.
      for (const method of expected) expect(allow, `${template}`).toContain(method);
    }
  });

  it('an unknown path still answers 404 ROUTE_NOT_FOUND', async () => {
    const res = await t.call('DELETE', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('allow')).toBeNull();
    expect((await errorBody(res)).error.code).toBe('ROUTE_NOT_FOUND');
  });
});
