import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/context.js';
import { startServer } from './serve.js';

let t: TestContext;
let server: ServerType;
let port: number;
beforeAll(async () => {
  t = await createTestContext();
  server = startServer(t.app, { port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

/** A raw request over a real socket (Node's client sends any length of URL and headers). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requests Node refuses before the app sees them', () => {
  it.each([
    ['a URL over 16 KB', () => get(`/v1/orders?email=${'a'.repeat(17 * 1024)}`)],
    ['headers over 16 KB', () => get('/healthz', { cookie: 'x'.repeat(17 * 1024) })],
  ])('%s: 431 HEADERS_TOO_LARGE in the error shape', async (_label, send) => {
    const res = await send();
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(res.body);
    expect(body.error).toMatchObject({ code: 'HEADERS_TOO_LARGE', requestId: res.headers['x-request-id'] });
    expect(body.error.message).toMatch(/16 KB/);
  });

  it('a URL just under the limit reaches the app', async () => {
    const res = await get(`/healthz?pad=${'a'.repeat(15 * 1024)}`);
    expect(res.status).toBe(200);
  });
});
