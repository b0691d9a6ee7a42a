// The background is an event page: Thunderbird wakes it for an event and lets
// it sleep again, so every listener is registered here, synchronously, at the
// top level. Each one only hands over to a feature (create-background.ts).
import { z } from 'zod';
import { host } from '../host/browser-host.js';
import { createBackground } from './create-background.js';

// The extension CSP forbids eval: zod must not even try its compiled fast path.
z.config({ jitless: true });

const background = createBackground({ host, fetch: (input, init) => fetch(input, init) });

host.messageDisplay.onMessagesDisplayed.addListener(background.onMessagesDisplayed);
host.runtime.onMessage.addListener(background.onMessage);
host.runtime.onMessageExternal.addListener(background.onMessageExternal);
host.compose.onAfterSend.addListener(background.onAfterSend);
host.storage.onChanged.addListener(background.onStorageChanged);
host.runtime.onInstalled.addListener(background.onInstalled);
