import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../db/client.js';
import { databaseUnavailable } from './errors.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('database errors that mean "unavailable, retry" (503 DATABASE_UNAVAILABLE)', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['connect timeout (driver)', withCode('CONNECT_TIMEOUT')],
    ['connection closed (driver)', withCode('CONNECTION_CLOSED')],
    ['admin shutdown 57P01', withCode('57P01')],
    ['crash shutdown 57P02', withCode('57P02')],
    ['starting up 57P03', withCode('57P03')],
    ['connection failure 08006', withCode('08006')],
    ['cannot connect 08001', withCode('08001')],
    ['too many connections 53300', withCode('53300')],
    ['statement timeout 57014', withCode('57014')],
    ['idle in transaction timeout 25P03', withCode('25P03')],
    ['our own deadline', new DatabaseUnavailableError('late')],
    ['wrapped by drizzle (cause)', new Error('Failed query', { cause: withCode('ECONNREFUSED') })],
    ['every address refused (AggregateError)', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
  ])('%s', (_label, error) => {
    expect(databaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['unique violation 23505', withCode('23505')],
    ['syntax error 42601', withCode('42601')],
    ['disk full 53100', withCode('53100')],
    ['a plain bug', new TypeError('x is undefined')],
  ])('not %s', (_label, error) => {
    expect(databaseUnavailable(error)).toBe(false);
  });
});
