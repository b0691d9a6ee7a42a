import { createRoute } from '@hono/zod-openapi';
import { defaultMailbox, idParam, mailbox, mailboxInput, mailboxList, mailboxPatch, mailboxTestResult } from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { errorSchema, jsonBody, jsonResponse, notFoundError, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import {
  createMailbox,
  defaultMailboxInfo,
  deleteMailbox,
  getMailbox,
  listMailboxes,
  testDefaultMailbox,
  testMailbox,
  updateMailbox,
} from './mailboxes.service.js';

const tags = ['Mailboxes'];
const adminOnly = authorize('admin');
const params = z.object({ id: idParam });
const secretKeyMissing = { 503: jsonResponse(errorSchema, 'SECRET_KEY_MISSING: PostgreSQL without SECRET_KEY cannot store a password') };
const testDescription =
  'A real SMTP handshake and login on a connection of its own. Always 200: `ok`, and when it failed a `reason` ' +
  '(`dns`: the server name was not found, `refused`, `tls`, `auth`, `timeout`, `dropped`, …) and a `message` with the server’s reply. ' +
  'A mailbox without a login is tested up to the greeting and EHLO (whether the server wants a login shows only when sending).';

// The `default` routes come first: `/v1/mailboxes/default` is not a mailbox id.
export const mailboxesRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/mailboxes/default',
      tags,
      ...adminOnly,
      summary: 'The default mailbox (SMTP_URL, MAIL_FROM): whether it is set up, its From and the Reply-To it adds',
      responses: { 200: jsonResponse(defaultMailbox, 'The default mailbox'), ...standardErrors },
    }),
    async (c) => c.json(await defaultMailboxInfo(c.get('services')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/mailboxes/default/test',
      tags,
      ...adminOnly,
      summary: 'Test the connection and login of the default mailbox',
      description: `${testDescription} Without SMTP_URL and MAIL_FROM the reason is \`not_configured\`.`,
      responses: { 200: jsonResponse(mailboxTestResult, 'What the test found'), ...standardErrors },
    }),
    async (c) => c.json(await testDefaultMailbox(c.get('services')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/mailboxes',
      tags,
      ...adminOnly,
      summary: 'List the own mailboxes (secrets are never shown)',
      responses: { 200: jsonResponse(mailboxList, 'The mailboxes'), ...standardErrors },
    }),
    async (c) => c.json({ mailboxes: await listMailboxes(c.get('services')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/mailboxes',
      tags,
      ...adminOnly,
      summary: 'Add an own SMTP mailbox',
      description:
        '`host` may carry the port (`smtp.example.com:587`); a separate `port` counts only when the host has none, and without ' +
        'either the security decides (465 `tls`, 587 `starttls`, 25 `none`). Log in with `login` + `password`, or `login` + ' +
        '`oauth2` (XOAUTH2: the access token is fetched from `tokenUrl` with the refresh token). Secrets are stored encrypted and never returned.',
      request: jsonBody(mailboxInput),
      responses: { 201: jsonResponse(mailbox, 'Created'), ...standardErrors, ...secretKeyMissing },
    }),
    async (c) => c.json(await createMailbox(c.get('services'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/mailboxes/{id}',
      tags,
      ...adminOnly,
      summary: 'Read a mailbox',
      request: { params },
      responses: { 200: jsonResponse(mailbox, 'The mailbox'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await getMailbox(c.get('services'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/v1/mailboxes/{id}',
      tags,
      ...adminOnly,
      summary: 'Change a mailbox (saving makes it valid again)',
      description:
        'Only the fields sent change. A password or OAuth2 secret left out stays as it was; `null` removes it. ' +
        'Saving resets the failure count and makes an invalid mailbox valid again.',
      request: { params, ...jsonBody(mailboxPatch) },
      responses: { 200: jsonResponse(mailbox, 'Changed'), ...standardErrors, ...notFoundError, ...secretKeyMissing },
    }),
    async (c) => c.json(await updateMailbox(c.get('services'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/v1/mailboxes/{id}',
      tags,
      ...adminOnly,
      summary: 'Remove a mailbox; templates that used it send through the default mailbox',
      request: { params },
      responses: { 204: { description: 'Removed' }, ...standardErrors, ...notFoundError },
    }),
    async (c) => {
      await deleteMailbox(c.get('services'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/mailboxes/{id}/test',
      tags,
      ...adminOnly,
      summary: 'Test the connection and login of a mailbox (passing makes it valid again)',
      description: testDescription,
      request: { params },
      responses: { 200: jsonResponse(mailboxTestResult, 'What the test found'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await testMailbox(c.get('services'), c.req.valid('param').id), 200),
  );
