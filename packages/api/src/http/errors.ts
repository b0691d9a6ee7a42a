import { httpStatusOf, type ErrorBody, type ErrorCode } from '@orderpost/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../errors.js';
import type { AppEnv } from './context.js';

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
  return c.json(body, httpStatusOf(error.code) as ContentfulStatusCode);
}

/** The single place where anything thrown becomes an HTTP answer. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) return errorResponse(c, err);
  if (err instanceof HTTPException) return errorResponse(c, fromHttpException(err));
  const logger = c.get('logger');
  logger?.error({ err }, 'unhandled error');
  return errorResponse(c, new AppError('INTERNAL_ERROR', 'Something went wrong on our side; the request id identifies it in the logs'));
}

function fromHttpException(err: HTTPException): AppError {
  const code: ErrorCode =
    err.status === 413 ? 'PAYLOAD_TOO_LARGE'
    : err.status === 400 && /json/i.test(err.message) ? 'INVALID_JSON'
    : err.status === 401 ? 'TOKEN_INVALID'
    : err.status === 404 ? 'ROUTE_NOT_FOUND'
    : err.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE'
    : 'VALIDATION_FAILED';
  const message = code === 'INVALID_JSON' ? 'The request body is not valid JSON' : err.message || 'Bad request';
  return new AppError(code, message);
}
