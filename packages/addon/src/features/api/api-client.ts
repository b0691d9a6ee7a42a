import type { z } from 'zod';
import { ApiError, type ApiFailure } from './api-error.js';

export interface ApiCall {
  method: string;
  /** Path and query, without the base address. */
  path: string;
  /** HTTP status; 0 when no answer came (unreachable, timeout). */
  status: number;
  ms: number;
}

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
  timeoutMs?: number;
  /** Told about every call once it ended (the e2e hook keeps a log). */
  onCall?: (call: ApiCall) => void;
  now?: () => number;
}

export interface ApiClient {
  get<T>(path: string, schema: z.ZodType<T>): Promise<T>;
  post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
}

export const defaultTimeoutMs = 8000;

/**
 * A small client for the Orderpost API: bearer token, JSON both ways, a
 * deadline per call, and every failure turned into an `ApiError` whose
 * `failure` says what the seller should be told.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const now = options.now ?? (() => Date.now());
  const secure = options.baseUrl.startsWith('https:');

  async function call<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const started = now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status = 0;
    try {
      const init: RequestInit = {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
      };
      if (body !== undefined) init.body = JSON.stringify(body);
      let response: Response;
      try {
        response = await options.fetch(`${options.baseUrl}${path}`, init);
      } catch (error) {
        if (controller.signal.aborted) throw new ApiError({ kind: 'timeout', afterMs: timeoutMs });
        throw new ApiError({ kind: 'unreachable', secure, detail: error instanceof Error ? error.message : String(error) });
      }
      status = response.status;
      const payload = await readJson(response, controller, timeoutMs);
      if (!response.ok) throw new ApiError(failureFromAnswer(response.status, payload));
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        throw new ApiError({ kind: 'invalid-response', status, detail: parsed.error.issues[0]?.message ?? 'unexpected shape' });
      }
      return parsed.data;
    } finally {
      clearTimeout(timer);
      options.onCall?.({ method, path, status, ms: now() - started });
    }
  }

  return {
    get: (path, schema) => call('GET', path, undefined, schema),
    post: (path, body, schema) => call('POST', path, body, schema),
  };
}

async function readJson(response: Response, controller: AbortController, timeoutMs: number): Promise<unknown> {
  try {
    const text = await response.text();
    return text === '' ? null : JSON.parse(text);
  } catch (error) {
    if (controller.signal.aborted) throw new ApiError({ kind: 'timeout', afterMs: timeoutMs });
    if (!response.ok) return null;
    throw new ApiError({ kind: 'invalid-response', status: response.status, detail: error instanceof Error ? error.message : 'not JSON' });
  }
}

/** An error answer → what went wrong, from the API's `{ error: { code, message, requestId } }` when it has one. */
export function failureFromAnswer(status: number, payload: unknown): ApiFailure {
  const error = (payload as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `HTTP_${status}`;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const requestId = typeof error?.requestId === 'string' ? error.requestId : null;
  if (status === 401) return { kind: 'bad-token', code };
  if (status === 403) return { kind: 'wrong-role', code };
  // An error answer without our error body comes from something else at that address (a proxy, another server).
  if (!error) return { kind: 'invalid-response', status, detail: message };
  return { kind: 'http', status, code, message, requestId };
}
