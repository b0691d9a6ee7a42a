import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readEnv } from './env.js';

describe('readEnv', () => {
  it('runs with nothing set: local defaults, embedded database in ./data', () => {
    expect(readEnv({})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_URL: undefined,
      DATA_DIR: resolve('./data'),
      DATABASE_POOL_SIZE: 10,
      DATABASE_CONNECT_TIMEOUT_SECONDS: 5,
      DATABASE_ACQUIRE_TIMEOUT_MS: 5000,
      DATABASE_STATEMENT_TIMEOUT_MS: 30_000,
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 60_000,
      READY_TIMEOUT_MS: 800,
      AUTH_FAILURE_LIMIT: 20,
      AUTH_FAILURE_WINDOW_SECONDS: 60,
      PAGE_FORM_ORDER_LIMIT: 10,
      PAGE_FORM_CLIENT_LIMIT: 20,
      PAGE_FORM_WINDOW_SECONDS: 3600,
      TRUST_PROXY: false,
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1024 * 1024,
      BATCH_BODY_LIMIT_BYTES: 32 * 1024 * 1024,
      FILE_MAX_BYTES: 10 * 1024 * 1024,
      ARCHIVE_AFTER_DAYS: 90,
      WORKER: true,
      SCHEDULER_TICK_SECONDS: 60,
      SHUTDOWN_TIMEOUT_SECONDS: 20,
      MAILBOX_FAILURE_LIMIT: 3,
      DELIVERY_MAX_AGE_HOURS: 48,
      DELIVERY_LEASE_SECONDS: 120,
      DELIVERY_RETRY_DELAY_SECONDS: 15,
      DELIVERY_CONCURRENCY: 50,
      SMTP_POOL_SIZE: 5,
      SMTP_TIMEOUT_SECONDS: 30,
    });
  });

  it('reads the values it is given, as numbers and booleans', () => {
    const env = readEnv({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://orderpost:secret@db:5432/orderpost',
      DATA_DIR: '/var/lib/orderpost',
      LOG_LEVEL: 'warn',
      ARCHIVE_AFTER_DAYS: '30',
      WORKER: 'false',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://orderpost:secret@db:5432/orderpost',
      DATA_DIR: '/var/lib/orderpost',
      LOG_LEVEL: 'warn',
      ARCHIVE_AFTER_DAYS: 30,
      WORKER: false,
    });
  });

  it('makes a relative DATA_DIR absolute', () => {
    expect(readEnv({ DATA_DIR: 'somewhere/data' }).DATA_DIR).toBe(resolve('somewhere/data'));
  });

  it('accepts PORT=0 (any free port)', () => {
    expect(readEnv({ PORT: '0' }).PORT).toBe(0);
  });

  it.each(['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'WORKER', 'ARCHIVE_AFTER_DAYS', 'DATA_DIR'])('treats an empty %s as not set', (name) => {
    expect(readEnv({ [name]: '' })).toEqual(readEnv({}));
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://root:secret@localhost/shop'],
    ['DATABASE_URL', 'localhost:5432'],
    ['LOG_LEVEL', 'loud'],
    ['WORKER', 'yes'],
    ['DATABASE_POOL_SIZE', '0'],
    ['BODY_LIMIT_BYTES', '10'],
    ['ARCHIVE_AFTER_DAYS', '0'],
    ['SCHEDULER_TICK_SECONDS', 'often'],
    ['SHUTDOWN_TIMEOUT_SECONDS', '0'],
    ['SMTP_URL', 'mail.example.com'],
    ['MAILBOX_FAILURE_LIMIT', '0'],
    ['SECRET_KEY', 'too-short-to-be-a-key'],
    ['SECRET_KEY', 'ab'.repeat(31)],
  ])('refuses %s=%s with a ConfigError naming the variable', (name, value) => {
    let error: unknown;
    try {
      readEnv({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(`${name}:`);
    expect(message).not.toContain('secret');
  });

  it('names every bad variable at once', () => {
    expect(() => readEnv({ PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(/PORT:[\s\S]*LOG_LEVEL:|LOG_LEVEL:[\s\S]*PORT:/);
  });
});
