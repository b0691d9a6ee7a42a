import type { ErrorCode } from '@orderpost/shared/errors';

/**
 * Why a call to the API did not give what was asked, in the terms the seller
 * is told: each kind has its own message in the popup, badge and options.
 */
export type ApiFailure =
  | { kind: 'not-configured' }
  /** Thunderbird has not been allowed to reach the API's origin (a host permission the options page asks for). */
  | { kind: 'no-permission'; origin: string }
  /** No answer at all: the server is down, the address is wrong, or (https) its certificate is not trusted. */
  | { kind: 'unreachable'; secure: boolean; detail: string }
  | { kind: 'timeout'; afterMs: number }
  /** 401: no token, or not one the API knows. */
  | { kind: 'bad-token'; code: string }
  /** 403: the token's role may not do this (the add-on needs an agent or admin token). */
  | { kind: 'wrong-role'; code: string }
  /** Any other error answer. */
  | { kind: 'http'; status: number; code: ErrorCode | string; message: string; requestId: string | null }
  /** An answer that is not what the contract says (an other server at that address, a proxy page …). */
  | { kind: 'invalid-response'; status: number; detail: string };

export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(describeFailureForLog(failure));
    this.name = 'ApiError';
  }
}

function describeFailureForLog(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'http':
      return `API ${failure.status} ${failure.code}: ${failure.message}`;
    case 'unreachable':
      return `API unreachable: ${failure.detail}`;
    case 'timeout':
      return `API timeout after ${failure.afterMs} ms`;
    case 'invalid-response':
      return `API answer not understood (${failure.status}): ${failure.detail}`;
    default:
      return `API ${failure.kind}`;
  }
}

export function failureOf(error: unknown): ApiFailure {
  if (error instanceof ApiError) return error.failure;
  return { kind: 'invalid-response', status: 0, detail: error instanceof Error ? error.message : String(error) };
}
