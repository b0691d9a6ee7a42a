import { eq } from 'drizzle-orm';
import type { FileUpload, ShopSettings } from '@orderpost/shared';
import type { Db, Queryable } from '../../db/client.js';
import type { Services } from '../../services.js';
import { decodeUpload, imageKinds, storeFile } from '../files/file-content.js';
import { files, scheduledRuns, shopSettings } from '../../db/schema/index.js';
import { refreshLookupFormsJob } from '../orders/orders.lookup-forms.js';

type SettingsRow = typeof shopSettings.$inferSelect;

/** The stored settings, read straight from the database (for the cache and right after a change). */
async function readSettings(db: Queryable): Promise<ShopSettings> {
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
    pageFormEnabled: row.pageFormEnabled,
    noReplyFooter: row.noReplyFooter,
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

/** The settings as stored now (not from the cache: an admin reading them expects their last change). */
export async function currentSettings(services: Services): Promise<ShopSettings> {
  services.settings.invalidate();
  return services.settings.get();
}

/**
 * Changes the fields given; this process sees the change at once, others within
 * the cache lifetime. A new default country changes how stored national phone
 * numbers read: the worker's look-up form job is made due, so its next tick
 * reads them again.
 */
export async function updateSettings(
  services: Services,
  patch: Partial<Omit<SettingsRow, 'id' | 'updatedAt' | 'pageFormSecret'>>,
): Promise<ShopSettings> {
  const { db } = services.database;
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ defaultCountry: shopSettings.defaultCountry })
      .from(shopSettings)
      .where(eq(shopSettings.id, 1))
      .for('update');
    await tx
      .update(shopSettings)
      .set({ ...patch, updatedAt: services.clock() })
      .where(eq(shopSettings.id, 1));
    if (patch.defaultCountry !== undefined && patch.defaultCountry !== before?.defaultCountry)
      await tx.delete(scheduledRuns).where(eq(scheduledRuns.job, refreshLookupFormsJob));
  });
  services.settings.invalidate();
  return readSettings(db);
}

/** Stores an uploaded image as the shop's logo. */
export async function setLogo(services: Services, upload: FileUpload): Promise<ShopSettings> {
  const file = decodeUpload(upload, 'file', imageKinds, services.config.FILE_MAX_BYTES);
  const fileId = await services.database.db.transaction((tx) => storeFile(tx, file));
  return updateSettings(services, { logoFileId: fileId });
}
