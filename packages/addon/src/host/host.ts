/**
 * The part of Thunderbird's `messenger` API the add-on uses, declared here
 * rather than taken whole from @types/thunderbird-webext-browser: that package
 * stops at Thunderbird 127 (no `messages.listInlineTextParts`, no
 * `messages.tags`), and a narrow interface is what `test/fake-messenger.ts`
 * implements. `browser-host.ts` is the only place the real object is reached.
 */

export interface Event<Listener extends (...args: never[]) => unknown> {
  addListener(listener: Listener): void;
  removeListener(listener: Listener): void;
}

export interface Tab {
  id?: number;
  windowId?: number;
  type?: string;
  active?: boolean;
}

export interface MessageHeader {
  id: number;
  headerMessageId: string;
  author: string;
  recipients: string[];
  ccList: string[];
  subject: string;
  date: Date | string | number;
  tags: string[];
  external?: boolean;
  folder?: { accountId: string; path?: string };
}

export interface MessagePart {
  contentType?: string;
  headers?: Record<string, string[]>;
  body?: string;
  parts?: MessagePart[];
  name?: string;
  size?: number;
}

export interface InlineTextPart {
  contentType: string;
  content: string;
}

export interface MessageTag {
  key: string;
  tag: string;
  color: string;
  ordinal?: string;
}

export interface Identity {
  id: string;
  accountId?: string;
  email: string;
  name: string;
  label?: string;
}

export interface ComposeRecipientDetails {
  identityId?: string;
  to?: string | string[];
  subject?: string;
  body?: string;
  plainTextBody?: string;
  isPlainText?: boolean;
  relatedMessageId?: number;
  type?: 'draft' | 'new' | 'redirect' | 'reply' | 'forward';
}

export interface SendInfo {
  mode: 'sendNow' | 'sendLater';
  error?: string;
  headerMessageId?: string;
  messages?: MessageHeader[];
}

export type StorageChanges = Record<string, { oldValue?: unknown; newValue?: unknown }>;

export interface MessageSender {
  id?: string;
  url?: string;
  tab?: Tab;
}

export interface Host {
  runtime: {
    id: string;
    getURL(path: string): string;
    openOptionsPage(): Promise<void>;
    sendMessage(message: unknown): Promise<unknown>;
    onMessage: Event<(message: unknown, sender: MessageSender) => Promise<unknown> | undefined>;
    onMessageExternal: Event<(message: unknown, sender: MessageSender) => Promise<unknown> | undefined>;
    onInstalled: Event<(details: { reason: string }) => void>;
  };
  storage: {
    local: {
      get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
    onChanged: Event<(changes: StorageChanges, areaName: string) => void>;
  };
  messageDisplay: {
    onMessagesDisplayed: Event<(tab: Tab, messages: { messages: MessageHeader[] } | MessageHeader[]) => void>;
    getDisplayedMessages(tabId: number): Promise<{ messages: MessageHeader[] } | MessageHeader[]>;
  };
  messageDisplayAction: {
    setBadgeText(details: { tabId?: number; text: string | null }): Promise<void>;
    getBadgeText(details: { tabId?: number }): Promise<string>;
    setBadgeBackgroundColor(details: { tabId?: number; color: string | null }): Promise<void>;
    setTitle(details: { tabId?: number; title: string | null }): Promise<void>;
    getTitle(details: { tabId?: number }): Promise<string>;
    /** Opens this add-on's own popup (Thunderbird 128+). */
    openPopup?(options?: { windowId?: number }): Promise<boolean | undefined>;
  };
  messages: {
    get(messageId: number): Promise<MessageHeader>;
    getFull(messageId: number): Promise<MessagePart>;
    /** Thunderbird 128+: the message's decoded text/plain and text/html parts that are shown inline. */
    listInlineTextParts?(messageId: number): Promise<InlineTextPart[]>;
    update(messageId: number, properties: { tags?: string[] }): Promise<void>;
    /** Thunderbird 121+. */
    tags?: {
      list(): Promise<MessageTag[]>;
      create(key: string, tag: string, color: string): Promise<void>;
    };
  };
  compose: {
    beginReply(
      messageId: number,
      replyType?: 'replyToSender' | 'replyToAll' | 'replyToList',
      details?: ComposeRecipientDetails,
    ): Promise<Tab>;
    getComposeDetails(tabId: number): Promise<ComposeRecipientDetails>;
    setComposeDetails(tabId: number, details: ComposeRecipientDetails): Promise<void>;
    onAfterSend: Event<(tab: Tab, sendInfo: SendInfo) => void>;
  };
  identities: {
    list(accountId?: string): Promise<Identity[]>;
  };
  permissions: {
    contains(permissions: { permissions?: string[]; origins?: string[] }): Promise<boolean>;
    request(permissions: { permissions?: string[]; origins?: string[] }): Promise<boolean>;
  };
  tabs: {
    query(query: { active?: boolean; currentWindow?: boolean; lastFocusedWindow?: boolean }): Promise<Tab[]>;
  };
  i18n: {
    getMessage(name: string, substitutions?: string | string[]): string;
    getUILanguage(): string;
  };
}

/** `onMessagesDisplayed` and `getDisplayedMessages` return a MessageList in Thunderbird 128+, an array before. */
export function displayedHeaders(list: { messages: MessageHeader[] } | MessageHeader[]): MessageHeader[] {
  return Array.isArray(list) ? list : list.messages;
}
