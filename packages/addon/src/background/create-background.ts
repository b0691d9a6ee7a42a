import type { Host, MessageSender, SendInfo, StorageChanges, Tab } from '../host/host.js';
import { type Context, createContext } from '../features/context/context.js';
import { createDisplayHandler } from '../features/display/on-displayed.js';
import { handleE2e } from '../features/e2e/e2e-hook.js';
import { createTranslators } from '../features/i18n/locale.js';
import { recordSentReply } from '../features/reply/reply.js';
import { answer } from '../features/router/router.js';
import { isConfigured, loadSettings, settingsChanged } from '../features/settings/settings.js';

export interface BackgroundDeps {
  host: Host;
  fetch: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/**
 * The background's listeners, each delegating to a feature. Built without
 * touching anything, so tests build it on a fake host; `background.ts`
 * registers them on the real one.
 */
export function createBackground(deps: BackgroundDeps) {
  const context: Context = createContext({
    host: deps.host,
    fetch: deps.fetch,
    translatorFor: createTranslators(deps.host, deps.fetch),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
  });
  const onMessagesDisplayed = createDisplayHandler(context);

  return {
    context,
    // Thunderbird ignores what these two return; tests await it.
    onMessagesDisplayed(tab: Tab, list: Parameters<typeof onMessagesDisplayed>[1]): Promise<void> {
      return onMessagesDisplayed(tab, list).catch((error) => console.error('Orderpost: display handling failed', error));
    },
    onMessage(message: unknown, sender: MessageSender): Promise<unknown> | undefined {
      if (sender.id !== undefined && sender.id !== deps.host.runtime.id) return undefined;
      return answer(context, message);
    },
    onMessageExternal(message: unknown, sender: MessageSender): Promise<unknown> | undefined {
      return handleE2e(context, message, sender);
    },
    onAfterSend(tab: Tab, sendInfo: SendInfo): Promise<boolean> {
      return recordSentReply(context, tab, sendInfo).catch((error) => {
        console.error('Orderpost: recording the sent reply failed', error);
        return false;
      });
    },
    onStorageChanged(changes: StorageChanges, area: string): void {
      if (area === 'local' && settingsChanged(changes)) context.cache.clear();
    },
    onInstalled(details: { reason: string }): void {
      if (details.reason !== 'install') return;
      loadSettings(deps.host)
        .then((settings) => (isConfigured(settings) ? undefined : deps.host.runtime.openOptionsPage()))
        .catch(() => undefined);
    },
  };
}
