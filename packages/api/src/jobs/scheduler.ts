import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.js';
import type { Logger } from '../logger.js';

export interface PeriodicJob {
  name: string;
  everyMs: number;
  run: (now: Date) => Promise<string>;
}

/**
 * Runs periodic jobs inside the API process (or a worker-only process). Each
 * run is claimed with one atomic UPDATE on `scheduled_runs`, so with many
 * processes on one PostgreSQL a job still runs once per period. stop() waits
 * for a run in progress to finish.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly jobs: PeriodicJob[],
    private readonly logger: Logger,
    private readonly tickMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runDue()
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.tickMs);
        });
    };
    this.timer = setTimeout(tick, 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs every job whose period has passed; returns the names of the jobs run. */
  async runDue(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) {
      if (this.stopped) break;
      const now = this.clock();
      if (!(await this.claim(job, now))) continue;
      ran.push(job.name);
      try {
        const result = await job.run(now);
        await this.record(job.name, result);
        this.logger.info({ job: job.name, result }, 'periodic job done');
      } catch (error) {
        this.logger.error({ job: job.name, err: error }, 'periodic job failed; it is tried again at the next tick');
        await this.release(job.name).catch(() => undefined);
      }
    }
    return ran;
  }

  private async claim(job: PeriodicJob, now: Date): Promise<boolean> {
    const due = new Date(now.getTime() - job.everyMs).toISOString();
    const result = await this.db.execute(sql`
      insert into scheduled_runs (job, last_run_at) values (${job.name}, ${now.toISOString()}::timestamptz)
      on conflict (job) do update set last_run_at = excluded.last_run_at
      where scheduled_runs.last_run_at <= ${due}::timestamptz
      returning job`);
    return rowsOf(result).length > 0;
  }

  private async record(name: string, result: string): Promise<void> {
    await this.db.execute(sql`update scheduled_runs set last_result = ${result} where job = ${name}`);
  }

  /** A failed run gives its claim back so the next tick retries instead of waiting a whole period. */
  private async release(name: string): Promise<void> {
    await this.db.execute(sql`update scheduled_runs set last_run_at = 'epoch', last_result = 'failed' where job = ${name}`);
  }
}
