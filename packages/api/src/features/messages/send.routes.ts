import { createRoute } from '@hono/zod-openapi';
import { batchProgress, batchSendInput, historyItem, idParam, sendMessageInput, testSendInput, testSendResult } from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { conflictError, jsonBody, jsonResponse, notFoundError, standardErrors, unprocessableError } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { idempotencyHeaders, withIdempotency } from '../../http/idempotency.js';
import { loadHistoryItem } from './history.service.js';
import { batchProgress as readBatchProgress, sendBatch, sendContext, sendMessage } from './send.service.js';
import { testSend } from './test-send.js';

const tags = ['Sending'];

export const sendRouter = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/send',
      tags,
      ...authorize('agent'),
      summary: 'Send a message for the order: a template or free text, in one of the message kinds',
      description:
        'The message, its Message-ID and its delivery job are written in one transaction; a worker renders it with the order as it is at send time and sends it. `202`: queued (or stored, for `page_only` and `internal`). Follow it in `GET /v1/orders/{id}/messages`.',
      request: { params: z.object({ id: idParam }), headers: idempotencyHeaders, ...jsonBody(sendMessageInput) },
      responses: {
        202: jsonResponse(historyItem, 'Queued: the history item as it stands'),
        ...standardErrors,
        ...notFoundError,
        ...conflictError,
        ...unprocessableError,
      },
    }),
    async (c) => {
      const services = c.get('services');
      const input = c.req.valid('json');
      const context = await sendContext(services, input, [c.req.valid('param').id]);
      return withIdempotency(c, async (tx) => {
        const row = await sendMessage(services, tx, context, c.get('caller'), c.req.valid('param').id, c.req.valid('json'));
        return { status: 202, body: await loadHistoryItem(tx, row.id) };
      });
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/messages/batches',
      tags,
      ...authorize('agent'),
      summary: 'Send one template to many orders (up to 10,000)',
      description:
        'Orders that cannot get the message are listed in `skipped` with the reason (order_not_found, order_archived, no_email, duplicate); the others are queued. Read the progress with GET /v1/messages/batches/{id}.',
      request: { headers: idempotencyHeaders, ...jsonBody(batchSendInput) },
      responses: { 202: jsonResponse(batchProgress, 'Queued'), ...standardErrors, ...notFoundError },
    }),
    async (c) => {
      const services = c.get('services');
      const input = c.req.valid('json');
      const context = await sendContext(services, input, input.orderIds);
      return withIdempotency(c, async (tx) => ({
        status: 202,
        body: await sendBatch(services, tx, context, c.get('caller'), c.req.valid('json')),
      }));
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/messages/batches/{id}',
      tags,
      ...authorize('agent'),
      summary: 'Progress of a bulk send',
      request: { params: z.object({ id: idParam }) },
      responses: { 200: jsonResponse(batchProgress, 'Counts by status'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await readBatchProgress(c.get('services').database.db, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/templates/{id}/test-send',
      tags,
      ...authorize('agent'),
      summary: 'Send a template to any address now, rendered for an order (the newest when none is given)',
      description:
        'Through the mailbox the template would use. Not queued and not written to any history. `ok: false` with the reason when the server refused it or nothing can send.',
      request: { params: z.object({ id: idParam }), ...jsonBody(testSendInput) },
      responses: { 200: jsonResponse(testSendResult, 'What happened'), ...standardErrors, ...notFoundError, ...unprocessableError },
    }),
    async (c) => c.json(await testSend(c.get('services'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
