import { type AddonSettings, addonSettings } from '@orderpost/shared/schemas/addon';
import type { Host } from '../../host/host.js';
import { parseApiAddress } from './api-address.js';

export { originPermission, parseApiAddress } from './api-address.js';

export const defaultSettings: AddonSettings = { apiUrl: '', token: '', language: 'auto', tagMessages: false };
const key = 'settings';

/** The saved settings; anything missing or malformed falls back to the defaults field by field. */
export async function loadSettings(host: Pick<Host, 'storage'>): Promise<AddonSettings> {
  const stored = (await host.storage.local.get(key))[key];
  const merged = { ...defaultSettings, ...(typeof stored === 'object' && stored !== null ? stored : {}) };
  const parsed = addonSettings.safeParse(merged);
  return parsed.success ? parsed.data : defaultSettings;
}

export async function saveSettings(host: Pick<Host, 'storage'>, settings: AddonSettings): Promise<void> {
  await host.storage.local.set({ [key]: addonSettings.parse(settings) });
}

export function settingsChanged(changes: Record<string, unknown>): boolean {
  return key in changes;
}

/** Whether the add-on can talk to the API at all. */
export function isConfigured(settings: AddonSettings): boolean {
  return parseApiAddress(settings.apiUrl).ok && settings.token.trim() !== '';
}
