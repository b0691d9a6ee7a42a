import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import { journalTypeName, type journalQuery } from '@orderpost/shared';
import type { z } from 'zod';
import type { Services } from '../../services.js';
import { journal } from '../../db/schema/index.js';

/**
 * Events after `after`, oldest first. Ids are handed out in commit order (see
 * writeJournal), so polling with the last id seen never misses an event.
 */
export async function readJournal(services: Services, query: z.infer<typeof journalQuery>) {
  const filters: SQL[] = [gt(journal.id, query.after)];
  if (query.types) filters.push(inArray(journal.type, query.types));
  if (query.orderId) filters.push(eq(journal.orderId, query.orderId));
  const rows = await services.database.db
    .select()
    .from(journal)
    .where(and(...filters))
    .orderBy(asc(journal.id))
    .limit(query.limit);
  const events = rows.map((row) => ({
    id: Number(row.id),
    type: row.type,
    typeName: journalTypeName(row.type) ?? 'UNKNOWN',
    orderId: row.orderId,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  }));
  return { events, lastId: events[events.length - 1]?.id ?? query.after };
}
