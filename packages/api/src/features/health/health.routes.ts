import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { createRouter } from '../../http/router.js';
import { errorSchema, jsonResponse } from '../../http/openapi.js';
import { checkReadiness } from './health.service.js';

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
    async (c) => c.json(await checkReadiness(c.get('services')), 200),
  );
