import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../services.js';
import type { AppEnv } from './context.js';

const validRequestId = /^[A-Za-z0-9._:-]{1,100}$/;

/** Gives every request an id (the caller's X-Request-Id when sane), a child logger, and one log line at the end. */
export function requestContext(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && validRequestId.test(incoming) ? incoming : randomUUID();
    const logger = services.logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', logger);
    c.set('services', services);
    // Set before the handler runs: a header added to a finished response makes Hono copy the whole response.
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: redactPageToken(c.req.path),
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) logger.error(line, 'request failed');
    else logger.info(line, 'request');
  };
}

/** The order page's address is its only key: logs show `/p/…` instead of the token. */
export function redactPageToken(path: string): string {
  return path.replace(/^\/p\/(?!assets\/)[^/]+/, '/p/…');
}
