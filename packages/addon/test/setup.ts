import { createBackground } from '../src/background/create-background.js';
import { baseUrl, FakeApi, token } from './fake-api.js';
import { FakeMessenger } from './fake-messenger.js';

/**
 * The background built on a fake Thunderbird and a fake API, its listeners
 * registered the way background.ts registers them on the real one.
 */
export async function setup(options: { configured?: boolean; timeoutMs?: number } = {}) {
  const messenger = new FakeMessenger();
  const api = new FakeApi();
  if (options.configured !== false) {
    messenger.store.settings = { apiUrl: baseUrl, token, language: 'auto', tagMessages: false };
  }
  const background = createBackground({ host: messenger, fetch: api.fetch, timeoutMs: options.timeoutMs ?? 200 });
  messenger.messageDisplay.onMessagesDisplayed.addListener((tab, list) => background.onMessagesDisplayed(tab, list));
  messenger.runtime.onMessage.addListener(background.onMessage);
  messenger.runtime.onMessageExternal.addListener(background.onMessageExternal);
  messenger.compose.onAfterSend.addListener(background.onAfterSend);
  messenger.storage.onChanged.addListener(background.onStorageChanged);
  messenger.runtime.onInstalled.addListener(background.onInstalled);
  return { messenger, api, background, context: background.context };
}

/** Lets pending promise chains (listeners that do not return theirs) run to the end. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
