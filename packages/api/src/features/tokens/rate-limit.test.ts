import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { startServer } from '../../http/serve.js';
import { silentLogger } from '../../logger.js';
import { createTestContext, errorBody, testConfig, type TestContext } from '../../../test/context.js';

/** A low limit, a long window: the test never waits for one to end. */
const limits = { AUTH_FAILURE_LIMIT: 3, AUTH_FAILURE_WINDOW_SECONDS: 600 };
const unknownToken = `op_${'x'.repeat(40)}`;

let t: TestContext;
const servers: ServerType[] = [];
beforeAll(async () => {
  t = await createTestContext({ config: limits });
});
afterAll(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

/** Another API process on the same database: its own app, caches and port. */
async function apiProcess(config: Partial<typeof testConfig> = {}): Promise<number> {
  const app = createApp({ database: t.database, logger: silentLogger, config: { ...testConfig, ...limits, ...config } });
  const server = startServer(app, { port: 0, hostname: '127.0.0.1' });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** A request over a real socket from a chosen local address (any 127.x.y.z reaches the server on 127.0.0.1). */
function call(port: number, from: string, token: string | null, headers: Record<string, string> = {}, path = '/v1/orders') {
  return new Promise<{ status: number; retryAfter: string | undefined; code: string | undefined }>((resolve, reject) => {
    const allHeaders = token ? { ...headers, authorization: `Bearer ${token}` } : headers;
    const req = httpRequest({ host: '127.0.0.1', port, path, localAddress: from, headers: allHeaders, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        const code = res.statusCode && res.statusCode >= 400 ? JSON.parse(body).error?.code : undefined;
        resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, code });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('failed token checks per client address', () => {
  it('after the limit, the address gets 429 RATE_LIMITED with Retry-After — on every API process, a correct token included', async () => {
    const first = await apiProcess();
    const second = await apiProcess();
    const attacker = '127.0.0.2';
    for (let attempt = 0; attempt < limits.AUTH_FAILURE_LIMIT; attempt++) {
      // Alternating processes: the count is shared through the database.
      expect(await call(attempt % 2 ? second : first, attacker, unknownToken)).toMatchObject({ status: 401, code: 'TOKEN_INVALID' });
    }
    for (const port of [first, second]) {
      const limited = await call(port, attacker, unknownToken);
      expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      expect(Number(limited.retryAfter)).toBeLessThanOrEqual(limits.AUTH_FAILURE_WINDOW_SECONDS);
      // A right guess must not stand out from a wrong one while limited.
      expect(await call(port, attacker, t.tokens.admin)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    }
    // Unauthenticated endpoints stay open to it.
    expect((await call(first, attacker, null, {}, '/healthz')).status).toBe(200);

    // Another address is not affected: its correct token works, its failures are its own.
    expect((await call(first, '127.0.0.3', t.tokens.admin)).status).toBe(200);
    expect(await call(second, '127.0.0.3', unknownToken)).toMatchObject({ status: 401, code: 'TOKEN_INVALID' });
  });

  it('a malformed Authorization header counts as a failure; a missing one or a wrong role does not', async () => {
    const port = await apiProcess();
    const from = '127.0.0.4';
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await call(port, from, null)).code).toBe('TOKEN_MISSING');
      expect((await call(port, from, t.tokens.agent, {}, '/v1/tokens')).code).toBe('FORBIDDEN_ROLE');
    }
    expect((await call(port, from, t.tokens.admin)).status).toBe(200);
    for (let attempt = 0; attempt < limits.AUTH_FAILURE_LIMIT; attempt++) {
      expect((await call(port, from, null, { authorization: 'Basic YWRtaW46YWRtaW4=' })).code).toBe('TOKEN_INVALID');
    }
    expect((await call(port, from, t.tokens.admin)).code).toBe('RATE_LIMITED');
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is on, then counts by its last entry', async () => {
    const direct = await apiProcess();
    const from = '127.0.0.5';
    // Forged headers do not spread the failures over many "addresses".
    for (let attempt = 0; attempt < limits.AUTH_FAILURE_LIMIT; attempt++) {
      await call(direct, from, unknownToken, { 'x-forwarded-for': `198.51.100.${attempt}` });
    }
    expect((await call(direct, from, t.tokens.admin, { 'x-forwarded-for': '198.51.100.99' })).code).toBe('RATE_LIMITED');

    // Behind a proxy, every request comes from the proxy's address; the entry the proxy appended tells clients apart.
    const proxied = await apiProcess({ TRUST_PROXY: true });
    const proxy = '127.0.0.6';
    for (let attempt = 0; attempt < limits.AUTH_FAILURE_LIMIT; attempt++) {
      await call(proxied, proxy, unknownToken, { 'x-forwarded-for': `1.2.3.4, 203.0.113.7` });
    }
    expect((await call(proxied, proxy, t.tokens.admin, { 'x-forwarded-for': '203.0.113.7' })).code).toBe('RATE_LIMITED');
    // The forgeable first entry does not matter; another client behind the same proxy still works.
    expect((await call(proxied, proxy, t.tokens.admin, { 'x-forwarded-for': '203.0.113.7, 203.0.113.8' })).status).toBe(200);
    expect((await call(proxied, proxy, t.tokens.admin, { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
  });
});

describe('in-process requests (no socket)', () => {
  it('are counted under one unknown address, with the limit and Retry-After', async () => {
    const app = createApp({ database: t.database, logger: silentLogger, config: { ...testConfig, ...limits } });
    const bad = { headers: { authorization: `Bearer ${unknownToken}` } };
    for (let attempt = 0; attempt < limits.AUTH_FAILURE_LIMIT; attempt++) expect((await app.request('/v1/orders', bad)).status).toBe(401);
    const res = await app.request('/v1/orders', bad);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await errorBody(res)).error.code).toBe('RATE_LIMITED');
  });
});
