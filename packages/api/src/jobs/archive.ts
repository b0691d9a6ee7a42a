import { sql } from 'drizzle-orm';
import { journalTypes } from '@orderpost/shared';
import { rowsOf } from '../db/client.js';
import { writeJournal } from '../features/journal/journal.writer.js';
import type { Services } from '../services.js';

/**
 * Archives orders placed more than ARCHIVE_AFTER_DAYS before `now` whose
 * status is final (a restored order only ARCHIVE_AFTER_DAYS after its restore).
 * Works in chunks so a large backlog neither holds one long transaction nor
 * blocks other writers for long. Returns how many orders were archived.
 */
export async function archiveOldOrders(services: Services, now: Date = services.clock(), chunkSize = 1000): Promise<number> {
  const { db } = services.database;
  const afterDays = services.config.ARCHIVE_AFTER_DAYS;
  const cutoff = new Date(now.getTime() - afterDays * 86_400_000).toISOString();
  let total = 0;
  for (;;) {
    const archived = await db.transaction(async (tx) => {
      const result = await tx.execute(sql`
        update orders set archived_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
        where id in (
          select o.id from orders o join order_statuses s on s.id = o.status_id
          where o.archived_at is null and s.final and o.ordered_at < ${cutoff}::timestamptz
            and (o.restored_at is null or o.restored_at < ${cutoff}::timestamptz)
          order by o.id limit ${chunkSize} for update of o skip locked)
        returning id`);
      const ids = rowsOf<{ id: number }>(result).map((row) => row.id);
      await writeJournal(
        tx,
        ids.map((orderId) => ({ type: journalTypes.ORDER_ARCHIVED, orderId, data: { afterDays } })),
      );
      return ids.length;
    });
    total += archived;
    if (archived < chunkSize) return total;
  }
}
