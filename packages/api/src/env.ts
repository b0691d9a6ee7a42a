import { resolve } from 'node:path';
import { z } from 'zod';
import { decodeSecretKey } from './crypto/secrets.js';

/** The only reader of process.env. Validated once at start; bad config stops the process with a clear message. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(5),
  DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  READY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(800),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(20),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Customer messages per order through the order-page form, per PAGE_FORM_WINDOW_SECONDS (all API processes together). */
  PAGE_FORM_ORDER_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Order-page form posts per client address (any order), per PAGE_FORM_WINDOW_SECONDS. */
  PAGE_FORM_CLIENT_LIMIT: z.coerce.number().int().min(1).default(20),
  PAGE_FORM_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  BATCH_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
  FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  ARCHIVE_AFTER_DAYS: z.coerce.number().int().min(1).default(90),
  WORKER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  SCHEDULER_TICK_SECONDS: z.coerce.number().int().min(1).default(60),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(20),
  /** The default mailbox: smtp(s)://user:pass@host:port; unset keeps e-mail queued (held) until one is configured. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** From address of the default mailbox: `shop@example.com` or `Shop <shop@example.com>`. */
  MAIL_FROM: z.string().min(3).optional(),
  /** DKIM signing of mail sent through the default mailbox (all three, or none). */
  DKIM_DOMAIN: z.string().min(1).optional(),
  DKIM_SELECTOR: z.string().min(1).optional(),
  /** PEM private key, or a path to a file holding it. */
  DKIM_PRIVATE_KEY: z.string().min(1).optional(),
  /**
   * 32 bytes, base64 or hex: encrypts mailbox passwords at rest. Required with
   * PostgreSQL; on the embedded database a key file is created in DATA_DIR.
   */
  SECRET_KEY: z
    .string()
    .refine((value) => decodeSecretKey(value) !== null, 'must be 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)')
    .optional(),
  /** Connection-kind failures in a row after which an own mailbox turns invalid and mail falls back to the default one. */
  MAILBOX_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  /** A message still failing transiently this long after it was queued is marked failed. */
  DELIVERY_MAX_AGE_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(48),
  /**
   * A worker's claim on a message it is sending; a worker killed mid-send (SIGKILL, power loss) leaves its
   * messages to be sent again after this. Keep it well above SMTP_TIMEOUT_SECONDS.
   */
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /** First wait before a transient failure is retried; it doubles with each attempt (up to 30 minutes). */
  DELIVERY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** E-mails one worker process sends at once (across its pooled SMTP connections). */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  /** Pooled SMTP connections per mailbox and worker process. */
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  /** Seconds an SMTP connection, greeting or command may take. */
  SMTP_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
});

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable (`PORT=` in a compose file or .env) means "not set", not 0.
  const set = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, DATA_DIR: resolve(parsed.data.DATA_DIR) };
}

export class ConfigError extends Error {}

/**
 * The folder a command was typed in. `pnpm demo file.json` runs in
 * packages/api, but a person means the path from where they typed it; pnpm
 * passes that folder as INIT_CWD.
 */
export function invocationDirectory(source: NodeJS.ProcessEnv = process.env): string {
  return source.INIT_CWD || process.cwd();
}
