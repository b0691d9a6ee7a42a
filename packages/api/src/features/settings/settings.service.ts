import { eq } from 'drizzle-orm';
import type { ShopSettings } from '@orderpost/shared';
import type { Db, Queryable } from '../../db/client.js';
import { files, shopSettings } from '../../db/schema/index.js';

type SettingsRow = typeof shopSettings.$inferSelect;

export async function readSettings(db: Queryable): Promise<ShopSettings> {
  const [row] = await db
    .select({ settings: shopSettings, logo: { id: files.id, contentType: files.contentType, size: files.size } })
    .from(shopSettings)
    .leftJoin(files, eq(files.id, shopSettings.logoFileId))
    .where(eq(shopSettings.id, 1));
  if (!row) throw new Error('shop_settings row 1 is missing; migrations were not applied');
  return settingsView(row.settings, row.logo?.id ? row.logo : null);
}

function settingsView(row: SettingsRow, logo: ShopSettings['logo']): ShopSettings {
  return {
    shopName: row.shopName,
    logo,
    publicBaseUrl: row.publicBaseUrl,
    defaultCountry: row.defaultCountry,
    defaultLanguage: row.defaultLanguage,
    replyToEmail: row.replyToEmail,
    replyToName: row.replyToName,
    notificationEmail: row.notificationEmail,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const cacheMs = 10_000;

/**
 * Settings are read on hot paths (phone normalisation needs the default
 * country), so they are cached briefly. A change made through this process is
 * seen at once; other processes see it within 10 s.
 */
export class SettingsCache {
  private value: { settings: ShopSettings; expires: number } | null = null;

  constructor(private readonly db: Db) {}

  async get(): Promise<ShopSettings> {
    const now = Date.now();
    if (this.value && this.value.expires > now) return this.value.settings;
    const settings = await readSettings(this.db);
    this.value = { settings, expires: now + cacheMs };
    return settings;
  }

  invalidate(): void {
    this.value = null;
  }
}

export async function updateSettings(db: Db, patch: Partial<Omit<SettingsRow, 'id' | 'updatedAt'>>, now: Date): Promise<ShopSettings> {
  await db
    .update(shopSettings)
    .set({ ...patch, updatedAt: now })
    .where(eq(shopSettings.id, 1));
  return readSettings(db);
}
