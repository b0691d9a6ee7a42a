import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Caller } from '../features/tokens/token-cache.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    services: Services;
    caller: Caller;
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
