import { createdToken, type Role, roles } from '@orderpost/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestContext, errorBody, json } from '../../test/context.js';

/**
 * The 401/403 matrix for every route of the app, read from the OpenAPI
 * document: a route added later is covered without touching this file. Routes
 * need a token unless they are in `publicRoutes`.
 */
const publicRoutes = [
  'GET /healthz',
  'GET /readyz',
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/assets/init.js',
  'GET /docs/assets/:name',
];

/** What a public route is asked for in the test (its path parameters filled in). */
const publicExamples: Record<string, string> = { 'GET /docs/assets/:name': '/docs/assets/swagger-ui.css' };

const operation = z.object({
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  'x-required-roles': z.array(z.enum(roles)).optional(),
});
const openApiDocument = z.object({ paths: z.record(z.string(), z.record(z.string(), operation)) });

const t = await createTestContext();
afterAll(() => t.close());

const document = await json(await t.app.request('/openapi.json'), openApiDocument);
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, ...op })),
);
const secured = operations.filter((op) => op.security !== undefined);

/** A revoked admin token: it could do anything if it still worked. */
const revoked = await json(await t.call('POST', '/v1/tokens', { name: 'revoked', role: 'admin' }), createdToken);
const revoking = await t.call('DELETE', `/v1/tokens/${revoked.id}`);
if (revoking.status !== 200) throw new Error(`revoking the test token answered ${revoking.status}`);

/** Path parameters get an id that looks valid but names nothing, so an allowed call changes nothing. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '2147483647');
const hasBody = (method: string) => method !== 'GET' && method !== 'DELETE';

function request(method: string, path: string, authorization?: string) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  if (hasBody(method)) headers['content-type'] = 'application/json';
  return t.app.request(concrete(path), { method, headers, body: hasBody(method) ? '{}' : undefined });
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await errorBody(res);
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
}

describe('every route', () => {
  it('needs a token unless it is in the explicit public list', () => {
    const documented = new Map(operations.map((op) => [`${op.method} ${op.path.replace(/\{([^}]+)\}/g, ':$1')}`, op]));
    const all = [...new Set(t.app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`))];
    expect(all.length).toBeGreaterThan(publicRoutes.length);
    const unsecured = all.filter((route) => documented.get(route)?.security === undefined);
    expect(unsecured.sort(), 'routes without bearer security that are not declared public').toEqual([...publicRoutes].sort());
  });

  it.each(secured.map((op) => [op.method, op.path, op] as const))(
    '%s %s states its roles (x-required-roles) and the bearer scheme',
    (_m, _p, op) => {
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(op['x-required-roles'], 'declare roles with ...authorize(...) in createRoute').toContain('admin');
    },
  );
});

describe.each(publicRoutes)('public %s', (route) => {
  it('answers without a token', async () => {
    const [method = 'GET', path = '/'] = route.split(' ');
    const res = await t.app.request(publicExamples[route] ?? path, { method });
    expect(res.status).toBe(200);
  });
});

describe.each(secured.map((op) => [op.method, op.path, op['x-required-roles'] ?? []] as const))('%s %s', (method, path, allowed) => {
  it('without an Authorization header answers 401 TOKEN_MISSING', async () => {
    await expectError(await request(method, path), 401, 'TOKEN_MISSING');
  });

  it.each([
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['no token after Bearer', 'Bearer'],
    ['two words after Bearer', 'Bearer op_abc op_def'],
    ['a token without the scheme', 'op_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['an unknown token', 'Bearer op_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['a very long token', `Bearer op_${'a'.repeat(5000)}`],
    ['a revoked token', `Bearer ${revoked.token}`],
  ])('with %s answers 401 TOKEN_INVALID', async (_label, header) => {
    await expectError(await request(method, path, header), 401, 'TOKEN_INVALID');
  });

  const forbidden = roles.filter((role) => !allowed.includes(role));
  if (forbidden.length > 0)
    it.each(forbidden)('as %s answers 403 FORBIDDEN_ROLE', async (role: Role) => {
      await expectError(await request(method, path, `Bearer ${t.tokens[role]}`), 403, 'FORBIDDEN_ROLE');
    });

  it.each(allowed)('as %s gets past the token check (a 400 or 404 for the made-up input is fine)', async (role) => {
    const res = await request(method, path, `Bearer ${t.tokens[role]}`);
    expect([401, 403]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });
});
