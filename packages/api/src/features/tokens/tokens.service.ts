import { and, asc, count, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Me, Role } from '@orderpost/shared';
import { advisoryLockKeys } from '../../db/advisory-locks.js';
import type { Queryable } from '../../db/client.js';
import type { Services } from '../../services.js';
import { apiTokens } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { ownDomains } from '../match/match.service.js';
import { type Caller, generateToken, hashToken } from './token-cache.js';

type TokenRow = typeof apiTokens.$inferSelect;

export function tokenView(row: TokenRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function createToken(services: Services, input: { name: string; role: Role }) {
  return insertToken(services.database.db, input);
}

async function insertToken(db: Queryable, input: { name: string; role: Role }) {
  const token = generateToken();
  const [row] = await db
    .insert(apiTokens)
    .values({ name: input.name, role: input.role, tokenHash: hashToken(token), prefix: token.slice(0, 10) })
    .returning();
  if (!row) throw new Error('token insert returned nothing');
  return { ...tokenView(row), token };
}

export async function listTokens(services: Services) {
  const rows = await services.database.db.select().from(apiTokens).orderBy(asc(apiTokens.id));
  return rows.map(tokenView);
}

/** Revoking the last working admin token would lock everybody out, so it is refused. The token stops working on this process at once. */
export async function revokeToken(services: Services, id: number) {
  const revoked = await services.database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${advisoryLockKeys.tokens})`);
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id));
    if (!row) throw new AppError('TOKEN_NOT_FOUND', `There is no token ${id}`);
    if (row.revokedAt) return tokenView(row);
    if (row.role === 'admin') {
      const [others] = await tx
        .select({ n: count() })
        .from(apiTokens)
        .where(and(eq(apiTokens.role, 'admin'), isNull(apiTokens.revokedAt), ne(apiTokens.id, id)));
      if (!others || others.n === 0) {
        throw new AppError('LAST_ADMIN_TOKEN', 'This is the last admin token; create another admin token before revoking it');
      }
    }
    const [updated] = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id)).returning();
    if (!updated) throw new AppError('TOKEN_NOT_FOUND', `There is no token ${id}`);
    return tokenView(updated);
  });
  services.tokens.forgetTokenId(revoked.id);
  return revoked;
}

/**
 * On the very first start (no token at all) creates an admin token and returns
 * it, so it can be printed once. The lock keeps two processes starting together
 * from both creating one.
 */
export async function ensureFirstAdminToken(services: Services): Promise<string | null> {
  return services.database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${advisoryLockKeys.tokens})`);
    const [existing] = await tx.select({ n: count() }).from(apiTokens);
    if (existing && existing.n > 0) return null;
    const created = await insertToken(tx, { name: 'first admin', role: 'admin' });
    return created.token;
  });
}

/** `GET /v1/me`: the caller's token and what a client needs of the shop's settings. */
export async function whoAmI(services: Services, caller: Caller): Promise<Me> {
  const settings = await services.settings.get();
  return {
    token: { id: caller.tokenId, name: caller.name, role: caller.role },
    shop: {
      name: settings.shopName,
      defaultCountry: settings.defaultCountry,
      defaultLanguage: settings.defaultLanguage,
      ownDomains: ownDomains(settings),
      publicBaseUrl: settings.publicBaseUrl,
    },
  };
}
