import { refreshLookupForms, refreshLookupFormsJob } from './features/orders/orders.lookup-forms.js';
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
        // Rows saved under older comparison rules get today's look-up forms (runs at the first start after an update);
        // a change of the shop's default country asks for it at once (settings.service.ts).
        name: refreshLookupFormsJob,
        everyMs: 24 * 60 * 60 * 1000,
        run: async () => {
          const { updated, phones, conflicts } = await refreshLookupForms(services);
          return `${updated} look-up form(s) refreshed, ${phones} phone(s) read again, ${conflicts.length} number conflict(s)`;
        },
      },
    ],
    services.logger.child({ component: 'worker' }),
    services.config.SCHEDULER_TICK_SECONDS * 1000,
    services.clock,
  );
}
