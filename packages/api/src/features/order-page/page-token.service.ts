import { journalTypes, type OrderPageLink } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { orders } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { writeJournal } from '../journal/journal.writer.js';
import { ensurePageTokens, newPageToken } from '../orders/orders.page-token.js';
import { lockOrder } from '../orders/orders.repository.js';
import { orderPageUrl } from '../templates/templates.data.js';
import type { Caller } from '../tokens/token-cache.js';

async function linkOf(services: Services, pageToken: string): Promise<OrderPageLink> {
  const settings = await services.settings.get();
  return { pageToken, url: orderPageUrl(settings, { pageToken }) };
}

/** The order page's address, made now if the order has none yet (as the first e-mail linking to it would). */
export async function readPageLink(services: Services, orderId: number): Promise<OrderPageLink> {
  const token = (await ensurePageTokens(services.database.db, [orderId])).get(orderId);
  if (!token) throw new AppError('ORDER_NOT_FOUND', `There is no order ${orderId}`);
  return linkOf(services, token);
}

/**
 * Gives the order page a new secret address: the old one answers 404 from the
 * moment this commits (pages are looked up by token on every request, never
 * cached). Archived orders too (their read-only page may have leaked). The
 * journal row says it happened, never the token.
 */
export async function rotatePageToken(services: Services, orderId: number, caller: Caller | null): Promise<OrderPageLink> {
  const token = newPageToken();
  await services.database.db.transaction(async (tx) => {
    await lockOrder(tx, orderId, { allowArchived: true });
    await tx.update(orders).set({ pageToken: token, updatedAt: services.clock() }).where(eq(orders.id, orderId));
    await writeJournal(tx, [{ type: journalTypes.PAGE_TOKEN_ROTATED, orderId, data: { by: caller?.tokenId ?? null } }]);
  });
  return linkOf(services, token);
}
