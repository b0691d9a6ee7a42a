import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind } from '../../test/database.js';

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
