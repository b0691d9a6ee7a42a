import { httpStatusOf, type ErrorBody, type ErrorCode } from '@orderpost/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../errors.js';
import type { AppEnv } from './context.js';
import { constraintOf, databaseErrorCode, errorChain } from '../db/errors.js';

export function errorResponse(c: Context<AppEnv>, error: AppError): Response {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      requestId: c.get('requestId') ?? 'unknown',
      ...(error.field ? { field: error.field } : {}),
      ...(error.issues && error.issues.length > 0 ? { issues: error.issues } : {}),
    },
  };
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  return c.json(body, httpStatusOf(error.code) as ContentfulStatusCode);
}

/** The single place where anything thrown becomes an HTTP answer. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) return errorResponse(c, err);
  if (err instanceof HTTPException) return errorResponse(c, fromHttpException(err));
  const refused = refusedByDatabase(err);
  if (refused) return errorResponse(c, refused);
  const logger = c.get('logger');
  if (databaseUnavailable(err)) {
    logger?.warn({ err }, 'database unavailable');
    return errorResponse(c, databaseUnavailableError());
  }
  logger?.error({ err }, 'unhandled error');
  return errorResponse(c, new AppError('INTERNAL_ERROR', 'Something went wrong on our side; the request id identifies it in the logs'));
}

function fromHttpException(err: HTTPException): AppError {
  const code: ErrorCode =
    err.status === 413
      ? 'PAYLOAD_TOO_LARGE'
      : err.status === 400 && /json/i.test(err.message)
        ? 'INVALID_JSON'
        : err.status === 401
          ? 'TOKEN_INVALID'
          : err.status === 404
            ? 'ROUTE_NOT_FOUND'
            : err.status === 415
              ? 'UNSUPPORTED_MEDIA_TYPE'
              : 'VALIDATION_FAILED';
  const message = code === 'INVALID_JSON' ? 'The request body is not valid JSON' : err.message || 'Bad request';
  return new AppError(code, message);
}

/**
 * Values the validation let through but PostgreSQL cannot take: a number out of
 * its range (22003) or text with a NUL character (22021, 22P05). The caller's
 * input is at fault, so it is a 400, not a 500.
 */
function refusedByDatabase(err: Error): AppError | null {
  const code = databaseErrorCode(err);
  if (code === '22003') return new AppError('INVALID_VALUE', 'A number in the request is out of range');
  // Two requests creating the same number at once: the loser hears what a later request would.
  if (code === '23505' && constraintOf(err) === 'orders_number_compact_key') {
    return new AppError('DUPLICATE_ORDER_NUMBER', 'This order number is already used by another order', 'number');
  }
  if (code === '22021' || code === '22P05')
    return new AppError('INVALID_VALUE', 'The request contains a character that cannot be stored (NUL, \\u0000)');
  return null;
}

/** How long a client is asked to wait before retrying while PostgreSQL is unreachable or too slow. */
const databaseRetryAfterSeconds = 5;

export const databaseUnavailableError = () =>
  new AppError(
    'DATABASE_UNAVAILABLE',
    'The database is unavailable or too slow to answer right now; try again shortly',
    undefined,
    undefined,
    databaseRetryAfterSeconds,
  );

/** The driver's own codes for a connection that failed, closed or timed out, and the socket errors under them. */
const unavailableDriverCodes = new Set([
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'DATABASE_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL is down, restarting, out of connections, or too slow: nothing the
 * caller did, and worth retrying — 503 DATABASE_UNAVAILABLE with Retry-After.
 * SQLSTATE class 08 (connection exception), 57P01/57P02/57P03 (shut down,
 * crashed, starting up), 53300 (too many connections), 57014 (statement
 * timeout or our own deadline), 25P03 (idle-in-transaction timeout).
 */
export function databaseUnavailable(err: unknown): boolean {
  for (const error of errorChain(err)) {
    const { code } = error;
    if (typeof code === 'string') {
      if (unavailableDriverCodes.has(code)) return true;
      if (/^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300', '57014', '25P03'].includes(code)) return true;
    }
    // AggregateError (a host name with several addresses, all refused) carries the socket errors in `errors`.
    const inner = error.errors;
    if (Array.isArray(inner) && inner.some((each) => databaseUnavailable(each))) return true;
  }
  return false;
}
