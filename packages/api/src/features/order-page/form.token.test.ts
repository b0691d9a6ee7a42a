import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { shopSettings } from '../../db/schema/index.js';
import { createServices } from '../../services.js';
import { silentLogger } from '../../logger.js';
import { createTestContext, type TestContext, testConfig } from '../../../test/context.js';
import { checkFormToken, formTokenLifetimeSeconds, issueFormToken } from './form.token.js';

let now = new Date('2026-11-02T10:00:00Z');
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ clock: () => now });
});
afterAll(() => t.close());

describe('order-page form tokens', () => {
  it('accepts its own token for the same page within 24 h, and stores the secret once', async () => {
    const token = await issueFormToken(t.services, 'page-A');
    expect(await checkFormToken(t.services, 'page-A', token)).toBe('valid');
    const [row] = await t.database.db.select({ secret: shopSettings.pageFormSecret }).from(shopSettings).where(eq(shopSettings.id, 1));
    expect(row?.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Another process (its own services, same database) reads the same secret instead of making a new one.
    const other = createServices({ database: t.database, logger: silentLogger, config: testConfig, clock: () => now });
    expect(await checkFormToken(other, 'page-A', await issueFormToken(other, 'page-A'))).toBe('valid');
    expect(await checkFormToken(other, 'page-A', token)).toBe('valid');
  });

  it('refuses a token of another page, a tampered one, garbage and none', async () => {
    const token = await issueFormToken(t.services, 'page-A');
    const [issued, mac = ''] = token.split('.');
    const flipped = `${issued}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    expect(await checkFormToken(t.services, 'page-B', token)).toBe('invalid');
    expect(await checkFormToken(t.services, 'page-A', flipped)).toBe('invalid');
    // A later issue time with the old signature does not pass (the time is signed too).
    expect(await checkFormToken(t.services, 'page-A', `${(Number.parseInt(issued ?? '0', 36) + 1).toString(36)}.${mac}`)).toBe('invalid');
    for (const bad of ['', 'x', '.', `${issued}.`, `${token}x`, 'a'.repeat(5000), undefined, null])
      expect(await checkFormToken(t.services, 'page-A', bad)).toBe('invalid');
  });

  it('expires after 24 h', async () => {
    const token = await issueFormToken(t.services, 'page-A');
    const issued = now;
    now = new Date(issued.getTime() + (formTokenLifetimeSeconds - 1) * 1000);
    expect(await checkFormToken(t.services, 'page-A', token)).toBe('valid');
    now = new Date(issued.getTime() + (formTokenLifetimeSeconds + 1) * 1000);
    expect(await checkFormToken(t.services, 'page-A', token)).toBe('expired');
    now = issued;
  });
});
