import { refreshLookupForms } from './features/orders/orders.lookup-forms.js';
import { deleteExpiredIdempotencyKeys, idempotencyKeyHours } from './http/idempotency.js';
import { archiveOldOrders } from './jobs/archive.js';
import { Scheduler } from './jobs/scheduler.js';
import type { Services } from './services.js';

/** The background worker: today the daily archive and look-up upkeep; later the delivery queue. */
export function createWorker(services: Services) {
  return new Scheduler(
    services.database.db,
    [
      {
        name: 'archive-orders',
        everyMs: 24 * 60 * 60 * 1000,
        run: async (now) => `archived ${await archiveOldOrders(services, now)} order(s)`,
      },
      {
        // Rows saved under older comparison rules get today's look-up forms (runs at the first start after an update).
        name: 'refresh-lookup-forms',
        everyMs: 24 * 60 * 60 * 1000,
        run: async () => {
          const { updated, conflicts } = await refreshLookupForms(services);
          return `${updated} look-up form(s) refreshed, ${conflicts.length} number conflict(s)`;
        },
      },
      {
        // A repeat after idempotencyKeyHours is a new request anyway (the key's own row is also dropped when it comes).
        name: 'expire-idempotency-keys',
        everyMs: 60 * 60 * 1000,
        run: async (now) =>
          `${await deleteExpiredIdempotencyKeys(services, now)} Idempotency-Key(s) older than ${idempotencyKeyHours} h deleted`,
      },
    ],
    services.logger.child({ component: 'worker' }),
    services.config.SCHEDULER_TICK_SECONDS * 1000,
    services.clock,
  );
}
