import { SecretStore } from './crypto/secrets.js';
import type { Database } from './db/client.js';
import type { Env } from './env.js';
import { MailTransports } from './features/mailboxes/mail-transports.js';
import { SettingsCache } from './features/settings/settings.service.js';
import { AuthFailureLimiter } from './features/tokens/auth-failures.js';
import { TokenCache } from './features/tokens/token-cache.js';
import { RateLimiter } from './http/rate-limit.js';
import type { Logger } from './logger.js';
import { JobQueue } from './queue/job-queue.js';

/** Everything the app needs from outside; tests pass their own. */
export interface AppDeps {
  database: Database;
  logger: Logger;
  config: AppConfig;
  clock?: () => Date;
}

export type AppConfig = Pick<
  Env,
  | 'BODY_LIMIT_BYTES'
  | 'BATCH_BODY_LIMIT_BYTES'
  | 'FILE_MAX_BYTES'
  | 'ARCHIVE_AFTER_DAYS'
  | 'READY_TIMEOUT_MS'
  | 'AUTH_FAILURE_LIMIT'
  | 'AUTH_FAILURE_WINDOW_SECONDS'
  | 'TRUST_PROXY'
  | 'PAGE_FORM_ORDER_LIMIT'
  | 'PAGE_FORM_CLIENT_LIMIT'
  | 'PAGE_FORM_WINDOW_SECONDS'
  | 'SCHEDULER_TICK_SECONDS'
  | 'DATA_DIR'
  | 'SMTP_URL'
  | 'MAIL_FROM'
  | 'DKIM_DOMAIN'
  | 'DKIM_SELECTOR'
  | 'DKIM_PRIVATE_KEY'
  | 'SECRET_KEY'
  | 'MAILBOX_FAILURE_LIMIT'
  | 'DELIVERY_MAX_AGE_HOURS'
  | 'DELIVERY_LEASE_SECONDS'
  | 'DELIVERY_RETRY_DELAY_SECONDS'
  | 'DELIVERY_CONCURRENCY'
  | 'SMTP_POOL_SIZE'
  | 'SMTP_TIMEOUT_SECONDS'
>;

/**
 * What every feature service is given: the database, the clock, the logger,
 * configuration and the two short-lived caches. HTTP handlers, the worker and
 * the command-line tools build the same set with createServices.
 */
export interface Services {
  database: Database;
  logger: Logger;
  config: AppConfig;
  clock: () => Date;
  tokens: TokenCache;
  settings: SettingsCache;
  /** Failed token checks per client address, kept in the database. */
  authFailures: AuthFailureLimiter;
  /** Fixed-window counters in the database (order-page form posts), shared by every process. */
  rateLimiter: RateLimiter;
  /** The durable job queue (pg-boss); `await queue.ready()` before a transaction that enqueues. */
  queue: JobQueue;
  /** Encrypts mailbox secrets at rest (SECRET_KEY, or the key file in DATA_DIR on the embedded database). */
  secrets: SecretStore;
  /** Which mailbox sends (own or default), pooled SMTP transports, mailbox validity; `close()` on shutdown. */
  mail: MailTransports;
}

export function createServices(deps: AppDeps): Services {
  const clock = deps.clock ?? (() => new Date());
  const settings = new SettingsCache(deps.database.db);
  const secrets = new SecretStore({ secretKey: deps.config.SECRET_KEY, dataDir: deps.config.DATA_DIR, databaseKind: deps.database.kind });
  return {
    database: deps.database,
    logger: deps.logger,
    config: deps.config,
    clock,
    tokens: new TokenCache(deps.database.db),
    settings,
    authFailures: new AuthFailureLimiter(deps.database.db, {
      limit: deps.config.AUTH_FAILURE_LIMIT,
      windowSeconds: deps.config.AUTH_FAILURE_WINDOW_SECONDS,
    }),
    rateLimiter: new RateLimiter(deps.database.db),
    queue: new JobQueue(deps.database, deps.logger.child({ component: 'queue' }), {
      deliveryLeaseSeconds: deps.config.DELIVERY_LEASE_SECONDS,
      deliveryRetryDelaySeconds: deps.config.DELIVERY_RETRY_DELAY_SECONDS,
    }),
    secrets,
    mail: new MailTransports({
      database: deps.database,
      logger: deps.logger.child({ component: 'mail' }),
      config: deps.config,
      settings,
      secrets,
      clock,
    }),
  };
}
