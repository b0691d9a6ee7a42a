import { createRoute } from '@hono/zod-openapi';
import { orderStatus, orderStatusInput, orderStatusList, orderStatusPatch, statusId } from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { conflictError, jsonBody, jsonResponse, notFoundError, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { createStatus, deleteStatus, listStatuses, updateStatus } from './statuses.service.js';

const tags = ['Order statuses'];
const params = z.object({ id: statusId });

export const statusesRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/statuses',
      tags,
      ...authorize('agent', 'integration'),
      summary: 'List order statuses in display order',
      responses: { 200: jsonResponse(orderStatusList, 'The statuses'), ...standardErrors },
    }),
    async (c) => c.json({ statuses: await listStatuses(c.get('services')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/statuses',
      tags,
      ...authorize('admin'),
      summary: 'Add an order status',
      request: jsonBody(orderStatusInput),
      responses: { 201: jsonResponse(orderStatus, 'Created'), ...standardErrors, ...conflictError },
    }),
    async (c) => c.json(await createStatus(c.get('services'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/v1/statuses/{id}',
      tags,
      ...authorize('admin'),
      summary: 'Change an order status',
      request: { params, ...jsonBody(orderStatusPatch) },
      responses: { 200: jsonResponse(orderStatus, 'Changed'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await updateStatus(c.get('services'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/v1/statuses/{id}',
      tags,
      ...authorize('admin'),
      summary: 'Remove an order status no order uses',
      request: { params },
      responses: { 204: { description: 'Removed' }, ...standardErrors, ...notFoundError, ...conflictError },
    }),
    async (c) => {
      await deleteStatus(c.get('services'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
