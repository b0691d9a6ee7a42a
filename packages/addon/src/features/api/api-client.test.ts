import { me as meSchema } from '@orderpost/shared/schemas/me';
import { describe, expect, it } from 'vitest';
import { apiError, baseUrl, FakeApi, me, token } from '../../../test/fake-api.js';
import { type ApiCall, createApiClient, failureFromAnswer } from './api-client.js';
import { ApiError, failureOf } from './api-error.js';

function client(api: FakeApi, calls: ApiCall[] = []) {
  return createApiClient({ baseUrl, token, fetch: api.fetch, timeoutMs: 50, onCall: (call) => calls.push(call) });
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return failureOf(error);
}

describe('api client', () => {
  it('sends the bearer token and returns the answer checked against the shared schema', async () => {
    const api = new FakeApi();
    const calls: ApiCall[] = [];
    await expect(client(api, calls).get('/v1/me', meSchema)).resolves.toEqual(me());
    expect(api.requests[0]).toMatchObject({ method: 'GET', path: '/v1/me', authorization: `Bearer ${token}` });
    expect(calls).toMatchObject([{ method: 'GET', path: '/v1/me', status: 200 }]);
  });

  it.each([
    ['down', { kind: 'unreachable', secure: false }, 0],
    ['hang', { kind: 'timeout', afterMs: 50 }, 0],
    ['401', { kind: 'bad-token', code: 'TOKEN_INVALID' }, 401],
    ['403', { kind: 'wrong-role', code: 'FORBIDDEN_ROLE' }, 403],
    ['not-json', { kind: 'invalid-response', status: 200 }, 200],
  ] as const)('API %s → %o, logged with status %i', async (mode, expected, status) => {
    const api = new FakeApi();
    api.mode = mode;
    const calls: ApiCall[] = [];
    expect(await failure(client(api, calls).get('/v1/me', meSchema))).toMatchObject(expected);
    expect(calls).toMatchObject([{ path: '/v1/me', status }]);
  });

  it('names an answer of the wrong shape (another server at that address)', async () => {
    const api = new FakeApi().on('GET /v1/me', () => ({ status: 200, body: { hello: 'world' } }));
    expect(await failure(client(api).get('/v1/me', meSchema))).toMatchObject({ kind: 'invalid-response', status: 200 });
  });

  it('keeps the API error code, message and request id', async () => {
    const api = new FakeApi().on('POST /v1/orders/1/notes', () => ({
      status: 409,
      body: apiError('ORDER_ARCHIVED', 'The order is archived'),
    }));
    expect(await failure(client(api).post('/v1/orders/1/notes', { text: 'x' }, meSchema))).toEqual({
      kind: 'http',
      status: 409,
      code: 'ORDER_ARCHIVED',
      message: 'The order is archived',
      requestId: 'req_test',
    });
    expect(api.requests[0]?.body).toEqual({ text: 'x' });
  });

  it('an error answer without the error body is not from Orderpost', () => {
    expect(failureFromAnswer(404, null)).toMatchObject({ kind: 'invalid-response', status: 404 });
    expect(failureFromAnswer(502, { message: 'bad gateway' })).toMatchObject({ kind: 'invalid-response', status: 502 });
  });

  it('https failures say the connection may be TLS', async () => {
    const api = new FakeApi();
    api.mode = 'down';
    const secure = createApiClient({ baseUrl: 'https://orders.example.com', token, fetch: api.fetch });
    expect(await failure(secure.get('/v1/me', meSchema))).toMatchObject({ kind: 'unreachable', secure: true });
  });
});
