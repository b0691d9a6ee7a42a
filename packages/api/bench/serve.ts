import { serve } from '@hono/node-server';
import { stopWithParent } from './child-lifecycle.js';
import { createApp } from '../src/app.js';
import { openDatabase } from '../src/db/client.js';
import { readEnv } from '../src/env.js';
import { createToken } from '../src/features/tokens/tokens.service.js';
import { createLogger } from '../src/logger.js';
import { createServices } from '../src/services.js';
import { createWorker } from '../src/worker.js';

/**
 * The API under test, as `pnpm start` runs it (the worker only with WORKER=true): the
 * database from DATABASE_URL or DATA_DIR, on 127.0.0.1 and a free port. Prints
 * `{"port":…,"token":…}` on one line when ready (the token may import and read).
 */
const env = readEnv();
const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE });
// An integration token imports and reads; the match benchmark asks for an agent's, the send benchmark an admin's.
const role = process.env.BENCH_TOKEN_ROLE === 'agent' ? 'agent' : process.env.BENCH_TOKEN_ROLE === 'admin' ? 'admin' : 'integration';
const services = createServices({ database, logger: createLogger(env.LOG_LEVEL), config: env });
const { token } = await createToken(services, { name: `bench ${new Date().toISOString()}`, role });
const app = createApp(services);
// The send benchmark runs the worker in the same process, as `npm start` does (WORKER=true).
const worker = env.WORKER ? createWorker(services) : null;
await worker?.start();
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port, token, database: database.kind })}\n`);
});

stopWithParent(server, async () => {
  await worker?.stop(2000);
  await services.mail.close();
  await database.close();
});
