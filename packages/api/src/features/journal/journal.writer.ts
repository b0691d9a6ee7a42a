import { sql } from 'drizzle-orm';
import type { JournalTypeNumber } from '@orderpost/shared';
import { advisoryLockKeys } from '../../db/advisory-locks.js';
import type { Tx } from '../../db/client.js';
import { journal } from '../../db/schema/index.js';

export interface JournalEntry {
  type: JournalTypeNumber;
  orderId: number | null;
  data?: Record<string, unknown>;
}

/**
 * Writes journal rows; call it as the LAST statement of the transaction that made
 * the change. The transaction-scoped lock taken first makes journal ids be handed
 * out in commit order: a second writer waits here until the first has committed,
 * so a consumer polling `after=<last id seen>` can never skip a row that commits
 * later with a smaller id. The lock is held only from here to COMMIT.
 */
export async function writeJournal(tx: Tx, entries: JournalEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${advisoryLockKeys.journal})`);
  for (let start = 0; start < entries.length; start += 2000) {
    const chunk = entries.slice(start, start + 2000);
    await tx.insert(journal).values(chunk.map((entry) => ({ type: entry.type, orderId: entry.orderId, data: entry.data ?? {} })));
  }
}
