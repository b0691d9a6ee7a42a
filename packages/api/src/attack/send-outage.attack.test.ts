import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.js';
import { type Database, openDatabase } from '../db/client.js';
import { createToken } from '../features/tokens/tokens.service.js';
import { silentLogger } from '../logger.js';
import { createServices, type Services } from '../services.js';
import { sampleOrder, testConfig } from '../../test/context.js';
import { testDatabaseKind } from '../../test/database.js';
import { findPgBin, type PgCluster, startPgCluster } from '../../test/pg-cluster.js';

/** PostgreSQL stops under a running API: the send routes answer 503 at once, never hang (issue 8 review). */
const pg = findPgBin();
const runHere = testDatabaseKind() === 'pglite' && 'bin' in pg;

const hangGuardMs = 5000;
async function timed(response: Promise<Response> | Response): Promise<{ status: number | 'hang'; ms: number; code?: string }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), hangGuardMs);
  });
  const res = await Promise.race([Promise.resolve(response), hang]);
  clearTimeout(timer);
  if (res === 'hang') return { status: 'hang', ms: Date.now() - started };
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: res.status, ms: Date.now() - started, code: body.error?.code };
}

describe.runIf(runHere)('attack: PostgreSQL stops while sending', () => {
  let cluster: PgCluster;
  let database: Database;
  let services: Services;
  let app: App;
  let admin: string;
  let agent: string;
  let orderId: number;
  let templateId: number;

  beforeAll(async () => {
    if (!('bin' in pg)) return;
    cluster = await startPgCluster(pg.bin);
    database = await openDatabase({
      url: cluster.url,
      poolSize: 4,
      timeouts: { connectSeconds: 2, acquireMs: 2000, statementMs: 5000, idleInTransactionMs: 5000 },
    });
    services = createServices({ database, logger: silentLogger, config: testConfig });
    app = createApp(services);
    admin = (await createToken(services, { name: 'outage admin', role: 'admin' })).token;
    agent = (await createToken(services, { name: 'outage agent', role: 'agent' })).token;
    const created = await app.request('/v1/orders', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleOrder({ number: 'SEND-OUT-1' })),
    });
    orderId = ((await created.json()) as { id: number }).id;
    const tpl = await app.request('/v1/templates', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 't', subject: 's [order_number]', format: 'text', content: 'x' }),
    });
    templateId = ((await tpl.json()) as { id: number }).id;
  });
  afterAll(async () => {
    await services?.queue.stop(500).catch(() => undefined);
    await database?.close().catch(() => undefined);
    await cluster?.remove();
  }, 30_000);

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('send, bulk send, render and history answer 503 quickly with the queue started before the outage', async () => {
    const ok = await post(`/v1/orders/${orderId}/send`, { subject: 'a', text: 'b' });
    expect(ok.status).toBe(202);
    await cluster.stop();
    const results = {
      send: await timed(post(`/v1/orders/${orderId}/send`, { subject: 'a', text: 'b' })),
      sendIdem: await timed(post(`/v1/orders/${orderId}/send`, { subject: 'a', text: 'b' }, { 'idempotency-key': 'outage-1' })),
      bulk: await timed(post('/v1/messages/batches', { templateId, orderIds: [orderId] })),
      render: await timed(post(`/v1/templates/${templateId}/render`, { orderId })),
      note: await timed(post(`/v1/orders/${orderId}/notes`, { text: 'n' })),
      history: await timed(app.request(`/v1/orders/${orderId}/messages`, { headers: { authorization: `Bearer ${agent}` } })),
      batchProgress: await timed(app.request('/v1/messages/batches/1', { headers: { authorization: `Bearer ${agent}` } })),
    };
    console.log('during outage', results);
    await cluster.start();
    for (const [name, result] of Object.entries(results)) {
      expect(result.status, name).toBe(503);
      expect(result.ms, name).toBeLessThan(3000);
    }
  }, 60_000);
});

describe.runIf(runHere)('attack: PostgreSQL down before the first send (queue never started)', () => {
  let cluster: PgCluster;
  let database: Database;
  let services: Services;
  let app: App;
  let agent: string;

  beforeAll(async () => {
    if (!('bin' in pg)) return;
    cluster = await startPgCluster(pg.bin);
    database = await openDatabase({
      url: cluster.url,
      poolSize: 4,
      timeouts: { connectSeconds: 2, acquireMs: 2000, statementMs: 5000, idleInTransactionMs: 5000 },
    });
    services = createServices({ database, logger: silentLogger, config: testConfig });
    app = createApp(services);
    agent = (await createToken(services, { name: 'outage agent', role: 'agent' })).token;
  });
  afterAll(async () => {
    await services?.queue.stop(500).catch(() => undefined);
    await database?.close().catch(() => undefined);
    await cluster?.remove();
  }, 30_000);

  it('the first send after an outage answers 503 quickly', async () => {
    await cluster.stop();
    const result = await timed(
      app.request('/v1/orders/1/send', {
        method: 'POST',
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'a', text: 'b' }),
      }),
    );
    console.log('first send during outage', result);
    await cluster.start();
    expect(result.status).toBe(503);
    expect(result.ms).toBeLessThan(3000);
  }, 60_000);
});
