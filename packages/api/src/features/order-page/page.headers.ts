import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../http/context.js';

/**
 * No scripts at all, styles and images from our own address only, forms only
 * back to us, never framed, no <base>. The page works without JavaScript, so
 * nothing needs more.
 */
export const pageCsp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Downloads (invoices, customer attachments, the logo) run nothing even when opened in the browser. */
export const downloadCsp = "default-src 'none'; sandbox";

/** Whether a path belongs to the public order page (its HTML answers, its 404 and its errors). */
export function isOrderPagePath(path: string): boolean {
  return path === '/p' || path.startsWith('/p/');
}

/**
 * Headers for everything under /p/: the page's address is its only secret, so
 * it is never sent on as a referrer, never stored by a proxy or the browser's
 * cache, never indexed, and the page is never framed or sniffed. Set before the
 * handler runs, so error and 404 answers carry them too.
 */
export const orderPageHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header('Content-Security-Policy', pageCsp);
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Robots-Tag', 'noindex, nofollow');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
  c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  await next();
};

/**
 * A Content-Disposition that always downloads, with a plain-ASCII name for old
 * clients and the real name (RFC 5987) for the rest; quotes, backslashes,
 * control characters and path separators never reach the header.
 */
export function attachmentDisposition(filename: string): string {
  const cleaned = filename.replace(/[\p{Cc}\\/"]+/gu, '_').trim() || 'file';
  const ascii = cleaned.replace(/[^\x20-\x7e]+/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
