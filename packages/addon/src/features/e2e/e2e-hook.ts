import { addonE2eRequest } from '@orderpost/shared/schemas/addon';
import type { MessageSender } from '../../host/host.js';
import type { Context } from '../context/context.js';
import { answer } from '../router/router.js';

/** The only extension allowed to ask: the test add-on of the real-Thunderbird end-to-end run. */
export const e2eExtensionId = 'orderpost-e2e@tests.orderpost.app';

export interface E2eState {
  badgeText: string;
  title: string;
  apiCalls: { method: string; path: string; status: number }[];
  lastDisplayToBadgeMs: number | null;
  lastMessageId: string | null;
}

/**
 * `runtime.onMessageExternal`: answers the end-to-end test add-on, and
 * nobody else (undefined = no answer). `e2e/state` reads the button back
 * from Thunderbird; `e2e/ui` runs a popup message through the popup's own
 * handler; `e2e/openPopup` opens the popup (for a screenshot).
 */
export function handleE2e(context: Context, message: unknown, sender: MessageSender): Promise<unknown> | undefined {
  if (sender.id !== e2eExtensionId) return undefined;
  const parsed = addonE2eRequest.safeParse(message);
  if (!parsed.success) return Promise.resolve({ ok: false, failure: { kind: 'invalid-request', detail: parsed.error.issues[0]?.message } });
  const request = parsed.data;
  if (request.type === 'e2e/ui') return answer(context, request.message);
  if (request.type === 'e2e/openPopup') return openPopup(context, request.windowId);
  return e2eState(context, request.tabId);
}

async function openPopup(context: Context, windowId: number | undefined): Promise<boolean> {
  const open = context.host.messageDisplayAction.openPopup;
  if (!open) return false;
  const opened = await open(windowId === undefined ? undefined : { windowId });
  return opened !== false;
}

async function e2eState(context: Context, tabId: number): Promise<E2eState> {
  const action = context.host.messageDisplayAction;
  const [badgeText, title] = await Promise.all([action.getBadgeText({ tabId }), action.getTitle({ tabId })]);
  return {
    badgeText,
    title,
    apiCalls: context.log.apiCalls.map(({ method, path, status }) => ({ method, path, status })),
    lastDisplayToBadgeMs: context.log.lastDisplayToBadgeMs,
    lastMessageId: context.log.lastMessageId,
  };
}
