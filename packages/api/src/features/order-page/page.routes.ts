import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../http/context.js';
import { pageCss, pageCssName } from './page.css.js';
import { attachmentDisposition, downloadCsp } from './page.headers.js';
import { orderPageNotFound, renderOrderPage } from './page.render.js';
import { customerAttachment, type Download, invoiceDownload, logoDownload } from './page.service.js';

/** Assets have their version in their address (a hash, a file id): kept by browsers and proxies for a year. */
const immutable = 'public, max-age=31536000, immutable';

function download(
  c: Context<AppEnv>,
  file: Download | null,
  disposition: 'attachment' | 'inline' = 'attachment',
): Response | Promise<Response> {
  if (!file) return orderPageNotFound(c);
  c.header('Content-Security-Policy', downloadCsp);
  return c.body(new Uint8Array(file.content), 200, {
    'Content-Type': file.contentType,
    'Content-Length': String(file.content.byteLength),
    'Content-Disposition': disposition === 'inline' ? 'inline' : attachmentDisposition(file.filename),
  });
}

/**
 * The customer's order page (public: the token in the address is the key) and
 * what it links to. Headers for all of /p/ come from orderPageHeaders; anything
 * else under /p/ is the same 404 page (app.ts).
 */
export function orderPageRouter() {
  const router = new Hono<AppEnv>();
  router.get('/p/assets/:name', (c) => {
    if (c.req.param('name') !== pageCssName) return orderPageNotFound(c);
    c.header('Cache-Control', immutable);
    return c.body(pageCss, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  router.get('/p/assets/logo/:fileId', async (c) => {
    const logo = await logoDownload(c.get('services'), c.req.param('fileId'));
    if (logo) c.header('Cache-Control', immutable);
    return download(c, logo, 'inline');
  });
  router.get('/p/:token', (c) =>
    renderOrderPage(c, c.get('services'), c.req.param('token'), c.req.query('sent') === '1' ? { notice: 'sent' } : {}),
  );
  router.get('/p/:token/invoice', async (c) => download(c, await invoiceDownload(c.get('services'), c.req.param('token'))));
  router.get('/p/:token/files/:messageId', async (c) =>
    download(c, await customerAttachment(c.get('services'), c.req.param('token'), c.req.param('messageId'))),
  );
  return router;
}
