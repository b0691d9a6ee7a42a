import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { createApp } from './app.js';
import { DatabaseInUseError, openDatabase, timeoutsFrom, type Database } from './db/client.js';
import { ConfigError, readEnv, type Env } from './env.js';
import { startServer } from './http/serve.js';
import { ensureFirstAdminToken } from './features/tokens/tokens.service.js';
import { describeDefaultMailbox } from './features/mailboxes/default-mailbox.js';
import { createLogger } from './logger.js';
import { createServices } from './services.js';
import { createWorker } from './worker.js';

async function main(env: Env) {
  // A MAIL_FROM that is no address or an unreadable DKIM key stops the start here, before anything is opened.
  const defaultMailbox = describeDefaultMailbox(env);
  const logger = createLogger(env.LOG_LEVEL);
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolSize: env.DATABASE_POOL_SIZE,
    timeouts: timeoutsFrom(env),
  });
  const services = createServices({ database, logger, config: env });
  const app = createApp(services);
  const worker = env.WORKER ? createWorker(services) : null;

  const server = startServer(app, { port: env.PORT, hostname: env.HOST });
  let info: AddressInfo;
  try {
    info = await listening(server, env);
  } catch (error) {
    await database.close();
    throw error;
  }
  // Only once the port is ours: a start that fails must not create a token nobody ever sees.
  const firstToken = await ensureFirstAdminToken(services);

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
    await services.mail.close();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Announced only once a signal would stop the server cleanly: whoever waits for this line may stop it right away.
  await worker?.start();
  process.stdout.write(startMessage(info, database, worker !== null, firstToken, defaultMailbox));
}

function startMessage(
  info: AddressInfo,
  database: Database,
  workerRunning: boolean,
  firstToken: string | null,
  defaultMailbox: string,
): string {
  const url = `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`;
  const lines = [
    '',
    `Orderpost API listening on ${url}`,
    `  database: ${database.kind} (${database.location})`,
    `  worker:   ${workerRunning ? 'running in this process' : 'off (WORKER=false)'}`,
    `  docs:     ${url}/docs   OpenAPI: ${url}/openapi.json`,
    `  mail:     ${defaultMailbox}`,
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
  return `${lines.join('\n')}\n\n`;
}

/** Resolves once the server listens; a port that is taken becomes a clear message instead of a crash. */
function listening(server: ServerType, env: Pick<Env, 'PORT' | 'HOST'>): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new StartError(`port ${env.PORT} on ${env.HOST} is already in use; stop what uses it or set PORT`));
      else if (error.code === 'EACCES')
        reject(new StartError(`not allowed to listen on port ${env.PORT} on ${env.HOST}; set PORT to a port above 1023`));
      else reject(error);
    });
    server.once('listening', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error(`unexpected server address ${String(address)}`));
      else resolve(address);
    });
  });
}

/** A start-up problem the operator can fix; printed without a stack trace. */
class StartError extends Error {}

try {
  await main(readEnv());
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const detail =
    error instanceof StartError || error instanceof DatabaseInUseError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`Orderpost could not start: ${detail}\n`);
  process.exit(1);
}
