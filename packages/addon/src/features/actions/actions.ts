import { historyItem } from '@orderpost/shared/schemas/messages';
import { order as orderSchema } from '@orderpost/shared/schemas/orders';
import { z } from 'zod';
import { ApiError } from '../api/api-error.js';
import type { Context } from '../context/context.js';
import { readMessage } from '../message/read-message.js';
import { filedEmailFrom } from './filed-email.js';

const anything = z.unknown();

/** Files the message into the order's history; the API also links its thread and sender to the order. */
export async function fileEmail(context: Context, messageId: number, orderId: number) {
  const client = await context.client();
  const [header, input] = await Promise.all([context.host.messages.get(messageId), readMessage(context.host, messageId)]);
  const body = filedEmailFrom(header, input);
  if (!body) {
    throw new ApiError({ kind: 'http', status: 400, code: 'INVALID_EMAIL', message: 'The sender has no usable address', requestId: null });
  }
  const item = await client.post(`/v1/orders/${orderId}/messages`, body, historyItem);
  context.cache.forget(messageId);
  return item;
}

/** "Not this order": the API stops offering this order for the message's thread. */
export async function unlinkOrder(context: Context, messageId: number, orderId: number) {
  const client = await context.client();
  const header = await context.host.messages.get(messageId);
  const result = await client.post('/v1/match/unlinks', { orderId, messageId: header.headerMessageId }, anything);
  context.cache.forget(messageId);
  return result;
}

export async function addNote(context: Context, orderId: number, text: string) {
  const client = await context.client();
  return client.post(`/v1/orders/${orderId}/notes`, { text }, historyItem);
}

export async function changeStatus(context: Context, orderId: number, status: string) {
  const client = await context.client();
  const changed = await client.post(`/v1/orders/${orderId}/status`, { status }, orderSchema);
  // Claims show the status: let the next popup ask again.
  context.cache.clear();
  return changed;
}
