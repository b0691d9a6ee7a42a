import { type AddonRequest, addonRequest } from '@orderpost/shared/schemas/addon';
import { addNote, changeStatus, fileEmail, unlinkOrder } from '../actions/actions.js';
import { ApiError, failureOf } from '../api/api-error.js';
import { testConnection } from '../connection/test-connection.js';
import type { Context } from '../context/context.js';
import { listStatuses, orderDetails, searchOrders } from '../orders/orders.js';
import { popupView } from '../popup-view/popup-view.js';
import { listTemplates, replyWithTemplate } from '../reply/reply.js';
import { loadSettings, saveSettings } from '../settings/settings.js';
import type { AddonResponse } from './response.js';

/** One request of the popup or options page → its answer. The e2e hook's `e2e/ui` comes through here too. */
export async function handleRequest(context: Context, request: AddonRequest): Promise<unknown> {
  switch (request.type) {
    case 'popup/open':
      return popupView(context, request.tabId);
    case 'order/get':
      return orderDetails(await context.client(), request.orderId);
    case 'order/search':
      return searchOrders(await context.client(), request.query);
    case 'templates/list':
      return listTemplates(context);
    case 'statuses/list':
      return listStatuses(await context.client());
    case 'reply/template':
      return replyWithTemplate(context, request.messageId, request.orderId, request.templateId);
    case 'email/file':
      return fileEmail(context, request.messageId, request.orderId);
    case 'match/unlink':
      return unlinkOrder(context, request.messageId, request.orderId);
    case 'note/add':
      return addNote(context, request.orderId, request.text);
    case 'status/change':
      return changeStatus(context, request.orderId, request.status);
    case 'settings/get':
      return loadSettings(context.host);
    case 'settings/save':
      await saveSettings(context.host, request.settings);
      context.cache.clear();
      return loadSettings(context.host);
    case 'connection/test':
      return testConnection(context, request.apiUrl, request.token);
  }
}

/** Validates a message from a page and answers `{ ok, data }` or `{ ok: false, failure }` — never a rejected promise. */
export async function answer(context: Context, message: unknown): Promise<AddonResponse<unknown>> {
  const parsed = addonRequest.safeParse(message);
  if (!parsed.success) return { ok: false, failure: { kind: 'invalid-request', detail: parsed.error.issues[0]?.message ?? 'invalid' } };
  try {
    return { ok: true, data: await handleRequest(context, parsed.data) };
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(`Orderpost: ${parsed.data.type} failed`, error);
    return { ok: false, failure: failureOf(error) };
  }
}
