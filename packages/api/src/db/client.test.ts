import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind } from '../../test/database.js';
import { DatabaseInUseError, openDatabase } from './client.js';

describe.skipIf(testDatabaseKind() !== 'postgres')('PostgreSQL connections', () => {
  it('plan hot reads once (generic plans) and start no parallel workers', async () => {
    const database = await openTestDatabase();
    try {
      const [settings] = await database.queryRows<{ plans: string; workers: string }>(
        sql`select current_setting('plan_cache_mode') as plans, current_setting('max_parallel_workers_per_gather') as workers`,
      );
      expect(settings).toEqual({ plans: 'force_generic_plan', workers: '0' });
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(testDatabaseKind() !== 'pglite')('the embedded database folder', () => {
  it('is opened by one process at a time, with a clear message for the second', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'orderpost-lock-'));
    const dataDir = join(folder, 'data');
    try {
      const first = await openDatabase({ dataDir });
      // Another live process holding the folder: the test runner's parent stands in for it.
      writeFileSync(join(dataDir, 'orderpost.lock'), String(process.ppid));
      await expect(openDatabase({ dataDir })).rejects.toThrow(DatabaseInUseError);
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process \d+\. Stop that process first/);
      writeFileSync(join(dataDir, 'orderpost.lock'), String(process.pid));
      await first.close();
      expect(existsSync(join(dataDir, 'orderpost.lock'))).toBe(false);
      // A lock left by a process that is gone is taken over.
      writeFileSync(join(dataDir, 'orderpost.lock'), '999999999');
      const again = await openDatabase({ dataDir });
      await again.close();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
