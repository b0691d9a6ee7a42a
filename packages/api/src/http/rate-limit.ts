import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateLimits } from '../db/schema/index.js';

export interface RateLimitPolicy {
  /** Hits allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters kept in the database (`rate_limits`), so a limit holds
 * across every API process: each hit is one atomic upsert, whichever process
 * makes it, and the window is timed by the database's clock. A key names what
 * is counted, e.g. `page-form:order:42` or `page-form:client:203.0.113.7`.
 */
export class RateLimiter {
  private lastPrune = 0;

  constructor(private readonly db: Db) {}

  /**
   * Counts one hit on `key`. Returns null while the count is within the limit,
   * else the seconds until the window ends (for Retry-After). Refused hits
   * count too: hammering does not shorten the wait, and the window still ends
   * at its fixed time.
   */
  async hit(key: string, policy: RateLimitPolicy): Promise<number | null> {
    const windowEnded = sql`${rateLimits.windowStart} <= now() - make_interval(secs => ${policy.windowSeconds})`;
    const [row] = await this.db
      .insert(rateLimits)
      .values({ key, windowStart: sql`now()`, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          windowStart: sql`case when ${windowEnded} then now() else ${rateLimits.windowStart} end`,
          count: sql`case when ${windowEnded} then 1 else ${rateLimits.count} + 1 end`,
        },
      })
      .returning({
        count: rateLimits.count,
        remainingMs: sql<number>`greatest(0, ceil(extract(epoch from (${rateLimits.windowStart} + make_interval(secs => ${policy.windowSeconds}) - now())) * 1000))::int`,
      });
    this.prune(policy.windowSeconds);
    if (!row || row.count <= policy.limit) return null;
    return Math.max(1, Math.ceil(Number(row.remainingMs) / 1000));
  }

  /** Rows whose window is long over are deleted, at most once a window per process, off the request path. */
  private prune(windowSeconds: number): void {
    const now = Date.now();
    if (now - this.lastPrune < windowSeconds * 1000) return;
    this.lastPrune = now;
    // Keys of all policies share the table: only rows older than a day (the longest window allowed) go.
    this.db
      .delete(rateLimits)
      .where(lt(rateLimits.windowStart, sql`now() - interval '2 days'`))
      .catch(() => {
        this.lastPrune = 0;
      });
  }
}
