import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { orderPage } from '@orderpost/shared';
import { json, sampleOrder } from './context.js';
import { createProcessDatabase, killSpawned, runScript, spawnScript, type ProcessDatabase, type Spawned } from './process.js';

// Each test starts Node processes that open a database: seconds on a quiet machine, far more on a loaded one.
vi.setConfig({ testTimeout: 240_000 });

/** `pnpm start` runs this; the tests start it the same way, on a free port. */
const entry = 'src/index.ts';

const databases: ProcessDatabase[] = [];
async function freshDatabase() {
  const database = await createProcessDatabase();
  databases.push(database);
  return database;
}
afterEach(() => killSpawned());
afterAll(async () => {
  killSpawned();
  await Promise.all(databases.map((database) => database.remove()));
});

function startServer(database: ProcessDatabase, env: Record<string, string> = {}) {
  return spawnScript(entry, [], {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_SECONDS: '15',
    ...database.env,
    ...env,
  });
}

async function listening(server: Spawned) {
  const [, url] = await server.waitForOutput(/Orderpost API listening on (http:\/\/127\.0\.0\.1:\d+)\n/, 90_000);
  // The token block, when there is one, is written together with the address.
  await server.waitForOutput(/(?:tokens: |Try: curl)[^\n]*\n/, 5_000);
  return url ?? '';
}

const firstTokenIn = (output: string) => /First start: an admin token was created[^\n]*\n\s+(op_[0-9A-Za-z]{40})\n/.exec(output)?.[1];
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function stop(server: Spawned) {
  server.child.kill('SIGTERM');
  expect(await server.exited(20_000), server.stdout() + server.stderr()).toBe(0);
  expect(server.stdout()).toMatch(/"msg":"stopped"/);
}

describe('starting the server', () => {
  it('prints an admin token on the first start only; a restart keeps tokens and data', async () => {
    const database = await freshDatabase();
    const first = startServer(database);
    const url = await listening(first);
    const token = firstTokenIn(first.stdout());
    expect(token, first.stdout()).toBeDefined();
    expect(first.stdout()).toContain(`database: ${database.kind}`);
    expect(first.stdout()).toContain('mail:     default mailbox not set: e-mail is kept queued until SMTP_URL and MAIL_FROM are set');

    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ok', database: database.kind });
    const created = await fetch(`${url}/v1/orders`, {
      method: 'POST',
      headers: { ...bearer(token ?? ''), 'content-type': 'application/json' },
      body: JSON.stringify(sampleOrder({ number: 'RESTART-1' })),
    });
    expect(created.status).toBe(201);
    await stop(first);

    const second = startServer(database);
    const secondUrl = await listening(second);
    expect(firstTokenIn(second.stdout())).toBeUndefined();
    expect(second.stdout()).not.toMatch(/op_[0-9A-Za-z]{40}/);
    expect(second.stdout()).toContain('pnpm token create');
    const orders = await fetch(`${secondUrl}/v1/orders?number=RESTART-1`, { headers: bearer(token ?? '') });
    expect(orders.status).toBe(200);
    expect((await json(orders, orderPage)).orders.map((o) => o.number)).toEqual(['RESTART-1']);
    await stop(second);
  });

  it('on SIGTERM finishes the request in flight, refuses new connections, then exits 0 with "stopped"', async () => {
    const database = await freshDatabase();
    const server = startServer(database);
    const url = new URL(await listening(server));
    const token = firstTokenIn(server.stdout()) ?? '';

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify(sampleOrder({ number: 'INFLIGHT-1' }));
    const inFlight = httpRequest({
      host: url.hostname,
      port: url.port,
      path: '/v1/orders',
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      inFlight.on('response', (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (chunk: string) => (text += chunk))
          .on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      inFlight.on('error', reject);
    });
    inFlight.write(body.slice(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));

    server.child.kill('SIGTERM');
    await server.waitForOutput(/shutting down/, 10_000);
    await expect(fetch(`${url.origin}/healthz`)).rejects.toThrow();
    expect(server.child.exitCode).toBeNull();

    inFlight.end(body.slice(100));
    const response = await answered;
    expect(response.status, response.text).toBe(201);
    expect(JSON.parse(response.text)).toMatchObject({ number: 'INFLIGHT-1' });

    expect(await server.exited(20_000)).toBe(0);
    expect(server.stdout()).toMatch(/"msg":"stopped"/);

    // The order answered with 201 was really saved.
    const again = startServer(database);
    const againUrl = await listening(again);
    const orders = await fetch(`${againUrl}/v1/orders?number=INFLIGHT-1`, { headers: bearer(token) });
    expect((await json(orders, orderPage)).orders).toHaveLength(1);
    await stop(again);
  });

  it('when the port is taken, exits 1 with a clear message and creates no token nobody would see', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const database = await freshDatabase();
    try {
      const failed = await runScript(entry, [], { ...database.env, PORT: String(port), HOST: '127.0.0.1', WORKER: 'false' }, 90_000);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(failed.stdout).not.toMatch(/op_[0-9A-Za-z]{40}/);
    } finally {
      blocker.close();
    }
    const next = startServer(database, { WORKER: 'false' });
    await listening(next);
    expect(firstTokenIn(next.stdout())).toBeDefined();
    await stop(next);
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://root:secret@localhost/shop'],
    ['LOG_LEVEL', 'loud'],
    ['MAIL_FROM', 'not an address'],
  ])('with %s=%s exits with code 2 and a message naming the variable', async (name, value) => {
    const mail: Record<string, string> = name === 'MAIL_FROM' ? { SMTP_URL: 'smtp://127.0.0.1:2525' } : {};
    const result = await runScript(entry, [], { DATA_DIR: '/nonexistent/never-created', ...mail, [name]: value }, 30_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${name}:`);
    expect(result.stderr).not.toContain('secret');
    expect(result.stdout).not.toContain('listening');
  });
});
