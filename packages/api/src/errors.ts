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
