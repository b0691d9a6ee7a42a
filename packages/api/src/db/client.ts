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
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where it lives, for the start-up message (no password). */
  location: string;
  /**
   * A raw read as a prepared statement (drizzle's execute() is not prepared on
   * postgres-js). The hot reads are drizzle queries with `.prepare()`, typed by
   * the schema; this is for the odd statement outside it. Not for use inside a
   * transaction.
   */
  queryRows<T>(query: SQL): Promise<T[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const dialect = new PgDialect();

type QueryText = <T>(text: string, params: unknown[]) => Promise<T[]>;

/** queryRows writes a drizzle SQL out and runs it with the driver's own call. */
function rawQueries(queryText: QueryText): Pick<Database, 'queryRows'> {
  return {
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
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
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

const migrationLockKey = 727_100_001;

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => undefined,
    // The hot reads are prepared statements probing indexes with = / = any(): a generic plan is as good as a
    // custom one, and re-planning each call (the default for the first executions and for array parameters)
    // costs more than running them.
    // Parallel workers cost more to start than these millisecond queries take (a generic plan over
    // 100,000 orders chose them and ran 20× slower).
    connection: { plan_cache_mode: 'force_generic_plan', max_parallel_workers_per_gather: '0' },
  });
  const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Db;
  // Several API and worker processes may start at once: one migrates, the others
  // wait on the lock and then find nothing left to do.
  const lockHolder = await client.reserve();
  try {
    await lockHolder`select pg_advisory_lock(${migrationLockKey})`;
    await migratePostgres(db as never, { migrationsFolder });
  } finally {
    await lockHolder`select pg_advisory_unlock(${migrationLockKey})`.catch(() => undefined);
    lockHolder.release();
  }
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    ...rawQueries(
      async <T>(text: string, params: unknown[]) => (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[],
    ),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.end({ timeout: 5 }),
  };
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
