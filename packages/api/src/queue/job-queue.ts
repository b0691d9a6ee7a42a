import { sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, type Job, type JobInsert, PgBoss, type Queue, type WorkOptions } from 'pg-boss';
import type { Database, Tx } from '../db/client.js';
import type { Logger } from '../logger.js';

/**
 * The durable job queue (pg-boss, schema `pgboss`) on the application's own
 * database: PGlite through pg-boss's adapter, PostgreSQL through its own small
 * pool. Jobs are enqueued inside the caller's drizzle transaction, so they
 * exist only if the change that asked for them commits.
 *
 * Every queue is created at start: on PGlite, enqueueing to a queue that does
 * not exist yet (or sending outside the caller's transaction while it is open)
 * would wait for the single connection that transaction holds.
 */
export const queueDefinitions = {
  /** One job per outgoing e-mail: { messageId } (the order_messages row). */
  deliverEmail: {
    name: 'deliver-email',
    options: {
      // A job whose worker died (SIGKILL, power loss) is offered again after this.
      expireInSeconds: 120,
      // Transient SMTP failures are retried with backoff; the worker itself gives up
      // once the message is older than DELIVERY_MAX_AGE_HOURS.
      retryLimit: 1000,
      retryDelay: 15,
      retryBackoff: true,
      retryDelayMax: 1800,
      retentionSeconds: 14 * 24 * 3600,
      deleteAfterSeconds: 24 * 3600,
      notify: true,
    },
  },
} as const satisfies Record<string, { name: string; options: Omit<Queue, 'name'> }>;

export type QueueKey = keyof typeof queueDefinitions;

export interface JobQueueOptions {
  /** Run pg-boss's maintenance (expiry, retention) here; off in API-only processes. */
  supervise?: boolean;
  /** Connections pg-boss opens to PostgreSQL (PGlite shares the one client). */
  poolSize?: number;
  /** How long a delivery job may stay active before it is offered again (a worker died): DELIVERY_LEASE_SECONDS. */
  deliveryLeaseSeconds?: number;
  /** First retry delay of a delivery (doubling each time): DELIVERY_RETRY_DELAY_SECONDS. */
  deliveryRetryDelaySeconds?: number;
}

export class JobQueue {
  private boss: PgBoss | null = null;
  private starting: Promise<PgBoss> | null = null;
  private stopped = false;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly options: JobQueueOptions = {},
  ) {}

  /**
   * Starts pg-boss once (installs or migrates its schema, creates the queues).
   * Call it before opening a transaction that enqueues: on PGlite a start from
   * inside one would wait for the connection the transaction holds.
   */
  ready(): Promise<PgBoss> {
    if (this.boss) return Promise.resolve(this.boss);
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  get started(): boolean {
    return this.boss !== null;
  }

  private async start(): Promise<PgBoss> {
    // Jobs of a worker that died are given back by pg-boss's monitor pass: run it about as often as a
    // delivery lease lasts (at most every minute), so a message is not stuck long after its lease ran out.
    const sweepSeconds = Math.max(1, Math.min(60, this.options.deliveryLeaseSeconds ?? 60));
    const common = {
      schema: 'pgboss',
      superviseIntervalSeconds: sweepSeconds,
      monitorIntervalSeconds: sweepSeconds,
      supervise: this.options.supervise ?? true,
      // Periodic jobs run on the in-process scheduler (README: "Background work").
      schedule: false,
      useListenNotify: true,
      migrate: true,
    };
    const pglite = this.database.pglite;
    const boss = pglite
      ? new PgBoss({ ...common, backend: 'pglite', db: fromPglite(pglite) })
      : new PgBoss({ ...common, connectionString: this.database.url, max: this.options.poolSize ?? 4 });
    boss.on('error', (error) => this.logger.error({ err: error }, 'job queue error'));
    boss.on('warning', (warning) => this.logger.warn({ warning }, 'job queue warning'));
    await boss.start();
    for (const [key, definition] of Object.entries(queueDefinitions)) {
      const { name } = definition;
      const options = { ...definition.options, ...(key === 'deliverEmail' ? this.deliveryOverrides() : {}) };
      const existing = await boss.getQueue(name);
      if (existing) await boss.updateQueue(name, options);
      else await boss.createQueue(name, options);
    }
    this.boss = boss;
    return boss;
  }

  /** The job expires a little after the message's lease, so the lease has run out when the job is offered again. */
  private deliveryOverrides() {
    const { deliveryLeaseSeconds: lease, deliveryRetryDelaySeconds: retryDelay } = this.options;
    return { ...(lease ? { expireInSeconds: lease + 5 } : {}), ...(retryDelay ? { retryDelay } : {}) };
  }

  /** Enqueues jobs inside `tx`: they become visible (and wake workers) when it commits. */
  async enqueue(tx: Tx, key: QueueKey, jobs: JobInsert[]): Promise<void> {
    if (jobs.length === 0) return;
    const boss = this.requireStarted();
    const db = fromDrizzle(tx as never, sql as never);
    // pg-boss inserts a list with one statement; chunks keep the statement's parameters bounded.
    for (let start = 0; start < jobs.length; start += 1000) {
      await boss.insert(queueDefinitions[key].name, jobs.slice(start, start + 1000), { db });
    }
  }

  /** Registers a handler; see pg-boss `work`. */
  async work<T>(key: QueueKey, options: WorkOptions, handler: (jobs: Job<T>[]) => Promise<unknown>): Promise<string> {
    const boss = await this.ready();
    return boss.work<T>(queueDefinitions[key].name, options, handler as never);
  }

  /** The started pg-boss, for reading queue state in tests and tools. */
  requireStarted(): PgBoss {
    if (!this.boss) throw new Error('The job queue is not started: call services.queue.ready() before the transaction');
    return this.boss;
  }

  /** Stops workers (in-flight jobs get `graceMs` to finish, then their signal aborts) and the queue. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const boss = this.boss ?? (await this.starting?.catch(() => null));
    if (!boss) return;
    await boss.stop({ graceful: true, timeout: graceMs, close: true });
  }
}
