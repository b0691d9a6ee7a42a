export type ApiAddress =
  | { ok: true; baseUrl: string; origin: string; local: boolean }
  | { ok: false; problem: 'missing' | 'invalid' | 'insecure' };

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads the API address the seller typed. https anywhere; plain http only on
 * this computer (localhost), which is all the manifest's content security
 * policy lets through — a token must not cross a network in the clear.
 */
export function parseApiAddress(input: string): ApiAddress {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'missing' };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'invalid' };
  if (url.username || url.password || url.search || url.hash) return { ok: false, problem: 'invalid' };
  const local = loopbackHosts.has(url.hostname);
  if (url.protocol === 'http:' && !local) return { ok: false, problem: 'insecure' };
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, baseUrl: `${url.origin}${path}`, origin: url.origin, local };
}

/** The host permission pattern for an origin (match patterns ignore the port). */
export function originPermission(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}
