import type { ErrorCode, ErrorIssue } from '@orderpost/shared';

/**
 * Errors thrown by services. They know nothing about HTTP: `app.onError` maps
 * the code to its status and the `{ error: { code, message, requestId } }` body.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly issues?: ErrorIssue[],
    /** Sent as Retry-After: when trying again makes sense (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const notFound = (code: ErrorCode, message: string) => new AppError(code, message);
export const conflict = (code: ErrorCode, message: string, field?: string) => new AppError(code, message, field);
export const invalid = (code: ErrorCode, message: string, field?: string) => new AppError(code, message, field);
export const forbidden = (message: string) => new AppError('FORBIDDEN_ROLE', message);
