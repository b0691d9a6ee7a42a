import type { Database } from './db/client.js';
import type { Env } from './env.js';
import { archiveOldOrders } from './jobs/archive.js';
import { Scheduler } from './jobs/scheduler.js';
import type { Logger } from './logger.js';

/** The background worker: today the daily archive; later the delivery queue. */
export function createWorker(
  database: Database,
  env: Pick<Env, 'ARCHIVE_AFTER_DAYS' | 'SCHEDULER_TICK_SECONDS'>,
  logger: Logger,
  clock: () => Date = () => new Date(),
) {
  return new Scheduler(
    database.db,
    [
      {
        name: 'archive-orders',
        everyMs: 24 * 60 * 60 * 1000,
        run: async (now) => `archived ${await archiveOldOrders(database.db, env.ARCHIVE_AFTER_DAYS, now)} order(s)`,
      },
    ],
    logger.child({ component: 'worker' }),
    env.SCHEDULER_TICK_SECONDS * 1000,
    clock,
  );
}
