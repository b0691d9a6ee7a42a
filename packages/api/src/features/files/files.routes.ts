import { createRoute } from '@hono/zod-openapi';
import { idParam } from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { notFoundError, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { readFile } from './files.service.js';

export const filesRouter = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/v1/files/{id}',
    tags: ['Files'],
    ...authorize('agent', 'integration'),
    summary: 'Download a stored file (invoice PDF, parcel photo, logo)',
    request: { params: z.object({ id: idParam }) },
    responses: {
      200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } },
      ...standardErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const file = await readFile(c.get('services'), c.req.valid('param').id);
    return c.body(new Uint8Array(file.content), 200, {
      'content-type': file.contentType,
      'content-length': String(file.size),
      'content-disposition': `attachment; filename="${file.safeName}"`,
      'x-content-type-options': 'nosniff',
    });
  },
);
