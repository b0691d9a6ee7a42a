import { createHash } from 'node:crypto';
import {
  apiToken,
  createdToken,
  order as orderSchema,
  orderPage,
  orderStatusList as statusList,
  shopSettings,
  type Role,
} from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../app.js';
import { apiTokens } from '../../db/schema/index.js';
import { silentLogger } from '../../logger.js';
import { createServices } from '../../services.js';
import { createTestContext, errorBody, json, sampleOrder, testConfig, type TestContext } from '../../../test/context.js';
import { openTestDatabase } from '../../../test/database.js';
import { ensureFirstAdminToken } from './tokens.service.js';

let t: TestContext;
let orderId: number;
beforeAll(async () => {
  t = await createTestContext();
  orderId = (await json(await t.call('POST', '/v1/orders', sampleOrder({ number: 'AUTH-1' })), orderSchema)).id;
});
afterAll(() => t.close());

const tokenList = z.object({ tokens: z.array(apiToken) });

function request(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const allHeaders = body === undefined ? headers : { ...headers, 'content-type': 'application/json' };
  return t.app.request(path, { method, headers: allHeaders, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await errorBody(res);
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toEqual(res.headers.get('x-request-id'));
}

// The 401/403 matrix over every route is in src/http/route-security.test.ts, read from the OpenAPI document.

describe('roles', () => {
  const forbidden: [Role, string, string, unknown?][] = [
    ['agent', 'GET', '/v1/tokens'],
    ['agent', 'POST', '/v1/tokens', { name: 'sneaky', role: 'admin' }],
    ['integration', 'POST', '/v1/tokens', { name: 'sneaky', role: 'admin' }],
    ['agent', 'DELETE', '/v1/tokens/1'],
    ['agent', 'GET', '/v1/settings'],
    ['integration', 'PATCH', '/v1/settings', { shopName: 'Hacked' }],
    ['agent', 'PATCH', '/v1/settings', { shopName: 'Hacked' }],
    ['agent', 'POST', '/v1/orders', sampleOrder({ number: 'AGENT-1' })],
    ['agent', 'POST', '/v1/orders/batch', { orders: [sampleOrder({ number: 'AGENT-1' })] }],
    ['agent', 'PATCH', '/v1/orders/{id}', { buyer: { email: 'x@example.com' } }],
    ['agent', 'POST', '/v1/orders/{id}/payments', { amount: '10.00' }],
    ['integration', 'POST', '/v1/orders/{id}/restore'],
    ['integration', 'POST', '/v1/statuses', { id: 'lost', name: 'Lost' }],
  ];

  /** What a forbidden call must not change (lastUsedAt aside, which any use updates). */
  const snapshot = async () => ({
    tokens: (await t.database.db.select().from(apiTokens))
      .map(({ id, name, role, revokedAt }) => ({ id, name, role, revokedAt }))
      .sort((a, b) => a.id - b.id),
    order: await json(await t.call('GET', `/v1/orders/${orderId}`), orderSchema),
    settings: await json(await t.call('GET', '/v1/settings'), shopSettings),
    agentOrders: (await json(await t.call('GET', '/v1/orders?number=AGENT-1'), orderPage)).orders,
    statuses: await json(await t.call('GET', '/v1/statuses'), statusList),
  });

  it.each(forbidden)('%s may not %s %s: 403 FORBIDDEN_ROLE, nothing changes', async (role, method, path, body) => {
    const before = await snapshot();
    const res = await t.call(method, path.replace('{id}', String(orderId)), body, { role });
    await expectError(res, 403, 'FORBIDDEN_ROLE');
    expect(await snapshot()).toEqual(before);
    expect(before.agentOrders).toEqual([]);
  });
});

describe('creating and revoking tokens', () => {
  it('creates a token that works at once, with the role asked for', async () => {
    const res = await t.call('POST', '/v1/tokens', { name: 'Packing station', role: 'agent' });
    expect(res.status).toBe(201);
    const created = await json(res, createdToken);
    expect(created).toMatchObject({ name: 'Packing station', role: 'agent', revokedAt: null });
    expect(created.token).toMatch(/^op_[0-9A-Za-z]{40}$/);
    const headers = { authorization: `Bearer ${created.token}` };
    expect((await request('GET', '/v1/orders', headers)).status).toBe(200);
    await expectError(await request('GET', '/v1/tokens', headers), 403, 'FORBIDDEN_ROLE');
  });

  it.each([
    ['an unknown role', { name: 'x', role: 'root' }, 'INVALID_VALUE', 'role'],
    ['no name', { role: 'agent' }, 'REQUIRED_FIELD', 'name'],
    ['a blank name', { name: '   ', role: 'agent' }, 'INVALID_VALUE', 'name'],
    ['an unknown field', { name: 'x', role: 'agent', expiresAt: '2030-01-01' }, 'UNKNOWN_FIELD', 'expiresAt'],
  ])('refuses %s with 400 and creates nothing', async (_label, body, code, field) => {
    const before = await t.database.db.select().from(apiTokens);
    const res = await t.call('POST', '/v1/tokens', body);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code, field });
    expect(await t.database.db.select().from(apiTokens)).toHaveLength(before.length);
  });

  it('a revoked token stops working at once, even right after it was used', async () => {
    const created = await json(await t.call('POST', '/v1/tokens', { name: 'Temp', role: 'integration' }), createdToken);
    const headers = { authorization: `Bearer ${created.token}` };
    expect((await request('GET', '/v1/orders', headers)).status).toBe(200);

    const res = await t.call('DELETE', `/v1/tokens/${created.id}`);
    expect(res.status).toBe(200);
    expect((await json(res, apiToken)).revokedAt).not.toBeNull();

    await expectError(await request('GET', '/v1/orders', headers), 401, 'TOKEN_INVALID');
    const listed = (await json(await t.call('GET', '/v1/tokens'), tokenList)).tokens.find((tk) => tk.id === created.id);
    expect(listed?.revokedAt).not.toBeNull();
  });

  it('revoking a token twice keeps it revoked; an unknown id is 404 TOKEN_NOT_FOUND', async () => {
    const created = await json(await t.call('POST', '/v1/tokens', { name: 'Twice', role: 'agent' }), createdToken);
    const first = await json(await t.call('DELETE', `/v1/tokens/${created.id}`), apiToken);
    const second = await t.call('DELETE', `/v1/tokens/${created.id}`);
    expect(second.status).toBe(200);
    expect((await json(second, apiToken)).revokedAt).toBe(first.revokedAt);
    await expectError(await t.call('DELETE', '/v1/tokens/999999'), 404, 'TOKEN_NOT_FOUND');
  });
});

describe('token secrets', () => {
  it('stores only a hash and a 10-character prefix, never the token', async () => {
    const created = await json(await t.call('POST', '/v1/tokens', { name: 'Secret check', role: 'integration' }), createdToken);
    const rows = await t.database.db.select().from(apiTokens);
    const row = rows.find((r) => r.id === created.id);
    expect(row?.tokenHash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(row?.prefix).toBe(created.token.slice(0, 10));
    expect(created.prefix).toBe(created.token.slice(0, 10));
    for (const secret of [created.token, ...Object.values(t.tokens)]) {
      const stored = JSON.stringify(rows);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(0, 11));
    }
  });

  it('lists tokens without any secret or hash', async () => {
    const res = await t.call('GET', '/v1/tokens');
    expect(res.status).toBe(200);
    // Strict: a key the schema does not list (a hash, the secret) fails the read, where parsing would drop it.
    const raw = await json(res, z.object({ tokens: z.array(z.strictObject(apiToken.shape)) }));
    const { tokens } = raw;
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    const text = JSON.stringify(raw);
    const hashes = (await t.database.db.select().from(apiTokens)).map((r) => r.tokenHash);
    for (const secret of [...Object.values(t.tokens), ...hashes]) expect(text).not.toContain(secret);
    for (const token of raw.tokens)
      expect(Object.keys(token).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role']);
  });
});

describe('the last admin token', () => {
  let own: TestContext;
  beforeAll(async () => {
    own = await createTestContext();
  });
  afterAll(() => own.close());

  const adminIds = async () =>
    (await json(await own.call('GET', '/v1/tokens'), tokenList)).tokens
      .filter((tk) => tk.role === 'admin' && !tk.revokedAt)
      .map((tk) => tk.id);

  it('cannot be revoked (409 LAST_ADMIN_TOKEN); once another admin exists it can', async () => {
    const [onlyAdmin] = await adminIds();
    expect(onlyAdmin).toBeDefined();
    const refused = await own.call('DELETE', `/v1/tokens/${onlyAdmin}`);
    expect(refused.status).toBe(409);
    expect((await errorBody(refused)).error.code).toBe('LAST_ADMIN_TOKEN');
    expect((await own.call('GET', '/v1/tokens')).status).toBe(200);

    const second = await json(await own.call('POST', '/v1/tokens', { name: 'Second admin', role: 'admin' }), createdToken);
    expect((await own.call('DELETE', `/v1/tokens/${onlyAdmin}`)).status).toBe(200);
    expect((await own.call('GET', '/v1/tokens')).status).toBe(401);

    const asSecond = { authorization: `Bearer ${second.token}` };
    const again = await own.app.request(`/v1/tokens/${second.id}`, { method: 'DELETE', headers: asSecond });
    expect(again.status).toBe(409);
    expect((await errorBody(again)).error.code).toBe('LAST_ADMIN_TOKEN');
    expect((await own.app.request('/v1/tokens', { headers: asSecond })).status).toBe(200);
  });
});

describe('ensureFirstAdminToken', () => {
  it('creates exactly one admin token on an empty database, and none on the next start', async () => {
    const database = await openTestDatabase();
    const services = createServices({ database, logger: silentLogger, config: testConfig });
    try {
      const first = await ensureFirstAdminToken(services);
      expect(first).toMatch(/^op_[0-9A-Za-z]{40}$/);
      const rows = await database.db.select().from(apiTokens);
      expect(rows.map((r) => r.role)).toEqual(['admin']);

      expect(await ensureFirstAdminToken(services)).toBeNull();
      expect(await database.db.select().from(apiTokens)).toHaveLength(1);

      const res = await createApp(services).request('/v1/tokens', { headers: { authorization: `Bearer ${first}` } });
      expect(res.status).toBe(200);
    } finally {
      await database.close();
    }
  });

  it('two starts at the same moment still create only one', async () => {
    const database = await openTestDatabase();
    // Two processes: each with its own services.
    const start = () => ensureFirstAdminToken(createServices({ database, logger: silentLogger, config: testConfig }));
    try {
      const results = await Promise.all([start(), start()]);
      expect(results.filter((token) => token !== null)).toHaveLength(1);
      expect(await database.db.select().from(apiTokens)).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});
