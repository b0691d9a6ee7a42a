import { createHash } from 'node:crypto';
import { idempotencyKey } from '@orderpost/shared';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import { z } from 'zod';
import type { Tx } from '../db/client.js';
import { databaseErrorCode } from '../db/errors.js';
import { idempotencyKeys } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import type { Services } from '../services.js';
import type { AppEnv } from './context.js';

/** What a route's work answers: the status and the JSON body (stored as they are for a repeat). */
export interface IdempotentAnswer<T extends object, S extends ContentfulStatusCode> {
  status: S;
  body: T;
}

/** The answer typed as the route declares it (what `c.json(body, status)` would give). */
export type IdempotentResponse<T extends object, S extends ContentfulStatusCode> = Response & TypedResponse<JSONParsed<T>, S, 'json'>;

/** A key is kept this long; after it, the same key is a new request. */
export const idempotencyKeyHours = 24;

/** How long a repeat waits for the first request with its key before answering 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
const inProgressWaitMs = 10_000;

/** For `createRoute`: `request: { headers: idempotencyHeaders, … }` documents (and checks) the header. */
export const idempotencyHeaders = z.object({
  'idempotency-key': idempotencyKey.optional().meta({
    description: `Makes the request safe to repeat: a repeat with the same key and body within ${idempotencyKeyHours} h gets the first answer again (with \`Idempotent-Replayed: true\`) instead of doing it twice. 1–255 visible ASCII characters, per token.`,
  }),
});

/**
 * Runs a POST route's work in one transaction with its `Idempotency-Key`
 * record, and answers with what the work returned:
 *
 *   return withIdempotency(c, async (tx) => ({ status: 201, body: await addNote(tx, …) }));
 *
 * Without the header the work simply runs in a transaction. With it, the key
 * (per token) is claimed first in that transaction: a second request with the
 * key waits on the unique index until the first commits, then replays its
 * answer — or does the work itself when the first rolled back (only successful
 * answers are kept: an error leaves nothing, so the request can be retried).
 * The answer is stored in the same transaction as the work, so a crash leaves
 * neither. The same key with another method, path or body is 422
 * IDEMPOTENCY_KEY_REUSED; a first request still running after 10 s makes the
 * repeat 409 IDEMPOTENCY_KEY_IN_PROGRESS.
 */
export async function withIdempotency<T extends object, S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  work: (tx: Tx) => Promise<IdempotentAnswer<T, S>>,
): Promise<IdempotentResponse<T, S>> {
  const services = c.get('services');
  const header = c.req.header('idempotency-key');
  if (header === undefined) {
    const answer = await services.database.db.transaction(work);
    return send<T, S>(c, answer.status, JSON.stringify(answer.body), false);
  }
  const parsed = idempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw new AppError('INVALID_VALUE', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters', 'idempotency-key');
  }
  const key = parsed.data;
  const { tokenId } = c.get('caller');
  const requestHash = await hashRequest(c);
  const now = services.clock();
  const thisKey = and(eq(idempotencyKeys.tokenId, tokenId), eq(idempotencyKeys.key, key));
  try {
    const result = await services.database.db.transaction(async (tx) => {
      const stored = await claimKey<S>(tx, { tokenId, key, requestHash, now });
      if (stored) return { ...stored, replayed: true };
      const answer = await work(tx);
      const body = JSON.stringify(answer.body);
      // The one statement after the work's journal row: the answer is only known once the work is done.
      await tx
        .update(idempotencyKeys)
        .set({ status: answer.status, response: sql`to_jsonb(${body}::text)` })
        .where(thisKey);
      return { status: answer.status, body, replayed: false };
    });
    return send<T, S>(c, result.status, result.body, result.replayed);
  } catch (err) {
    if (databaseErrorCode(err) === '55P03') {
      throw new AppError('IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; repeat it shortly');
    }
    throw err;
  }
}

interface Claim {
  tokenId: number;
  key: string;
  requestHash: string;
  now: Date;
}

/** Claims the key for this transaction, or returns the answer stored under it. */
async function claimKey<S extends ContentfulStatusCode>(tx: Tx, claim: Claim): Promise<{ status: S; body: string } | null> {
  const thisKey = and(eq(idempotencyKeys.tokenId, claim.tokenId), eq(idempotencyKeys.key, claim.key));
  // An expired record of this key is as good as gone (the worker deletes the others).
  await tx.delete(idempotencyKeys).where(and(thisKey, lt(idempotencyKeys.createdAt, expiredBefore(claim.now))));
  // Waiting for another transaction's claim is a lock wait: bounded here, and only here.
  await tx.execute(sql`select set_config('lock_timeout', ${`${inProgressWaitMs}ms`}, true)`);
  const [claimed] = await tx
    .insert(idempotencyKeys)
    .values({
      tokenId: claim.tokenId,
      key: claim.key,
      requestHash: claim.requestHash,
      status: 0,
      response: sql`'""'::jsonb`,
      createdAt: claim.now,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  await tx.execute(sql`set local lock_timeout to default`);
  if (claimed) return null;
  // The JSON text itself (`#>> '{}'`): the drivers would parse the jsonb string for us.
  const [stored] = await tx
    .select({
      requestHash: idempotencyKeys.requestHash,
      status: idempotencyKeys.status,
      body: sql<string>`${idempotencyKeys.response} #>> '{}'`,
    })
    .from(idempotencyKeys)
    .where(thisKey);
  if (!stored) throw new Error('the Idempotency-Key record vanished between claiming and reading it');
  if (stored.requestHash !== claim.requestHash) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request (method, path or body); use a new key for a new request',
      'idempotency-key',
    );
  }
  return { status: stored.status as S, body: stored.body };
}

/** The answer's JSON text is kept as a jsonb string, so a replay is byte for byte the first answer (jsonb reorders keys). */
function send<T extends object, S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  status: S,
  body: string,
  replayed: boolean,
): IdempotentResponse<T, S> {
  c.header('Content-Type', 'application/json');
  if (replayed) c.header('Idempotent-Replayed', 'true');
  // The body is the JSON of a T (this request's, or the first one's with the same hash): typed as c.json would type it.
  return c.body(body, status) as Response as IdempotentResponse<T, S>;
}

/** SHA-256 of method, path with query, and the JSON body with its object keys sorted (key order is no difference). */
async function hashRequest(c: Context<AppEnv>): Promise<string> {
  const url = new URL(c.req.url);
  let body: unknown = null;
  try {
    body = await c.req.json();
  } catch {
    body = null;
  }
  return createHash('sha256')
    .update(`${c.req.method}\n${url.pathname}${url.search}\n${sortedJson(body)}`)
    .digest('hex');
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function expiredBefore(now: Date): Date {
  return new Date(now.getTime() - idempotencyKeyHours * 60 * 60 * 1000);
}

/** Deletes keys older than `idempotencyKeyHours`; the worker runs it every hour. Returns how many went. */
export async function deleteExpiredIdempotencyKeys(services: Services, now: Date = services.clock()): Promise<number> {
  const gone = await services.database.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, expiredBefore(now)))
    .returning({ key: idempotencyKeys.key });
  return gone.length;
}
