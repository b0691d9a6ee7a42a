import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { openDatabase } from './db/client.js';
import { ConfigError, readEnv, type Env } from './env.js';
import { ensureFirstAdminToken } from './features/tokens/tokens.service.js';
import { createLogger } from './logger.js';
import { createWorker } from './worker.js';

async function main(env: Env) {
  const logger = createLogger(env.LOG_LEVEL);
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE });
  const firstToken = await ensureFirstAdminToken(database.db);
  const app = createApp({ database, logger, config: env });
  const worker = env.WORKER ? createWorker(database, env, logger) : null;

  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const url = `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`;
    const lines = [
      '',
      `Orderpost API listening on ${url}`,
      `  database: ${database.kind} (${database.location})`,
      `  worker:   ${worker ? 'running in this process' : 'off (WORKER=false)'}`,
      `  docs:     ${url}/docs   OpenAPI: ${url}/openapi.json`,
    ];
    if (firstToken) {
      lines.push(
        '',
        '  First start: an admin token was created. It is shown only this once; keep it safe:',
        `    ${firstToken}`,
        `  Try: curl -H "Authorization: Bearer ${firstToken}" ${url}/v1/orders`,
      );
    } else {
      lines.push('  tokens:   create one with `pnpm token create --role admin --name me` (or POST /v1/tokens)');
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  });
  worker?.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    deadline.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await worker?.stop();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

try {
  await main(readEnv());
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Orderpost could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
