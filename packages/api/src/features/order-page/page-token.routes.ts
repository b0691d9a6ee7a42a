import { createRoute } from '@hono/zod-openapi';
import { idParam, orderPageLink } from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { jsonResponse, notFoundError, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { readPageLink, rotatePageToken } from './page-token.service.js';

const orderParams = z.object({ id: idParam });
const tags = ['Order page'];

export const pageTokenRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/orders/{id}/page-token',
      tags,
      ...authorize('agent', 'integration'),
      summary: "The order page's address (made now if the order has none yet)",
      description:
        'The customer-facing page of the order (`[order_link]` in templates): `url` is null while the shop has no `publicBaseUrl`. Archived orders too.',
      request: { params: orderParams },
      responses: { 200: jsonResponse(orderPageLink, "The order page's address"), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await readPageLink(c.get('services'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/page-token',
      tags,
      ...authorize(),
      summary: 'Give the order page a new secret address (the old link stops working at once)',
      description:
        'A new 128-bit token; the old address answers the same 404 as one that never existed. Links in e-mails sent before point to the old address. Journal: `PAGE_TOKEN_ROTATED` (112).',
      request: { params: orderParams },
      responses: { 200: jsonResponse(orderPageLink, 'The new address'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await rotatePageToken(c.get('services'), c.req.valid('param').id, c.get('caller')), 200),
  );
