import { createRoute } from '@hono/zod-openapi';
import { idParam, matchFeedbackInput, matchRequest, matchResult, sentMessage, sentMessageInput, sentMessageList } from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { conflictError, jsonBody, jsonResponse, notFoundError, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { listSentMessages, matchOrders, recordSentMessage, teachMatcher } from './match.service.js';

const tags = ['Matching'];
const feedbackResult = z.object({
  orderId: z.number().int(),
  kind: z.enum(['link', 'unlink']),
  messageId: z.string().nullable(),
  sender: z.string().nullable(),
});

export const matchRouter = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/match',
      tags,
      ...authorize('agent'),
      summary: 'Which orders is this e-mail about?',
      description:
        'Send the identifiers the shared extractor found in the message (what the add-on does), or the message itself. Candidates come most relevant first, each with a confidence (high and medium are claims, low only a suggestion) and reasons a person can read.',
      request: jsonBody(matchRequest),
      responses: { 200: jsonResponse(matchResult, 'Candidate orders'), ...standardErrors },
    }),
    async (c) => c.json(await matchOrders(c.get('services'), c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/match/links',
      tags,
      ...authorize('agent'),
      summary: 'Teach: this e-mail (its thread and sender) is about this order',
      request: jsonBody(matchFeedbackInput),
      responses: { 201: jsonResponse(feedbackResult, 'Recorded'), ...standardErrors, ...notFoundError, ...conflictError },
    }),
    async (c) => c.json(await teachMatcher(c.get('services'), c.get('caller'), 'link', c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/match/unlinks',
      tags,
      ...authorize('agent'),
      summary: 'Teach: this e-mail is NOT about this order (a wrong match)',
      request: jsonBody(matchFeedbackInput),
      responses: { 201: jsonResponse(feedbackResult, 'Recorded'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await teachMatcher(c.get('services'), c.get('caller'), 'unlink', c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/sent-messages',
      tags,
      ...authorize('agent', 'integration'),
      summary: 'Record an e-mail sent for the order by an outside sender (so replies to it match); it shows in the history',
      request: { params: z.object({ id: idParam }), ...jsonBody(sentMessageInput) },
      responses: { 201: jsonResponse(sentMessage, 'Recorded'), ...standardErrors, ...notFoundError, ...conflictError },
    }),
    async (c) => c.json(await recordSentMessage(c.get('services'), c.req.valid('param').id, c.req.valid('json'), c.get('caller')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/orders/{id}/sent-messages',
      tags,
      ...authorize('agent', 'integration'),
      summary: 'E-mails recorded as sent for the order',
      request: { params: z.object({ id: idParam }) },
      responses: {
        200: jsonResponse(sentMessageList, 'Oldest first'),
        ...standardErrors,
        ...notFoundError,
      },
    }),
    async (c) => c.json({ sentMessages: await listSentMessages(c.get('services'), c.req.valid('param').id) }, 200),
  );
