import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { createRouter } from '../../http/router.js';
import { jsonResponse } from '../../http/openapi.js';
import { errorSchema } from '../../http/openapi.js';
import { AppError } from '../../errors.js';

const healthBody = z.object({ status: z.literal('ok') });

export const healthRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['Health'],
      summary: 'The process is up',
      responses: { 200: jsonResponse(healthBody, 'Alive') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['Health'],
      summary: 'The database answers',
      responses: {
        200: jsonResponse(healthBody.extend({ database: z.enum(['pglite', 'postgres']) }), 'Ready'),
        503: jsonResponse(errorSchema, 'The database does not answer'),
      },
    }),
    async (c) => {
      const { database } = c.get('services');
      try {
        await database.ping();
      } catch {
        throw new AppError('NOT_READY', 'The database does not answer');
      }
      return c.json({ status: 'ok' as const, database: database.kind }, 200);
    },
  );
