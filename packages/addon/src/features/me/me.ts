import { type Me, me } from '@orderpost/shared/schemas/me';
import type { ApiClient } from '../api/api-client.js';

/** How long the shop settings the extractor needs (country, own domains) are reused before asking again. */
export const meTtlMs = 60 * 60 * 1000;

export interface MeCache {
  get(client: ApiClient, key: string): Promise<Me>;
  clear(): void;
}

/** `GET /v1/me`, remembered per address+token for an hour (it changes rarely and every match needs it). */
export function createMeCache(now: () => number = () => Date.now()): MeCache {
  let cached: { key: string; at: number; value: Promise<Me> } | null = null;
  return {
    get(client, key) {
      if (cached && cached.key === key && now() - cached.at < meTtlMs) return cached.value;
      const value = client.get('/v1/me', me);
      cached = { key, at: now(), value };
      value.catch(() => {
        if (cached?.value === value) cached = null;
      });
      return value;
    },
    clear() {
      cached = null;
    },
  };
}

/** Roles that can use the add-on: it matches, files, replies and changes statuses. */
export function roleCanUseAddon(role: Me['token']['role']): boolean {
  return role === 'agent' || role === 'admin';
}
