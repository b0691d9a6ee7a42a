import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { idParam } from '@orderpost/shared';
import { z } from 'zod';
import { files } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { bearerSecurity, requireRole } from '../../http/auth.js';
import { notFoundError, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';

export const filesRouter = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/v1/files/{id}',
    tags: ['Files'],
    security: bearerSecurity,
    middleware: [requireRole('agent', 'integration')],
    summary: 'Download a stored file (invoice PDF, parcel photo, logo)',
    request: { params: z.object({ id: idParam }) },
    responses: {
      200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } },
      ...standardErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const [file] = await c
      .get('services')
      .database.db.select()
      .from(files)
      .where(eq(files.id, c.req.valid('param').id));
    if (!file) throw new AppError('FILE_NOT_FOUND', `There is no file ${c.req.valid('param').id}`);
    const safeName = file.filename.replace(/[^\w.\- ]+/g, '_');
    return c.body(new Uint8Array(file.content), 200, {
      'content-type': file.contentType,
      'content-length': String(file.size),
      'content-disposition': `attachment; filename="${safeName}"`,
      'x-content-type-options': 'nosniff',
    });
  },
);
