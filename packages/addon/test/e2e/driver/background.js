// The end-to-end test's hands inside Thunderbird (test only, Manifest V2 with a
// persistent background so that it keeps polling). It long-polls the test's
// command server (`config.js`, written when the test packs this add-on, sets
// globalThis.E2E_SERVER), runs each command with Thunderbird's own APIs and
// posts the result back.
/* global messenger */

const server = globalThis.E2E_SERVER;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function mailTab() {
  const [tab] = await messenger.mailTabs.query({ active: true });
  if (tab) return tab;
  const [any] = await messenger.mailTabs.query({});
  if (!any) throw new Error('no mail tab is open');
  return any;
}

async function inbox() {
  for (const account of await messenger.accounts.list(true)) {
    const stack = [...(account.folders ?? [])];
    while (stack.length > 0) {
      const folder = stack.shift();
      if (folder.type === 'inbox' || folder.specialUse?.includes('inbox')) return folder;
      stack.push(...(folder.subFolders ?? []));
    }
  }
  throw new Error('no Inbox folder in any account');
}

const commands = {
  async hello() {
    const info = await messenger.runtime.getBrowserInfo();
    return { name: info.name, version: info.version };
  },
  /** Shows the Inbox in the main tab: Thunderbird reads the mbox and builds its summary (before that, queries find nothing). */
  async showInbox() {
    const tab = await mailTab();
    const folder = await inbox();
    const errors = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        await messenger.mailTabs.update(tab.id, { displayedFolder: folder.id ?? folder });
        return { tabId: tab.id, folder, attempts: attempt + 1, errors };
      } catch (error) {
        errors.push(String(error));
        await sleep(500);
      }
    }
    throw new Error(`mailTabs.update(${tab.id}, ${folder.id}): ${errors.join(' / ')}`);
  },
  /** The message with this Message-ID (without <>); the first queries can come back empty while the folder summary is built. */
  async findMessage({ headerMessageId, timeoutMs = 30_000 }) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const list = await messenger.messages.query({ headerMessageId });
      if (list.messages.length > 0) return list.messages[0];
      if (Date.now() > until) throw new Error(`no message with Message-ID <${headerMessageId}> after ${timeoutMs} ms`);
      await sleep(250);
    }
  },
  async listMessages({ folderId }) {
    const out = [];
    let page = await messenger.messages.list(folderId);
    for (;;) {
      out.push(...page.messages);
      if (!page.id) return out;
      page = await messenger.messages.continueList(page.id);
    }
  },
  async mailTab() {
    return mailTab();
  },
  /** Shows the folder in the main 3-pane tab and selects the message there: Thunderbird displays it, as when a seller clicks it. */
  async display({ messageId }) {
    const tab = await mailTab();
    if (!tab.active) await messenger.tabs.update(tab.id, { active: true });
    const message = await messenger.messages.get(messageId);
    if (tab.displayedFolder?.id !== message.folder.id) await messenger.mailTabs.update(tab.id, { displayedFolder: message.folder.id });
    const at = Date.now();
    await messenger.mailTabs.setSelectedMessages(tab.id, [messageId]);
    return { tabId: tab.id, windowId: tab.windowId, at };
  },
  async displayed({ tabId }) {
    const list = await messenger.messageDisplay.getDisplayedMessages(tabId);
    return list.messages ?? list;
  },
  /** A message to another add-on (the Orderpost add-on's test hook). */
  async external({ extensionId, message }) {
    return messenger.runtime.sendMessage(extensionId, message);
  },
  async tabs() {
    return messenger.tabs.query({});
  },
  /** Closes the tabs whose URL contains one of `urlParts` (e.g. the options an add-on opened at install: about:addons). */
  async closeTabs({ urlParts }) {
    const tabs = (await messenger.tabs.query({})).filter((t) => urlParts.some((part) => t.url?.includes(part)));
    if (tabs.length > 0) await messenger.tabs.remove(tabs.map((t) => t.id));
    return tabs.map((t) => t.url);
  },
  async getTab({ tabId }) {
    return messenger.tabs.get(tabId);
  },
  async windows() {
    return messenger.windows.getAll({ populate: true });
  },
  async composeDetails({ tabId }) {
    return messenger.compose.getComposeDetails(tabId);
  },
  /** Sends the message of a compose tab now (SMTP); resolves with what Thunderbird sent (its Message-ID). */
  async sendNow({ tabId }) {
    return messenger.compose.sendMessage(tabId, { mode: 'sendNow' });
  },
  async closeWindow({ windowId }) {
    await messenger.windows.remove(windowId);
    return true;
  },
  /** Closes every window: Thunderbird quits. Answered first, done just after. */
  async quit() {
    setTimeout(async () => {
      for (const w of await messenger.windows.getAll()) {
        // Compose windows ask before discarding a draft; close them the same way, their close has no prompt from the API.
        await messenger.windows.remove(w.id).catch((error) => console.error('orderpost-e2e: closing window', error));
      }
    }, 200);
    return true;
  },
};

async function run(command) {
  const handler = commands[command.name];
  if (!handler) throw new Error(`unknown command ${command.name}`);
  return handler(command.args ?? {});
}

async function loop() {
  for (;;) {
    let command;
    try {
      const res = await fetch(`${server}/next`, { cache: 'no-store' });
      if (res.status === 204) continue;
      if (!res.ok) throw new Error(`command server answered ${res.status}`);
      command = await res.json();
    } catch (error) {
      console.error('orderpost-e2e: polling', String(error));
      await sleep(500);
      continue;
    }
    let result;
    try {
      result = { id: command.id, ok: true, value: (await run(command)) ?? null };
    } catch (error) {
      result = { id: command.id, ok: false, error: `${error}\n${error?.stack ?? ''}` };
    }
    try {
      await fetch(`${server}/result`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result),
      });
    } catch (error) {
      console.error('orderpost-e2e: posting a result', String(error));
    }
  }
}

loop();
