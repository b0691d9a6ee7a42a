import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { absolutePath } from 'swagger-ui-dist';
import type { AppEnv } from '../../http/context.js';

/** The interactive API reference, served from the installed swagger-ui-dist (works offline). */
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Orderpost API reference</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: true, showExtensions: true });`;

export function docsRouter() {
  const router = new Hono<AppEnv>();
  const cache = new Map<string, string>();
  router.get('/docs', (c) => c.html(page));
  router.get('/docs/assets/init.js', (c) => c.body(init, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  router.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name');
    const type = assets[name];
    if (!type) return c.notFound();
    let body = cache.get(name);
    if (body === undefined) {
      body = await readFile(join(absolutePath(), name), 'utf8');
      cache.set(name, body);
    }
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=3600' });
  });
  return router;
}
