import { createdToken, orderPageLink, type Role, roles, shopSettings } from '@orderpost/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOrder, createTestContext, errorBody, json } from '../../test/context.js';
import { orderMessages } from '../db/schema/index.js';
import { storeFile } from '../features/files/file-content.js';
import { pageCssName } from '../features/order-page/page.css.js';

/**
 * Who may call what, written by hand from README's role table ("The API in
 * short") — never read from the routes themselves, so a route opened to a
 * wrong role fails here. Every route of the app must be listed; `public` ones
 * need no token.
 */
const all: readonly Role[] = ['admin', 'agent', 'integration'];
const adminOnly: readonly Role[] = ['admin'];
const integration: readonly Role[] = ['admin', 'integration'];
const agent: readonly Role[] = ['admin', 'agent'];
const expectedRoles: Record<string, readonly Role[] | 'public'> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/assets/init.js': 'public',
  'GET /docs/assets/:name': 'public',
  // admin alone: tokens, changing statuses, shop settings and logo, e-mail templates
  'GET /v1/tokens': adminOnly,
  // every token reads who it is and the shop settings a client needs
  'GET /v1/me': all,
  'POST /v1/tokens': adminOnly,
  'DELETE /v1/tokens/:id': adminOnly,
  'POST /v1/statuses': adminOnly,
  'PATCH /v1/statuses/:id': adminOnly,
  'DELETE /v1/statuses/:id': adminOnly,
  'GET /v1/settings': adminOnly,
  'PATCH /v1/settings': adminOnly,
  'PUT /v1/settings/logo': adminOnly,
  // everybody reads orders, their correspondence history, the journal, statuses and files; changes an order's status; records and lists sent messages
  // admin alone: own mailboxes (their passwords), the default mailbox and connection tests
  'GET /v1/mailboxes': adminOnly,
  'POST /v1/mailboxes': adminOnly,
  'GET /v1/mailboxes/:id': adminOnly,
  'PATCH /v1/mailboxes/:id': adminOnly,
  'DELETE /v1/mailboxes/:id': adminOnly,
  'POST /v1/mailboxes/:id/test': adminOnly,
  'GET /v1/mailboxes/default': adminOnly,
  'POST /v1/mailboxes/default/test': adminOnly,
  'POST /v1/templates': adminOnly,
  'PATCH /v1/templates/:id': adminOnly,
  'DELETE /v1/templates/:id': adminOnly,
  // everybody reads orders, the journal, statuses and files; changes an order's status; records and lists sent messages
  'GET /v1/orders': all,
  'GET /v1/orders/:id': all,
  'GET /v1/journal': all,
  'GET /v1/statuses': all,
  'GET /v1/files/:id': all,
  'POST /v1/orders/:id/status': all,
  'POST /v1/orders/:id/sent-messages': all,
  'GET /v1/orders/:id/sent-messages': all,
  'GET /v1/orders/:id/messages': all,
  // integrations: create, import and edit orders; payments, invoices, parcels and parcel statuses
  'POST /v1/orders': integration,
  'POST /v1/orders/batch': integration,
  'PATCH /v1/orders/:id': integration,
  'POST /v1/orders/:id/payments': integration,
  'POST /v1/orders/:id/invoices': integration,
  'POST /v1/orders/:id/parcels': integration,
  'POST /v1/orders/:id/parcels/:parcelId/status': integration,
  // agents: restore archived orders, match e-mails and teach the matcher
  'POST /v1/orders/:id/restore': agent,
  'POST /v1/match': agent,
  'POST /v1/match/links': agent,
  'POST /v1/match/unlinks': agent,
  // agents: send messages for an order and in bulk
  'POST /v1/orders/:id/send': agent,
  'POST /v1/messages/batches': agent,
  'GET /v1/messages/batches/:id': agent,
  'POST /v1/templates/:id/test-send': agent,
  // agents: file incoming e-mails and write internal notes
  'POST /v1/orders/:id/messages': agent,
  'POST /v1/orders/:id/notes': agent,
  // agents: read e-mail templates and tags, render a template for an order (the add-on's "reply with a template")
  'GET /v1/templates': agent,
  'GET /v1/templates/:id': agent,
  'POST /v1/templates/:id/render': agent,
  'GET /v1/tags': agent,
  // the order page's address: everybody reads it (agents paste it, integrations put it in their own e-mails); admin alone rotates it
  'GET /v1/orders/:id/page-token': all,
  'POST /v1/orders/:id/page-token': adminOnly,
  // the customer's order page: the secret token in the address is the key
  'GET /p/:token': 'public',
  'GET /p/:token/invoice': 'public',
  'GET /p/:token/files/:messageId': 'public',
  'POST /p/:token/messages': 'public',
  'GET /p/assets/:name': 'public',
  'GET /p/assets/logo/:fileId': 'public',
};
const publicRoutes = Object.keys(expectedRoles).filter((route) => expectedRoles[route] === 'public');

/** Public routes whose example answers something else than 200: the form without its form token is the page again, 403. */
const publicStatus: Record<string, number> = { 'POST /p/:token/messages': 403 };

const securedRoutes = Object.entries(expectedRoles).flatMap(([route, allowed]) =>
  allowed === 'public' ? [] : [[route, allowed] as const],
);

const operation = z.object({
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  'x-required-roles': z.array(z.enum(roles)).optional(),
});
const openApiDocument = z.object({ paths: z.record(z.string(), z.record(z.string(), operation)) });

const t = await createTestContext();
afterAll(() => t.close());

/** What a public route is asked for in the test (its path parameters filled in). */
const publicExamples: Record<string, string> = {
  'GET /docs/assets/:name': '/docs/assets/swagger-ui.css',
  ...(await orderPageExamples()),
};

/** An order with an invoice and a customer's attachment, and a logo: the order page's routes each have something to answer. */
async function orderPageExamples(): Promise<Record<string, string>> {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
  const created = await createOrder(t);
  await t.call('POST', `/v1/orders/${created.id}/invoices`, {
    number: 'FV/1',
    issueDate: '2026-11-02',
    file: { filename: 'fv.pdf', contentBase64: pdf },
  });
  const logo = await json(await t.call('PUT', '/v1/settings/logo', { filename: 'logo.png', contentBase64: png }), shopSettings);
  const { pageToken } = await json(await t.call('GET', `/v1/orders/${created.id}/page-token`), orderPageLink);
  const { db } = t.services.database;
  const messageId = await db.transaction(async (tx) => {
    const fileId = await storeFile(tx, {
      filename: 'a.png',
      contentType: 'image/png',
      kind: 'png',
      bytes: new Uint8Array(Buffer.from(png, 'base64')),
    });
    const [row] = await tx
      .insert(orderMessages)
      .values({ orderId: created.id, channel: 'page', direction: 'in', status: 'stored', text: 'Hello', attachmentFileId: fileId })
      .returning({ id: orderMessages.id });
    return row?.id;
  });
  return {
    'GET /p/:token': `/p/${pageToken}`,
    'GET /p/:token/invoice': `/p/${pageToken}/invoice`,
    'GET /p/:token/files/:messageId': `/p/${pageToken}/files/${messageId}`,
    'POST /p/:token/messages': `/p/${pageToken}/messages`,
    'GET /p/assets/:name': `/p/assets/${pageCssName}`,
    'GET /p/assets/logo/:fileId': `/p/assets/logo/${logo.logo?.id}`,
  };
}

const document = await json(await t.app.request('/openapi.json'), openApiDocument);
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, ...op })),
);
const secured = operations.filter((op) => op.security !== undefined);
/** `GET /v1/orders/{id}` as the app's routes spell it: `GET /v1/orders/:id`. */
const routeKey = (method: string, path: string) => `${method} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;
const documented = new Map(operations.map((op) => [routeKey(op.method, op.path), op]));
const appRoutes = [...new Set(t.app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`))];

/** A revoked admin token: it could do anything if it still worked. */
const revoked = await json(await t.call('POST', '/v1/tokens', { name: 'revoked', role: 'admin' }), createdToken);
const revoking = await t.call('DELETE', `/v1/tokens/${revoked.id}`);
if (revoking.status !== 200) throw new Error(`revoking the test token answered ${revoking.status}`);

/** Path parameters get an id that looks valid but names nothing, so an allowed call changes nothing. */
const concrete = (path: string) => path.replace(/\{[^}]+\}|:[A-Za-z]+/g, '2147483647');
const hasBody = (method: string) => method !== 'GET' && method !== 'DELETE';

function request(method: string, path: string, authorization?: string) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  if (hasBody(method)) headers['content-type'] = 'application/json';
  return t.app.request(concrete(path), { method, headers, body: hasBody(method) ? '{}' : undefined });
}

function splitRoute(route: string): [string, string] {
  const [method = 'GET', path = '/'] = route.split(' ');
  return [method, path];
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await errorBody(res);
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
}

describe('every route', () => {
  it('is in the hand-written role table, and the table names no route that does not exist', () => {
    expect([...appRoutes].sort(), 'add new routes to expectedRoles with the roles README gives them').toEqual(
      Object.keys(expectedRoles).sort(),
    );
  });

  it('needs a token unless it is in the explicit public list', () => {
    expect(appRoutes.length).toBeGreaterThan(publicRoutes.length);
    const unsecured = appRoutes.filter((route) => documented.get(route)?.security === undefined);
    expect(unsecured.sort(), 'routes without bearer security that are not declared public').toEqual([...publicRoutes].sort());
  });

  it.each(securedRoutes)('%s declares exactly the roles of the table (x-required-roles)', (route, allowed) => {
    expect(documented.get(route)?.['x-required-roles']?.slice().sort(), route).toEqual([...allowed].sort());
  });

  it.each(secured.map((op) => [op.method, op.path, op] as const))(
    '%s %s states its roles (x-required-roles) and the bearer scheme',
    (_m, _p, op) => {
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(op['x-required-roles'], 'declare roles with ...authorize(...) in createRoute').toContain('admin');
    },
  );
});

describe.each(publicRoutes)('public %s', (route) => {
  it('answers without a token', async () => {
    const [method = 'GET', path = '/'] = route.split(' ');
    const res = await t.app.request(publicExamples[route] ?? path, {
      method,
      ...(method === 'POST' ? { body: new URLSearchParams({ message: 'hello' }) } : {}),
    });
    expect(res.status).toBe(publicStatus[route] ?? 200);
  });
});

/** The matrix runs on the table's roles, so a route whose authorize() lets in another role fails with a status too. */
describe.each(securedRoutes.map(([route, allowed]) => [...splitRoute(route), allowed] as const))('%s %s', (method, path, allowed) => {
  it('without an Authorization header answers 401 TOKEN_MISSING', async () => {
    await expectError(await request(method, path), 401, 'TOKEN_MISSING');
  });

  it.each([
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['no token after Bearer', 'Bearer'],
    ['two words after Bearer', 'Bearer op_abc op_def'],
    ['a token without the scheme', 'op_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['an unknown token', 'Bearer op_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['a very long token', `Bearer op_${'a'.repeat(5000)}`],
    ['a revoked token', `Bearer ${revoked.token}`],
  ])('with %s answers 401 TOKEN_INVALID', async (_label, header) => {
    await expectError(await request(method, path, header), 401, 'TOKEN_INVALID');
  });

  const forbidden = roles.filter((role) => !allowed.includes(role));
  if (forbidden.length > 0)
    it.each(forbidden)('as %s answers 403 FORBIDDEN_ROLE', async (role: Role) => {
      await expectError(await request(method, path, `Bearer ${t.tokens[role]}`), 403, 'FORBIDDEN_ROLE');
    });

  it.each(allowed)('as %s gets past the token check (a 400 or 404 for the made-up input is fine)', async (role) => {
    const res = await request(method, path, `Bearer ${t.tokens[role]}`);
    expect([401, 403]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });
});
