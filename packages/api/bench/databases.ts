import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { redactUrl } from '../src/db/client.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** A throw-away database for one benchmark run, and how the two servers reach it. */
export interface BenchDatabase {
  kind: DatabaseKind;
  location: string;
  /** Environment of bench/serve.ts (read by the API's own readEnv). */
  serverEnv: Record<string, string>;
  /** Environment of bench/reference-server.ts. */
  referenceEnv: Record<string, string>;
  /** Updates the planner statistics, as autovacuum would some time after a bulk import. No server may hold a PGlite folder then. */
  analyze(): Promise<void>;
  drop(): Promise<void>;
}

const serverDefaults = { LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', WORKER: 'false' };

export async function freshPglite(): Promise<BenchDatabase> {
  const folder = await mkdtemp(join(tmpdir(), 'orderpost-bench-'));
  const dataDir = join(folder, 'data');
  return {
    kind: 'pglite',
    location: dataDir,
    serverEnv: { ...serverDefaults, DATABASE_URL: '', DATA_DIR: dataDir },
    referenceEnv: { BENCH_DATA_DIR: dataDir, BENCH_DATABASE_URL: '' },
    analyze: async () => {
      const client = await PGlite.create(dataDir);
      await client.exec('analyze');
      await client.close();
    },
    drop: () => rm(folder, { recursive: true, force: true }),
  };
}

/** Null when the server answers, otherwise why not. */
export async function postgresProblem(serverUrl: string): Promise<string | null> {
  const sql = postgres(serverUrl, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

/** A new database on the server, dropped again by `drop()`. */
export async function freshPostgres(serverUrl: string): Promise<BenchDatabase> {
  const name = `orderpost_bench_${randomBytes(5).toString('hex')}`;
  const admin = () => postgres(serverUrl, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  const creator = admin();
  await creator.unsafe(`create database ${name}`);
  await creator.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    location: redactUrl(url.toString()),
    serverEnv: { ...serverDefaults, DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '10' },
    referenceEnv: { BENCH_DATABASE_URL: url.toString(), BENCH_DATA_DIR: '' },
    analyze: async () => {
      const sql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
      await sql`analyze`;
      await sql.end();
    },
    drop: async () => {
      const dropper = admin();
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
