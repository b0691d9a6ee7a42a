import { type DeliveryPorts, deliverBatch, releaseHeld } from './features/messages/delivery.js';
import { deliveryPorts } from './features/messages/delivery.ports.js';
import { refreshLookupForms, refreshLookupFormsJob } from './features/orders/orders.lookup-forms.js';
import { deleteExpiredIdempotencyKeys, idempotencyKeyHours } from './http/idempotency.js';
import { archiveOldOrders } from './jobs/archive.js';
import { Scheduler } from './jobs/scheduler.js';
import type { Services } from './services.js';

export interface Worker {
  /** Starts the periodic jobs and the delivery workers; resolves once deliveries are being taken. */
  start(): Promise<void>;
  /** Lets sends in flight finish (up to the grace time) and stops. */
  stop(graceMs?: number): Promise<void>;
  /** Runs the periodic jobs that are due now (tests and tools). */
  runDue(): Promise<string[]>;
}

/**
 * The background worker: periodic jobs on the in-process scheduler (daily
 * archive and look-up upkeep), and e-mail delivery from the pg-boss queue,
 * woken by NOTIFY when a send commits.
 */
export function createWorker(services: Services, ports: DeliveryPorts = deliveryPorts(services)): Worker {
  const logger = services.logger.child({ component: 'worker' });
  const scheduler = new Scheduler(
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
      {
        // A repeat after idempotencyKeyHours is a new request anyway (the key's own row is also dropped when it comes).
        name: 'expire-idempotency-keys',
        everyMs: 60 * 60 * 1000,
        run: async (now) =>
          `${await deleteExpiredIdempotencyKeys(services, now)} Idempotency-Key(s) older than ${idempotencyKeyHours} h deleted`,
      },
    ],
    logger,
    services.config.SCHEDULER_TICK_SECONDS * 1000,
    services.clock,
  );
  return {
    async start() {
      scheduler.start();
      if (services.config.SMTP_URL && services.config.MAIL_FROM) {
        const released = await releaseHeld(services);
        if (released > 0) logger.info({ released }, 'e-mails held for want of a mailbox are queued again');
      }
      // Several batches at once keep the SMTP connections busy while the next batch is claimed and rendered.
      await services.queue.work<{ messageId: number }>(
        'deliverEmail',
        {
          batchSize: 100,
          localConcurrency: 3,
          perJobResults: true,
          // Retries wake no one (no NOTIFY): poll often enough that a retry goes out soon after its delay.
          pollingIntervalSeconds: Math.min(5, services.config.DELIVERY_RETRY_DELAY_SECONDS),
          notifyPollingIntervalSeconds: Math.min(5, services.config.DELIVERY_RETRY_DELAY_SECONDS),
          burstWhenBatchFull: true,
        },
        (jobs) => deliverBatch(services, ports, jobs),
      );
    },
    async stop(graceMs = 10_000) {
      await scheduler.stop();
      await services.queue.stop(graceMs);
    },
    runDue: () => scheduler.runDue(),
  };
}
