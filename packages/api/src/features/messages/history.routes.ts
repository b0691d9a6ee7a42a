import { createRoute } from '@hono/zod-openapi';
import {
  filedEmailInput,
  filedEmailLimits,
  historyItem,
  historyPage,
  historyQuery,
  idParam,
  noteInput,
  noteLimits,
} from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { idempotencyHeaders, withIdempotency } from '../../http/idempotency.js';
import {
  conflictError,
  errorSchema,
  jsonBody,
  jsonResponse,
  notFoundError,
  standardErrors,
  unprocessableError,
} from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { addNote, fileEmail, listHistory } from './history.service.js';

const tags = ['Correspondence'];
const orderParams = z.object({ id: idParam });
const writeErrors = {
  ...standardErrors,
  ...notFoundError,
  ...conflictError,
  ...unprocessableError,
  413: jsonResponse(errorSchema, 'Body too large'),
};

export const historyRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/orders/{id}/messages',
      tags,
      ...authorize('agent', 'integration'),
      summary: "The order's correspondence history (newest last, cursor paging)",
      description:
        'Outgoing e-mails (with what was sent and how delivery went), incoming e-mails filed by agents, internal notes, later SMS and order-page messages. Ordered by when each happened, then by id; `nextCursor` goes to newer items. Archived orders are readable.',
      request: { params: orderParams, query: historyQuery },
      responses: { 200: jsonResponse(historyPage, 'A page of the history, oldest first'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await listHistory(c.get('services'), c.req.valid('param').id, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/messages',
      tags,
      ...authorize('agent'),
      summary: "File an incoming e-mail into the order's history (and teach the matcher its thread and sender)",
      description: `Text up to ${filedEmailLimits.text.toLocaleString('en')} characters, HTML up to ${filedEmailLimits.html.toLocaleString('en')} (kept, never rendered by Orderpost). The Message-ID may come with or without angle brackets. Filing the same Message-ID into the same order again answers 200 with the item already there; archived orders answer 409 ORDER_ARCHIVED.`,
      request: { params: orderParams, headers: idempotencyHeaders, ...jsonBody(filedEmailInput) },
      responses: {
        201: jsonResponse(historyItem, 'Filed'),
        200: jsonResponse(historyItem, 'This e-mail (its Message-ID) was already filed into the order'),
        ...writeErrors,
      },
    }),
    async (c) => {
      const services = c.get('services');
      const orderId = c.req.valid('param').id;
      const input = c.req.valid('json');
      return withIdempotency(c, async (tx) => {
        const { item, created } = await fileEmail(services, tx, c.get('caller'), orderId, input);
        return { status: created ? 201 : 200, body: item };
      });
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/notes',
      tags,
      ...authorize('agent'),
      summary: 'Add an internal note (seen by the shop only, never sent to the customer)',
      description: `Multi-line text up to ${noteLimits.text.toLocaleString('en')} characters. Archived orders answer 409 ORDER_ARCHIVED.`,
      request: { params: orderParams, headers: idempotencyHeaders, ...jsonBody(noteInput) },
      responses: { 201: jsonResponse(historyItem, 'Added'), ...writeErrors },
    }),
    async (c) => {
      const services = c.get('services');
      const orderId = c.req.valid('param').id;
      const input = c.req.valid('json');
      return withIdempotency(c, async (tx) => ({ status: 201, body: await addNote(services, tx, c.get('caller'), orderId, input) }));
    },
  );
