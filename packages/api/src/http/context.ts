import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Role } from '@orderpost/shared';
import type { Database } from '../db/client.js';
import type { Env } from '../env.js';
import type { Logger } from '../logger.js';
import type { TokenCache } from '../features/tokens/token-cache.js';
import type { SettingsCache } from '../features/settings/settings.service.js';

/** Everything the app needs from outside; tests pass their own. */
export interface AppDeps {
  database: Database;
  logger: Logger;
  config: AppConfig;
  clock?: () => Date;
}

export type AppConfig = Pick<Env, 'BODY_LIMIT_BYTES' | 'BATCH_BODY_LIMIT_BYTES' | 'FILE_MAX_BYTES' | 'ARCHIVE_AFTER_DAYS'>;

export interface Services {
  database: Database;
  logger: Logger;
  config: AppConfig;
  clock: () => Date;
  tokens: TokenCache;
  settings: SettingsCache;
}

export interface Caller {
  tokenId: number;
  role: Role;
  name: string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    services: Services;
    caller: Caller;
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
