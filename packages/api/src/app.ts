import { bodyLimit } from 'hono/body-limit';
import { OpenAPIHono } from '@hono/zod-openapi';
import { templateAttachmentsMax } from '@orderpost/shared';
import { AppError } from './errors.js';
import type { AppEnv } from './http/context.js';
import { type AppDeps, createServices, type Services } from './services.js';
import { handleError } from './http/errors.js';
import { allowedMethodsOf } from './http/method-not-allowed.js';
import { requestContext } from './http/request-log.js';
import { docsRouter } from './features/docs/docs.routes.js';
import { healthRouter } from './features/health/health.routes.js';
import { tokensRouter } from './features/tokens/tokens.routes.js';
import { ordersRouter } from './features/orders/orders.routes.js';
import { statusesRouter } from './features/statuses/statuses.routes.js';
import { journalRouter } from './features/journal/journal.routes.js';
import { settingsRouter } from './features/settings/settings.routes.js';
import { filesRouter } from './features/files/files.routes.js';
import { matchRouter } from './features/match/match.routes.js';
import { sendRouter } from './features/messages/send.routes.js';
import { historyRouter } from './features/messages/history.routes.js';
import { mailboxesRouter } from './features/mailboxes/mailboxes.routes.js';
import { templatesRouter } from './features/templates/templates.routes.js';
import { isPageFormPath, pageFormRouter } from './features/order-page/form.routes.js';
import { isOrderPagePath, orderPageHeaders } from './features/order-page/page.headers.js';
import { orderPageError, orderPageNotFound } from './features/order-page/page.render.js';
import { orderPageRouter } from './features/order-page/page.routes.js';
import { pageTokenRouter } from './features/order-page/page-token.routes.js';

export const apiVersion = '0.1.0';

/**
 * Builds the HTTP app from its dependencies, or from Services already built
 * (so the app and the worker of one process share the caches); does no I/O itself.
 */
export function createApp(deps: AppDeps | Services) {
  const services = isServices(deps) ? deps : createServices(deps);
  const { config } = services;
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestContext(services));
  app.use('/p/*', orderPageHeaders);
  app.use('*', limitBodies(config.BODY_LIMIT_BYTES, config.BATCH_BODY_LIMIT_BYTES, config.FILE_MAX_BYTES));

  app.route('/', healthRouter);
  app.route('/', tokensRouter);
  app.route('/', statusesRouter);
  app.route('/', ordersRouter);
  app.route('/', journalRouter);
  app.route('/', settingsRouter);
  app.route('/', filesRouter);
  app.route('/', matchRouter);
  app.route('/', sendRouter);
  app.route('/', historyRouter);
  app.route('/', mailboxesRouter);
  app.route('/', templatesRouter);
  app.route('/', pageTokenRouter);
  app.route('/', orderPageRouter());
  app.route('/', pageFormRouter());
  app.route('/', docsRouter());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (`op_…`), created with `pnpm token create` or by an admin through POST /v1/tokens',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Orderpost API',
      version: apiVersion,
      description:
        'Orders, the order journal and customer communication. Errors are `{ error: { code, message, requestId } }` with a stable code.',
    },
  });

  const allowedMethods = allowedMethodsOf(app.routes);
  app.notFound((c) => {
    // Under /p/ every miss is the order page's one 404 (same status, body and headers as an unknown token).
    if (isOrderPagePath(c.req.path)) return orderPageNotFound(c);
    const allowed = allowedMethods(c.req.path);
    // A route that took the method and found nothing (c.notFound() in a handler) is a plain 404.
    if (allowed.length === 0 || allowed.includes(c.req.method))
      return handleError(new AppError('ROUTE_NOT_FOUND', `No route ${c.req.method} ${c.req.path}`), c);
    c.header('Allow', allowed.join(', '));
    return handleError(
      new AppError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allowed.join(', ')}`),
      c,
    );
  });
  app.onError((err, c) => (isOrderPagePath(c.req.path) ? orderPageError(err, c) : handleError(err, c)));
  return app;
}

export type App = ReturnType<typeof createApp>;

function isServices(deps: AppDeps | Services): deps is Services {
  return 'tokens' in deps && 'settings' in deps && 'authFailures' in deps;
}

/**
 * Files travel base64 in JSON, so routes carrying them get room for that (a
 * template for its three attachments); batches get their own limit.
 */
function limitBodies(defaultLimit: number, batchLimit: number, fileLimit: number) {
  const tooLarge = (limit: number) => () => {
    throw new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes`);
  };
  const fileRouteLimit = Math.ceil(fileLimit * 1.4) + 64 * 1024;
  const templateRouteLimit = templateAttachmentsMax * fileRouteLimit;
  const limiters = new Map(
    [defaultLimit, batchLimit, fileRouteLimit, templateRouteLimit].map((limit) => [
      limit,
      bodyLimit({ maxSize: limit, onError: tooLarge(limit) }),
    ]),
  );
  const limitOf = (path: string) =>
    path === '/v1/orders/batch'
      ? batchLimit
      : /\/(invoices|parcels|logo)$/.test(path)
        ? fileRouteLimit
        : /^\/v1\/templates(\/[^/]+)?$/.test(path)
          ? templateRouteLimit
          : defaultLimit;
  return async (c: Parameters<ReturnType<typeof bodyLimit>>[0], next: () => Promise<void>) => {
    // Reading the body stream turns the server's light request into a full Request: not for methods without a body.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // The order page's form has its own limit, refused with the page itself.
    if (isPageFormPath(c.req.path)) return next();
    const limit = limitOf(c.req.path);
    // A declared length is checked from the header alone; chunked bodies are counted as they stream.
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) > limit) tooLarge(limit)();
      return next();
    }
    const limiter = limiters.get(limit);
    if (!limiter) throw new Error(`no body limiter for ${limit} bytes`);
    return limiter(c, next);
  };
}
