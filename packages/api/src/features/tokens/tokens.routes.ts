import { createRoute } from '@hono/zod-openapi';
import { apiToken, createdToken, idParam, me, tokenInput } from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { createRouter } from '../../http/router.js';
import { conflictError, jsonBody, jsonResponse, notFoundError, standardErrors } from '../../http/openapi.js';
import { createToken, listTokens, revokeToken, whoAmI } from './tokens.service.js';

const adminOnly = authorize('admin');

export const tokensRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/me',
      tags: ['Tokens'],
      summary: 'Whose token this is, and the shop settings a client needs to read e-mails',
      description:
        "Any role may call it. The Thunderbird add-on uses it to test its connection and to run the identifier extractor with the shop's default country and own domains.",
      ...authorize('agent', 'integration'),
      responses: { 200: jsonResponse(me, 'The token and the shop'), ...standardErrors },
    }),
    async (c) => c.json(await whoAmI(c.get('services'), c.get('caller')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/tokens',
      tags: ['Tokens'],
      summary: 'List API tokens',
      ...adminOnly,
      responses: { 200: jsonResponse(z.object({ tokens: z.array(apiToken) }), 'All tokens, revoked ones included'), ...standardErrors },
    }),
    async (c) => c.json({ tokens: await listTokens(c.get('services')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/tokens',
      tags: ['Tokens'],
      summary: 'Create an API token (shown once)',
      ...adminOnly,
      request: jsonBody(tokenInput),
      responses: { 201: jsonResponse(createdToken, 'The token; store it now, it is not shown again'), ...standardErrors },
    }),
    async (c) => c.json(await createToken(c.get('services'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/v1/tokens/{id}',
      tags: ['Tokens'],
      summary: 'Revoke an API token',
      ...adminOnly,
      request: { params: z.object({ id: idParam }) },
      responses: { 200: jsonResponse(apiToken, 'The revoked token'), ...standardErrors, ...notFoundError, ...conflictError },
    }),
    async (c) => c.json(await revokeToken(c.get('services'), c.req.valid('param').id), 200),
  );
