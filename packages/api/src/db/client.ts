import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { advisoryLockKeys } from './advisory-locks.js';
import * as schema from './schema/index.js';
import { type Env, readEnv } from '../env.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The embedded database's client (PGlite only): the job queue shares it. */
  pglite?: PGlite;
  /** PostgreSQL only: the connection URL, for the job queue's own pool. */
  url?: string;
  /** Where it lives, for the start-up message (no password). */
  location: string;
  /**
   * A raw read as a prepared statement (drizzle's execute() is not prepared on
   * postgres-js). The hot reads are drizzle queries with `.prepare()`, typed by
   * the schema; this is for the odd statement outside it. Not for use inside a
   * transaction.
   */
  queryRows<T>(query: SQL): Promise<T[]>;
  /**
   * Statement text already written out (a drizzle query's `.toSQL()`, taken
   * once) run as a prepared statement: for the hottest read, which then skips
   * drizzle's session per call. Rows come as the driver gives them (column
   * names as in the text; timestamps as text on postgres-js, as dates on PGlite).
   */
  queryText<T>(text: string, params: unknown[]): Promise<T[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const dialect = new PgDialect();

type QueryText = <T>(text: string, params: unknown[]) => Promise<T[]>;

/** queryRows writes a drizzle SQL out and runs it with the driver's own call. */
function rawQueries(queryText: QueryText): Pick<Database, 'queryRows' | 'queryText'> {
  return {
    queryText,
    queryRows: <T>(query: SQL) => {
      const { sql: text, params } = dialect.sqlToQuery(query);
      return queryText<T>(text, params);
    },
  };
}

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent, the embedded PGlite database in `dataDir` is used. */
  url?: string;
  /** PGlite data folder; `memory://` for a throw-away database. */
  dataDir?: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  /** How long PostgreSQL may take before a request gives up on it (PGlite runs in the process: no outage of this kind). */
  timeouts?: DatabaseTimeouts;
}

/** Bounds on waiting for PostgreSQL, so an outage answers 503 at once instead of hanging requests. */
export interface DatabaseTimeouts {
  /** One attempt to open a connection (the driver's connect_timeout). */
  connectSeconds: number;
  /** Waiting for a connection from the pool, connecting included; a statement not sent by then is dropped. */
  acquireMs: number;
  /** A statement's run time on the server (statement_timeout); the driver also gives up this long after sending one. */
  statementMs: number;
  /** A transaction left idle (idle_in_transaction_session_timeout). */
  idleInTransactionMs: number;
}

export function timeoutsFrom(
  env: Pick<
    Env,
    | 'DATABASE_CONNECT_TIMEOUT_SECONDS'
    | 'DATABASE_ACQUIRE_TIMEOUT_MS'
    | 'DATABASE_STATEMENT_TIMEOUT_MS'
    | 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS'
  >,
): DatabaseTimeouts {
  return {
    connectSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
    acquireMs: env.DATABASE_ACQUIRE_TIMEOUT_MS,
    statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10, options.timeouts ?? timeoutsFrom(readEnv({})));
  const database = await openPglite(options.dataDir ?? 'memory://');
  await migratePglite(database.db as never, { migrationsFolder });
  return database;
}

/** Thrown when the embedded database's folder is already open in another process. */
export class DatabaseInUseError extends Error {}

/**
 * PGlite does not lock its folder, and two processes writing one folder lose
 * data. A lock file with the owner's pid keeps a second process out; a lock
 * left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, 'orderpost.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8').trim());
      if (owner && owner !== process.pid && processIsAlive(owner)) {
        throw new DatabaseInUseError(
          `The embedded database in ${dataDir} is in use by process ${owner}. Stop that process first ` +
            '(one process at a time may open it), or use PostgreSQL through DATABASE_URL.',
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new DatabaseInUseError(`Could not lock the embedded database in ${dataDir}`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : lockDataDir(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    location: dataDir.startsWith('memory://') ? 'in memory' : dataDir,
    ...rawQueries(async <T>(text: string, params: unknown[]) => (await client.query<T>(text, params)).rows),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

async function openPostgres(url: string, poolSize: number, timeouts: DatabaseTimeouts): Promise<Database> {
  const pool = postgres(url, {
    max: poolSize,
    onnotice: () => undefined,
    connect_timeout: timeouts.connectSeconds,
    // The driver's default waits up to 20 s (growing 3× per failure) before reconnecting, and a request
    // handed to that connection waits with it: during an outage requests hung for many seconds. A short,
    // capped delay lets them fail at once (and still spares a database that is coming back).
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    // The hot reads are prepared statements probing indexes with = / = any(): a generic plan is as good as a
    // custom one, and re-planning each call (the default for the first executions and for array parameters)
    // costs more than running them.
    // Parallel workers cost more to start than these millisecond queries take (a generic plan over
    // 100,000 orders chose them and ran 20× slower).
    connection: {
      plan_cache_mode: 'force_generic_plan',
      max_parallel_workers_per_gather: '0',
      statement_timeout: timeouts.statementMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    },
  });
  const client = withDeadlines(pool, timeouts);
  const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Db;
  // Several API and worker processes may start at once: one migrates, the others
  // wait on the lock and then find nothing left to do.
  const lockHolder = await client.reserve();
  try {
    await lockHolder`select pg_advisory_lock(${advisoryLockKeys.migrations})`;
    await migratePostgres(db as never, { migrationsFolder });
  } finally {
    await lockHolder`select pg_advisory_unlock(${advisoryLockKeys.migrations})`.catch(() => undefined);
    lockHolder.release();
  }
  return {
    db,
    kind: 'postgres',
    url,
    location: redactUrl(url),
    ...rawQueries(
      async <T>(text: string, params: unknown[]) => (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[],
    ),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end({ timeout: 5 }),
  };
}

/** PostgreSQL could not be reached in time; answered as 503 DATABASE_UNAVAILABLE. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_TIMEOUT';
}

type PendingQuery = Promise<unknown> & { state?: unknown; cancel(): unknown; reject?: (error: unknown) => void };

/**
 * The pool with deadlines drizzle cannot set: a statement still waiting for a
 * connection after `acquireMs` is taken out of the queue (it never runs), one
 * sent but unanswered (a server that vanished without closing the socket) is
 * abandoned after `statementMs` more, and a transaction that got no connection
 * in `acquireMs` is given up before it starts.
 */
function withDeadlines(pool: postgres.Sql, timeouts: DatabaseTimeouts): postgres.Sql {
  const graceMs = 1000;
  const bound = (query: PendingQuery) => {
    const giveUp = () => {
      if (!query.state) {
        // Not sent yet: cancelling removes it from the queue and rejects it (57014).
        query.cancel();
        return;
      }
      abandon = setTimeout(() => {
        query.cancel();
        query.reject?.(
          new DatabaseUnavailableError(`PostgreSQL did not answer within ${timeouts.acquireMs + timeouts.statementMs + graceMs} ms`),
        );
      }, timeouts.statementMs + graceMs);
    };
    let abandon: NodeJS.Timeout | undefined;
    const timer = setTimeout(giveUp, timeouts.acquireMs);
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(abandon);
    };
    query.then(settle, settle);
    return query;
  };
  const begin = (...args: unknown[]) => {
    const work = args.pop() as (tx: unknown) => unknown;
    let started = false;
    let abandoned = false;
    const run = (pool.begin as (...a: unknown[]) => Promise<unknown>)(...args, (tx: unknown) => {
      if (abandoned) throw new DatabaseUnavailableError('transaction abandoned: no connection in time');
      started = true;
      return work(tx);
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (started) return;
        abandoned = true;
        reject(new DatabaseUnavailableError(`No PostgreSQL connection within ${timeouts.acquireMs} ms`));
      }, timeouts.acquireMs);
      run.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  };
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'unsafe') return (...args: Parameters<postgres.Sql['unsafe']>) => bound(target.unsafe(...args) as PendingQuery);
      if (property === 'begin') return begin;
      return Reflect.get(target, property, receiver);
    },
  });
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}

/** Rows of a raw `execute()`: PGlite returns `{ rows }`, postgres-js an array. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
