import type { AddonSettings } from '@orderpost/shared/schemas/addon';
import type { Me } from '@orderpost/shared/schemas/me';
import type { Host } from '../../host/host.js';
import { type ApiCall, type ApiClient, createApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import type { Translate } from '../i18n/translate.js';
import { MatchCache } from '../match/match-cache.js';
import { createMeCache } from '../me/me.js';
import { loadSettings, originPermission, parseApiAddress } from '../settings/settings.js';

/** What every background feature is given: the host, the settings, an API client, the caches. */
export interface Context {
  host: Host;
  now(): number;
  settings(): Promise<AddonSettings>;
  /** A client for the configured API; throws ApiError `not-configured` when there is none. */
  client(): Promise<ApiClient>;
  /** A client for an address and token not saved yet (test connection). */
  clientFor(baseUrl: string, token: string): ApiClient;
  /** The shop settings the extractor needs, from `GET /v1/me` (cached). */
  me(): Promise<Me>;
  translate(): Promise<Translate>;
  cache: MatchCache;
  log: BackgroundLog;
}

/** What the e2e hook reads back. */
export interface BackgroundLog {
  apiCalls: ApiCall[];
  lastDisplayToBadgeMs: number | null;
  lastMessageId: string | null;
}

export const apiCallLogSize = 500;

export interface ContextDeps {
  host: Host;
  fetch: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** The translator for the chosen language (see i18n/locale.ts). */
  translatorFor(settings: AddonSettings): Promise<Translate>;
}

export function createContext(deps: ContextDeps): Context {
  const now = deps.now ?? (() => Date.now());
  const log: BackgroundLog = { apiCalls: [], lastDisplayToBadgeMs: null, lastMessageId: null };
  const meCache = createMeCache(now);
  const cache = new MatchCache(now);
  const onCall = (call: ApiCall) => {
    log.apiCalls.push(call);
    if (log.apiCalls.length > apiCallLogSize) log.apiCalls.splice(0, log.apiCalls.length - apiCallLogSize);
  };
  const clientFor = (baseUrl: string, token: string): ApiClient =>
    createApiClient({
      baseUrl,
      token,
      fetch: deps.fetch,
      now,
      onCall,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    });
  const settings = () => loadSettings(deps.host);
  const client = async () => {
    const current = await settings();
    const address = parseApiAddress(current.apiUrl);
    if (!address.ok || current.token.trim() === '') throw new ApiError({ kind: 'not-configured' });
    // Without the host permission the API's answers are blocked (it sends no CORS headers): say so, not "unreachable".
    const permitted = await deps.host.permissions.contains({ origins: [originPermission(address.origin)] }).catch(() => true);
    if (!permitted) throw new ApiError({ kind: 'no-permission', origin: address.origin });
    return clientFor(address.baseUrl, current.token.trim());
  };
  return {
    host: deps.host,
    now,
    settings,
    client,
    clientFor,
    async me() {
      const current = await settings();
      return meCache.get(await client(), `${current.apiUrl}\n${current.token}`);
    },
    async translate() {
      return deps.translatorFor(await settings());
    },
    cache,
    log,
    // Settings changes clear what depended on the old ones (see background).
  };
}

export function resetCaches(context: Context): void {
  context.cache.clear();
}
