import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.js';
import { type Database, openDatabase } from '../db/client.js';
import { createToken } from '../features/tokens/tokens.service.js';
import { silentLogger } from '../logger.js';
import { createServices } from '../services.js';
import { errorBody, sampleOrder, testConfig } from '../../test/context.js';
import { testDatabaseKind } from '../../test/database.js';
import { findPgBin, type PgCluster, startPgCluster } from '../../test/pg-cluster.js';

/**
 * PostgreSQL stopped under a running API. The cluster is this file's own (not
 * TEST_DATABASE_URL's server, which others use), so the file runs once, in the
 * PGlite project. PGlite itself runs inside the process: it has no outage of this kind.
 */
const pg = findPgBin();
const runHere = testDatabaseKind() === 'pglite' && 'bin' in pg;
if (testDatabaseKind() === 'pglite' && 'missing' in pg) console.warn(`database outage tests skipped: ${pg.missing}`);

/** Generous: a request that has not settled by then counts as hanging. Not a timing assertion. */
const hangGuardMs = 5000;

async function settles(response: Promise<Response> | Response): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${hangGuardMs} ms: the request hangs`)), hangGuardMs);
  });
  try {
    return await Promise.race([Promise.resolve(response), hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe.runIf(runHere)('PostgreSQL stops while the API runs', () => {
  let cluster: PgCluster;
  let database: Database;
  let app: App;
  let admin: string;
  let agent: string;
  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    if (!('bin' in pg)) return;
    cluster = await startPgCluster(pg.bin);
    database = await openDatabase({
      url: cluster.url,
      poolSize: 4,
      timeouts: { connectSeconds: 2, acquireMs: 2000, statementMs: 5000, idleInTransactionMs: 5000 },
    });
    app = createApp({ database, logger: silentLogger, config: testConfig });
    const services = createServices({ database, logger: silentLogger, config: testConfig });
    admin = (await createToken(services, { name: 'outage admin', role: 'admin' })).token;
    agent = (await createToken(services, { name: 'outage agent', role: 'agent' })).token;
  });
  afterAll(async () => {
    await database?.close().catch(() => undefined);
    await cluster?.remove();
  });

  async function expectUnavailable(res: Response) {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    const body = await errorBody(res);
    expect(body.error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', requestId: res.headers.get('x-request-id') });
  }

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After at once, /readyz 503, and recovers when it is back', async () => {
    expect((await app.request('/v1/orders', as(admin))).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);

    await cluster.stop();

    // Sequential and parallel requests, reads and writes, a cached token and one never seen: none hangs, all say 503.
    for (let round = 0; round < 8; round++) {
      await expectUnavailable(await settles(app.request('/v1/orders', as(admin))));
    }
    await expectUnavailable(await settles(app.request('/v1/orders', as(agent))));
    await expectUnavailable(
      await settles(
        app.request('/v1/orders', {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify(sampleOrder({ number: 'OUTAGE-1' })),
        }),
      ),
    );
    const parallel = await Promise.all(Array.from({ length: 12 }, () => settles(app.request('/v1/orders?limit=1', as(admin)))));
    for (const res of parallel) await expectUnavailable(res);

    const ready = await settles(app.request('/readyz'));
    expect(ready.status).toBe(503);
    expect((await errorBody(ready)).error.code).toBe('NOT_READY');
    expect((await settles(app.request('/healthz'))).status).toBe(200);

    await cluster.start();
    // The pool reconnects by itself: ready again, and requests work.
    let readyAgain = 0;
    for (let attempt = 0; attempt < 60 && readyAgain !== 200; attempt++) {
      readyAgain = (await settles(app.request('/readyz'))).status;
      if (readyAgain !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(readyAgain).toBe(200);
    expect((await settles(app.request('/v1/orders', as(admin)))).status).toBe(200);
    const created = await app.request('/v1/orders', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleOrder({ number: 'OUTAGE-2' })),
    });
    expect(created.status).toBe(201);
  });
});
