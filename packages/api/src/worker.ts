import { archiveOldOrders } from './jobs/archive.js';
import { Scheduler } from './jobs/scheduler.js';
import type { Services } from './services.js';

/** The background worker: today the daily archive; later the delivery queue. */
export function createWorker(services: Services) {
  return new Scheduler(
    services.database.db,
    [
      {
        name: 'archive-orders',
        everyMs: 24 * 60 * 60 * 1000,
        run: async (now) => `archived ${await archiveOldOrders(services, now)} order(s)`,
      },
    ],
    services.logger.child({ component: 'worker' }),
    services.config.SCHEDULER_TICK_SECONDS * 1000,
    services.clock,
  );
}
