import { type HistoryItem, historyPage } from '@orderpost/shared/schemas/messages';
import { type Order, order as orderSchema, orderPage } from '@orderpost/shared/schemas/orders';
import { orderStatusList, type OrderStatus } from '@orderpost/shared/schemas/statuses';
import { z } from 'zod';
import type { ApiClient } from '../api/api-client.js';

/** The order as the add-on reads it: the API may add the order page token (issue 10); the add-on uses it when there. */
const orderWithPage = orderSchema.extend({ pageToken: z.string().nullish(), pageUrl: z.string().nullish() });
export type OrderWithPage = z.infer<typeof orderWithPage>;

export interface OrderDetails {
  order: Order;
  /** The newest items of the correspondence history, newest last. */
  latestMessages: HistoryItem[];
  /** The customer's order page, when the API says where it is. */
  pageUrl: string | null;
}

export const latestMessagesShown = 5;
const historyPageSize = 200;
const historyPagesRead = 5;

/**
 * The order page address: the API's own `pageUrl` when it sends one, else
 * `${publicBaseUrl}/p/<pageToken>` (the rule the API's templates use).
 */
export function orderPageUrl(order: Pick<OrderWithPage, 'pageToken' | 'pageUrl'>, publicBaseUrl: string | null): string | null {
  if (order.pageUrl && /^https?:\/\//.test(order.pageUrl)) return order.pageUrl;
  if (!order.pageToken || !publicBaseUrl) return null;
  return `${publicBaseUrl.replace(/\/+$/, '')}/p/${encodeURIComponent(order.pageToken)}`;
}

/**
 * The newest history items. The API pages oldest first, so the pages are
 * followed to the end (bounded: a very long history shows its newest
 * items read within the bound).
 */
export async function latestMessages(client: ApiClient, orderId: number, count = latestMessagesShown): Promise<HistoryItem[]> {
  let items: HistoryItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < historyPagesRead; page++) {
    const query = new URLSearchParams({ limit: String(historyPageSize) });
    if (cursor) query.set('after', cursor);
    const result = await client.get(`/v1/orders/${orderId}/messages?${query}`, historyPage);
    items = [...items, ...result.messages].slice(-count);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export async function orderDetails(client: ApiClient, orderId: number, publicBaseUrl: string | null): Promise<OrderDetails> {
  const [found, latest] = await Promise.all([client.get(`/v1/orders/${orderId}`, orderWithPage), latestMessages(client, orderId)]);
  const { pageToken: _token, pageUrl: _url, ...order } = found;
  return { order, latestMessages: latest, pageUrl: orderPageUrl(found, publicBaseUrl) };
}

/** What a search box entry is looked up as: an e-mail address, or an order number and — when it could be one — a phone number. */
export function searchQueries(query: string): URLSearchParams[] {
  const value = query.trim();
  if (value.includes('@')) return [new URLSearchParams({ email: value, archived: 'all', limit: '20' })];
  const byNumber = new URLSearchParams({ number: value, archived: 'all', limit: '20' });
  const digits = value.replace(/\D/g, '').length;
  const phoneLike = /^[+(]?[\d\s().\-/]+$/.test(value) && digits >= 7;
  return phoneLike ? [byNumber, new URLSearchParams({ phone: value, archived: 'all', limit: '20' })] : [byNumber];
}

/** Orders found by number, e-mail or phone, newest first, each once. */
export async function searchOrders(client: ApiClient, query: string): Promise<Order[]> {
  const pages = await Promise.all(searchQueries(query).map((params) => client.get(`/v1/orders?${params}`, orderPage)));
  const seen = new Set<number>();
  const found: Order[] = [];
  for (const page of pages) {
    for (const order of page.orders) {
      if (seen.has(order.id)) continue;
      seen.add(order.id);
      found.push(order);
    }
  }
  return found.sort((a, b) => b.orderedAt.localeCompare(a.orderedAt));
}

export async function listStatuses(client: ApiClient): Promise<OrderStatus[]> {
  const { statuses } = await client.get('/v1/statuses', orderStatusList);
  return [...statuses].sort((a, b) => a.position - b.position);
}
