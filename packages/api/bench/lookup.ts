import autocannon from 'autocannon';
import type { ServerChild } from './children.js';
import { round } from './import.js';
import type { BenchData, Lookup } from './orders.js';

export type LookupName = keyof BenchData['lookups'];
export const lookupNames: LookupName[] = ['email', 'phone', 'number'];

export interface LoadFigure {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

/** Our API: the value as typed, in the query string, with the bench token. */
export function ourPaths(lookups: Lookup[], name: LookupName): string[] {
  return lookups.map((lookup) => `/v1/orders?${name}=${encodeURIComponent(lookup.query)}`);
}

/** The reference: the normalised value in the path. */
export function referencePaths(lookups: Lookup[], name: LookupName): string[] {
  return lookups.map((lookup) => `/orders/${name}/${encodeURIComponent(lookup.key)}`);
}

/** One request first, so a wrong setup shows as an error rather than as fast 404s. */
export async function assertFindsOrders(server: ServerChild, path: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
  const body = (await response.json()) as { orders?: unknown[] };
  if (response.status !== 200 || !body.orders?.length) {
    throw new Error(
      `GET ${path} answered ${response.status} with ${body.orders?.length ?? 0} orders: ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
}

/** autocannon with `next()` giving each request (method, path, body), after a warm-up run that is not counted. */
export async function measureRequests(
  url: string,
  headers: Record<string, string>,
  options: LoadOptions,
  next: () => { method: 'GET' | 'POST'; path: string; body?: string },
): Promise<LoadFigure> {
  const run = (seconds: number) =>
    autocannon({
      url,
      connections: options.connections,
      duration: seconds,
      timeout: 10,
      headers,
      requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
    });
  if (options.warmupSeconds > 0) await run(options.warmupSeconds);
  const result = await run(options.durationSeconds);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: round(result.latency.p50, 1),
    p99Ms: round(result.latency.p99, 1),
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** autocannon against a rotating list of paths: every request asks for another existing value. */
export async function measure(
  server: ServerChild,
  paths: string[],
  headers: Record<string, string>,
  options: LoadOptions,
): Promise<LoadFigure> {
  let next = 0;
  return measureRequests(server.url, headers, options, () => ({ method: 'GET', path: paths[next++ % paths.length] ?? '/' }));
}
