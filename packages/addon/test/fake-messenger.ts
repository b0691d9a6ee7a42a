import type {
  ComposeRecipientDetails,
  Event,
  Host,
  Identity,
  InlineTextPart,
  MessageHeader,
  MessagePart,
  MessageSender,
  MessageTag,
  SendInfo,
  StorageChanges,
  Tab,
} from '../src/host/host.js';
import en from '../static/_locales/en/messages.json' with { type: 'json' };
import manifest from '../static/manifest.json' with { type: 'json' };

/** An event whose listeners a test can fire. */
export class FakeEvent<Listener extends (...args: never[]) => unknown> implements Event<Listener> {
  readonly listeners: Listener[] = [];
  addListener(listener: Listener): void {
    this.listeners.push(listener);
  }
  removeListener(listener: Listener): void {
    this.listeners.splice(this.listeners.indexOf(listener), 1);
  }
  fire(...args: Parameters<Listener>): unknown[] {
    return this.listeners.map((listener) => listener(...args));
  }
}

export interface FakeMessage {
  header: MessageHeader;
  full: MessagePart;
  inline?: InlineTextPart[];
}

export interface ComposeWindow {
  tabId: number;
  relatedMessageId: number;
  identityId: string | undefined;
  details: ComposeRecipientDetails;
}

/** English from the add-on's own locale file, with $1… substituted like Thunderbird does. */
function getMessage(name: string, substitutions?: string | string[]): string {
  const entry = (en as Record<string, { message: string }>)[name];
  if (!entry) return '';
  const values = typeof substitutions === 'string' ? [substitutions] : (substitutions ?? []);
  return entry.message.replace(/\$([1-9])/g, (_all, n: string) => values[Number(n) - 1] ?? '');
}

/**
 * A small Thunderbird for unit tests: messages with headers and parts, the
 * message display action's per-tab badge and title, compose windows (a reply
 * starts with Thunderbird's quote and signature, like the real one), storage,
 * tags, identities and permissions — all in memory and inspectable.
 */
export class FakeMessenger implements Host {
  readonly messagesById = new Map<number, FakeMessage>();
  readonly displayed = new Map<number, number[]>();
  readonly badges = new Map<number, { text: string; title: string; color: string | null }>();
  readonly store: Record<string, unknown> = {};
  readonly composeWindows: ComposeWindow[] = [];
  readonly tagList: MessageTag[] = [];
  identityList: Identity[] = [];
  /** Granted at install: what the manifest asks for outright. */
  granted = { permissions: new Set<string>(manifest.permissions), origins: new Set<string>(manifest.host_permissions) };
  /** What `permissions.request` answers (the seller's click in Thunderbird's prompt). */
  grantOnRequest = true;
  composeIsPlainText = false;
  private nextTabId = 100;

  readonly events = {
    onMessagesDisplayed: new FakeEvent<(tab: Tab, messages: { messages: MessageHeader[] }) => void>(),
    onMessage: new FakeEvent<(message: unknown, sender: MessageSender) => Promise<unknown> | undefined>(),
    onMessageExternal: new FakeEvent<(message: unknown, sender: MessageSender) => Promise<unknown> | undefined>(),
    onInstalled: new FakeEvent<(details: { reason: string }) => void>(),
    onStorageChanged: new FakeEvent<(changes: StorageChanges, areaName: string) => void>(),
    onAfterSend: new FakeEvent<(tab: Tab, sendInfo: SendInfo) => void>(),
  };

  optionsOpened = 0;
  readonly popupsOpened: (number | undefined)[] = [];

  readonly runtime: Host['runtime'] = {
    id: 'orderpost@orderpost.app',
    getURL: (path) => `moz-extension://fake/${path}`,
    openOptionsPage: async () => {
      this.optionsOpened++;
    },
    sendMessage: async (message) => this.events.onMessage.fire(message, { id: 'orderpost@orderpost.app' })[0],
    onMessage: this.events.onMessage,
    onMessageExternal: this.events.onMessageExternal,
    onInstalled: this.events.onInstalled,
  };

  readonly storage: Host['storage'] = {
    local: {
      get: async (keys) => {
        const wanted = keys === null || keys === undefined ? Object.keys(this.store) : typeof keys === 'string' ? [keys] : keys;
        return Object.fromEntries(wanted.filter((key) => key in this.store).map((key) => [key, structuredClone(this.store[key])]));
      },
      set: async (items) => {
        const changes: StorageChanges = {};
        for (const [key, value] of Object.entries(items)) {
          changes[key] = { oldValue: this.store[key], newValue: value };
          this.store[key] = structuredClone(value);
        }
        this.events.onStorageChanged.fire(changes, 'local');
      },
    },
    onChanged: this.events.onStorageChanged,
  };

  readonly messageDisplay: Host['messageDisplay'] = {
    onMessagesDisplayed: this.events.onMessagesDisplayed as Host['messageDisplay']['onMessagesDisplayed'],
    getDisplayedMessages: async (tabId) => ({ messages: (this.displayed.get(tabId) ?? []).map((id) => this.header(id)) }),
  };

  readonly messageDisplayAction: Host['messageDisplayAction'] = {
    setBadgeText: async ({ tabId = -1, text }) => {
      this.badgeOf(tabId).text = text ?? '';
    },
    getBadgeText: async ({ tabId = -1 }) => this.badgeOf(tabId).text,
    setBadgeBackgroundColor: async ({ tabId = -1, color }) => {
      this.badgeOf(tabId).color = color;
    },
    setTitle: async ({ tabId = -1, title }) => {
      this.badgeOf(tabId).title = title ?? 'Orderpost';
    },
    getTitle: async ({ tabId = -1 }) => this.badgeOf(tabId).title,
    openPopup: async (options) => {
      this.popupsOpened.push(options?.windowId);
      return true;
    },
  };

  readonly messages: Required<Host['messages']> = {
    get: async (id) => this.header(id),
    getFull: async (id) => structuredClone(this.message(id).full),
    listInlineTextParts: async (id) => structuredClone(this.message(id).inline ?? []),
    update: async (id, properties) => {
      if (properties.tags) this.message(id).header.tags = [...properties.tags];
    },
    tags: {
      list: async () => [...this.tagList],
      create: async (key, tag, color) => {
        if (this.tagList.some((existing) => existing.key === key)) throw new Error(`tag ${key} exists`);
        this.tagList.push({ key, tag, color });
      },
    },
  };

  readonly compose: Host['compose'] = {
    beginReply: async (messageId, _type, details) => {
      const header = this.header(messageId);
      const quote = `<div class="moz-cite-prefix">On ${String(header.date)}, ${header.author} wrote:<br></div><blockquote type="cite">original text</blockquote>`;
      const signature = '<div class="moz-signature">-- <br>Shop team</div>';
      const window: ComposeWindow = {
        tabId: this.nextTabId++,
        relatedMessageId: messageId,
        identityId: details?.identityId,
        details: this.composeIsPlainText
          ? {
              isPlainText: true,
              plainTextBody: `On ${String(header.date)}, ${header.author} wrote:\n> original text\n\n-- \nShop team`,
              subject: `Re: ${header.subject}`,
            }
          : {
              isPlainText: false,
              body: `<html><head></head><body><p><br></p>${quote}${signature}</body></html>`,
              subject: `Re: ${header.subject}`,
            },
      };
      if (details?.body !== undefined) window.details.body = details.body;
      this.composeWindows.push(window);
      return { id: window.tabId, type: 'messageCompose' };
    },
    getComposeDetails: async (tabId) => structuredClone(this.composeWindow(tabId).details),
    setComposeDetails: async (tabId, details) => {
      Object.assign(this.composeWindow(tabId).details, details);
    },
    onAfterSend: this.events.onAfterSend,
  };

  readonly identities: Host['identities'] = {
    list: async (accountId) => this.identityList.filter((identity) => !accountId || identity.accountId === accountId),
  };

  readonly permissions: Host['permissions'] = {
    contains: async ({ permissions = [], origins = [] }) =>
      permissions.every((permission) => this.granted.permissions.has(permission)) &&
      origins.every((origin) => this.granted.origins.has(origin)),
    request: async ({ permissions = [], origins = [] }) => {
      if (!this.grantOnRequest) return false;
      for (const permission of permissions) this.granted.permissions.add(permission);
      for (const origin of origins) this.granted.origins.add(origin);
      return true;
    },
  };

  readonly tabs: Host['tabs'] = { query: async () => [{ id: 1, active: true }] };

  readonly i18n: Host['i18n'] = { getMessage, getUILanguage: () => 'en-US' };

  addMessage(message: FakeMessage): MessageHeader {
    this.messagesById.set(message.header.id, message);
    return message.header;
  }

  /** Shows messages in a tab and fires `onMessagesDisplayed` like Thunderbird; resolves when the listeners are done. */
  async display(tabId: number, ...ids: number[]): Promise<void> {
    this.displayed.set(tabId, ids);
    await Promise.all(this.events.onMessagesDisplayed.fire({ id: tabId }, { messages: ids.map((id) => this.header(id)) }));
  }

  badgeOf(tabId: number) {
    let badge = this.badges.get(tabId);
    if (!badge) {
      badge = { text: '', title: 'Orderpost', color: null };
      this.badges.set(tabId, badge);
    }
    return badge;
  }

  composeWindow(tabId: number): ComposeWindow {
    const window = this.composeWindows.find((candidate) => candidate.tabId === tabId);
    if (!window) throw new Error(`no compose tab ${tabId}`);
    return window;
  }

  private message(id: number): FakeMessage {
    const message = this.messagesById.get(id);
    if (!message) throw new Error(`Error: message ${id} not found`);
    return message;
  }

  private header(id: number): MessageHeader {
    return structuredClone(this.message(id).header);
  }
}

/** A plain e-mail as Thunderbird would give it. */
export function fakeMessage(
  id: number,
  fields: {
    from?: string;
    to?: string;
    subject?: string;
    text?: string;
    html?: string;
    messageId?: string;
    inReplyTo?: string;
    date?: string;
    accountId?: string;
  },
): FakeMessage {
  const from = fields.from ?? 'Anna Nowak <anna@example.com>';
  const to = fields.to ?? 'Shop <shop@myshop.example>';
  const subject = fields.subject ?? 'Question';
  const messageId = fields.messageId ?? `msg-${id}@mail.example.com`;
  const date = fields.date ?? '2026-11-20T10:00:00.000Z';
  const headers: Record<string, string[]> = {
    from: [from],
    to: [to],
    subject: [subject],
    'message-id': [`<${messageId}>`],
    date: [new Date(date).toUTCString()],
  };
  if (fields.inReplyTo) headers['in-reply-to'] = [`<${fields.inReplyTo}>`];
  const inline: InlineTextPart[] = [];
  if (fields.text !== undefined) inline.push({ contentType: 'text/plain', content: fields.text });
  if (fields.html !== undefined) inline.push({ contentType: 'text/html', content: fields.html });
  return {
    header: {
      id,
      headerMessageId: messageId,
      author: from,
      recipients: [to],
      ccList: [],
      subject,
      date: new Date(date),
      tags: [],
      external: false,
      folder: { accountId: fields.accountId ?? 'account1', path: '/Inbox' },
    },
    full: { contentType: 'message/rfc822', headers, parts: inline.map((part) => ({ contentType: part.contentType, body: part.content })) },
    inline,
  };
}
