import { eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { authFailures } from '../../db/schema/index.js';

export interface AuthFailurePolicy {
  /** Failed token checks allowed per client address and window. */
  limit: number;
  windowSeconds: number;
}

/** How long this process trusts what it last read for an address; other processes' failures count after at most this. */
const recheckMs = 1000;

/**
 * Counts failed token checks per client address in the database, so the limit
 * holds across every API process. Once an address reaches the limit, all its
 * authenticated requests — with a correct token too — are refused until the
 * window ends: otherwise a guesser would still learn which token is right.
 */
export class AuthFailureLimiter {
  /** Per address: limited until (ms, 0 = not limited), trusted until `readUntil`. */
  private readonly known = new Map<string, { limitedUntil: number; readUntil: number }>();
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly policy: AuthFailurePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or null when it is not limited. */
  async retryAfter(clientKey: string): Promise<number | null> {
    const now = this.now();
    let state = this.known.get(clientKey);
    if (!state || state.readUntil <= now) {
      const [row] = await this.db
        .select({ count: authFailures.count, remainingMs: this.remainingMs() })
        .from(authFailures)
        .where(eq(authFailures.clientKey, clientKey));
      const limited = row !== undefined && row.count >= this.policy.limit && Number(row.remainingMs) > 0;
      state = { limitedUntil: limited ? now + Number(row?.remainingMs) : 0, readUntil: now + recheckMs };
      this.remember(clientKey, state);
    }
    return state.limitedUntil > now ? Math.ceil((state.limitedUntil - now) / 1000) : null;
  }

  /**
   * Counts one failure atomically (one upsert, whichever process makes it).
   * Returns the seconds to wait when this failure is over the limit: the count
   * is the database's, so a failure on any process is refused at once.
   */
  async recordFailure(clientKey: string): Promise<number | null> {
    const windowEnded = sql`${authFailures.windowStart} <= now() - make_interval(secs => ${this.policy.windowSeconds})`;
    const [row] = await this.db
      .insert(authFailures)
      .values({ clientKey, windowStart: sql`now()`, count: 1 })
      .onConflictDoUpdate({
        target: authFailures.clientKey,
        set: {
          windowStart: sql`case when ${windowEnded} then now() else ${authFailures.windowStart} end`,
          count: sql`case when ${windowEnded} then 1 else ${authFailures.count} + 1 end`,
        },
      })
      .returning({ count: authFailures.count, remainingMs: this.remainingMs() });
    const now = this.now();
    const limited = row !== undefined && row.count >= this.policy.limit;
    const limitedUntil = limited ? now + Number(row?.remainingMs) : 0;
    this.remember(clientKey, { limitedUntil, readUntil: now + recheckMs });
    this.prune(now);
    return row !== undefined && row.count > this.policy.limit ? Math.max(1, Math.ceil((limitedUntil - now) / 1000)) : null;
  }

  /** Milliseconds left in the row's window, by the database's clock (the one all processes share). */
  private remainingMs() {
    return sql<number>`greatest(0, ceil(extract(epoch from (${authFailures.windowStart} + make_interval(secs => ${this.policy.windowSeconds}) - now())) * 1000))::int`;
  }

  private remember(clientKey: string, state: { limitedUntil: number; readUntil: number }): void {
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(clientKey, state);
  }

  /** Rows of windows long over are deleted, at most once a window per process, off the request path. */
  private prune(now: number): void {
    if (now - this.lastPrune < this.policy.windowSeconds * 1000) return;
    this.lastPrune = now;
    this.db
      .delete(authFailures)
      .where(lt(authFailures.windowStart, sql`now() - make_interval(secs => ${this.policy.windowSeconds * 2})`))
      .catch(() => {
        this.lastPrune = 0;
      });
  }
}
