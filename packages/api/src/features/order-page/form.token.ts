import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { shopSettings } from '../../db/schema/index.js';
import type { Services } from '../../services.js';

/** How long a rendered form can be posted. */
export const formTokenLifetimeSeconds = 24 * 3600;
/** Clocks of several API processes may differ a little: a token "from the future" within this is accepted. */
const clockSkewSeconds = 300;

/** The form secret never changes once made: read once per services (one per process). */
const secrets = new WeakMap<object, Promise<Buffer>>();

/**
 * The shop's form secret, made on first use: written only where it is still
 * null (so two processes making one at once agree on whichever landed first)
 * and read back.
 */
export function formSecret(services: Services): Promise<Buffer> {
  const key = services;
  let secret = secrets.get(key);
  if (!secret) {
    secret = loadSecret(services.database.db);
    secrets.set(key, secret);
    // A failed read (database outage) is not remembered: the next form tries again.
    secret.catch(() => secrets.delete(key));
  }
  return secret;
}

async function loadSecret(db: Queryable): Promise<Buffer> {
  const read = async () =>
    (await db.select({ secret: shopSettings.pageFormSecret }).from(shopSettings).where(eq(shopSettings.id, 1)))[0]?.secret;
  let secret = await read();
  if (!secret) {
    await db
      .update(shopSettings)
      .set({ pageFormSecret: randomBytes(32).toString('base64url') })
      .where(and(eq(shopSettings.id, 1), isNull(shopSettings.pageFormSecret)));
    secret = await read();
  }
  if (!secret) throw new Error('shop_settings row 1 is missing; migrations were not applied');
  return Buffer.from(secret, 'base64url');
}

function signature(secret: Buffer, pageToken: string, issuedAt: number): Buffer {
  return createHmac('sha256', secret).update(`orderpost-page-form\0${pageToken}\0${issuedAt}`).digest();
}

/**
 * A token for the order page's form: `<issued at, unix seconds, base 36>.<HMAC>`,
 * bound to the page token (a token of one order's page is useless on
 * another's, and rotating the page token voids its forms) and valid 24 h.
 */
export async function issueFormToken(services: Services, pageToken: string): Promise<string> {
  const issuedAt = Math.floor(services.clock().getTime() / 1000);
  return `${issuedAt.toString(36)}.${signature(await formSecret(services), pageToken, issuedAt).toString('base64url')}`;
}

export type FormTokenCheck = 'valid' | 'invalid' | 'expired';

/** Whether a posted form token was issued by this shop for this page within its lifetime. */
export async function checkFormToken(services: Services, pageToken: string, token: string | null | undefined): Promise<FormTokenCheck> {
  const match = typeof token === 'string' ? /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
  if (!match?.[1] || !match[2]) return 'invalid';
  const issuedAt = Number.parseInt(match[1], 36);
  const given = Buffer.from(match[2], 'base64url');
  const expected = signature(await formSecret(services), pageToken, issuedAt);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  const age = services.clock().getTime() / 1000 - issuedAt;
  if (age < -clockSkewSeconds) return 'invalid';
  return age > formTokenLifetimeSeconds ? 'expired' : 'valid';
}
