import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Role } from '@orderpost/shared';
import type { Db } from '../../db/client.js';
import { apiTokens } from '../../db/schema/index.js';

/** Who is calling: the token's id, role and name. */
export interface Caller {
  tokenId: number;
  role: Role;
  name: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `op_` + 40 base62 characters (~238 bits). The prefix makes leaked tokens easy to grep for. */
export function generateToken(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(64);
  let body = '';
  for (const byte of bytes) {
    if (byte >= 248) continue; // 248 = 4 × 62: keeps the distribution uniform
    body += alphabet[byte % 62];
    if (body.length === 40) break;
  }
  return body.length === 40 ? `op_${body}` : generateToken();
}

const positiveTtlMs = 10_000;
const negativeTtlMs = 2_000;
const lastUsedWriteEveryMs = 60_000;

interface Entry {
  caller: Caller | null;
  expires: number;
}

/**
 * Verifies tokens with a short-lived cache so a request costs no extra query.
 * A revocation on this process takes effect at once; other processes notice it
 * within the cache lifetime (10 s).
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(token: string): Promise<Caller | null> {
    if (token.length > 200) return null;
    const hash = hashToken(token);
    const cached = this.entries.get(hash);
    const now = this.now();
    if (cached && cached.expires > now) {
      this.touch(cached.caller);
      return cached.caller;
    }
    const [row] = await this.db
      .select({ id: apiTokens.id, role: apiTokens.role, name: apiTokens.name })
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
    const caller: Caller | null = row ? { tokenId: row.id, role: row.role as Role, name: row.name } : null;
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(hash, { caller, expires: now + (caller ? positiveTtlMs : negativeTtlMs) });
    this.touch(caller);
    return caller;
  }

  /** Forget a revoked token at once on this process. */
  forgetTokenId(tokenId: number): void {
    for (const [hash, entry] of this.entries) {
      if (entry.caller?.tokenId === tokenId) this.entries.delete(hash);
    }
  }

  /** Records use at most once a minute per token, off the request path. */
  private touch(caller: Caller | null): void {
    if (!caller) return;
    const now = this.now();
    const last = this.lastUsedWritten.get(caller.tokenId) ?? 0;
    if (now - last < lastUsedWriteEveryMs) return;
    this.lastUsedWritten.set(caller.tokenId, now);
    this.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, caller.tokenId))
      .catch(() => this.lastUsedWritten.delete(caller.tokenId));
  }
}
