import { type HistoryItem, historyPage } from '@orderpost/shared/schemas/messages';
import { type Order, type OrderPageLink, order as orderSchema, orderPage, orderPageLink } from '@orderpost/shared/schemas/orders';
import { orderStatusList, type OrderStatus } from '@orderpost/shared/schemas/statuses';
import type { ApiClient } from '../api/api-client.js';

export interface OrderDetails {
  order: Order;
  /** The newest items of the correspondence history, newest last. */
  latestMessages: HistoryItem[];
  /** The customer's order page, when the shop has set its public address (`GET /v1/orders/{id}/page-token`). */
  pageUrl: string | null;
}

export const latestMessagesShown = 5;

/** Only an http(s) address is ever offered as a link. */
export function orderPageUrl(link: OrderPageLink | null): string | null {
  return link?.url && /^https?:\/\//i.test(link.url) ? link.url : null;
}

/**
 * The order page's address. The page is a convenience in the popup: when the
 * API cannot give it (an older API, an outage of that one call) the order
 * still shows, without the link.
 */
async function pageLink(client: ApiClient, orderId: number): Promise<OrderPageLink | null> {
  try {
    return await client.get(`/v1/orders/${orderId}/page-token`, orderPageLink);
  } catch {
    return null;
  }
}

/** The newest history items, newest last, in one call. */
export async function latestMessages(client: ApiClient, orderId: number, count = latestMessagesShown): Promise<HistoryItem[]> {
  return (await client.get(`/v1/orders/${orderId}/messages?latest=${count}`, historyPage)).messages;
}

export async function orderDetails(client: ApiClient, orderId: number): Promise<OrderDetails> {
  const [order, latest, link] = await Promise.all([
    client.get(`/v1/orders/${orderId}`, orderSchema),
    latestMessages(client, orderId),
    pageLink(client, orderId),
  ]);
  return { order, latestMessages: latest, pageUrl: orderPageUrl(link) };
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
