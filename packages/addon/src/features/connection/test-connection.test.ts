import { describe, expect, it } from 'vitest';
import { baseUrl, me, token } from '../../../test/fake-api.js';
import { setup } from '../../../test/setup.js';

async function test(apiUrl: string, tokenValue: string, prepare: (world: Awaited<ReturnType<typeof setup>>) => void = () => {}) {
  const world = await setup({ configured: false });
  prepare(world);
  return world.messenger.runtime.sendMessage({ type: 'connection/test', apiUrl, token: tokenValue });
}

describe('test connection', () => {
  it('names the token, its role and the shop', async () => {
    expect(await test(baseUrl, token)).toEqual({
      ok: true,
      data: { ok: true, tokenName: 'Thunderbird Anna', role: 'agent', shopName: 'My Shop' },
    });
  });

  it('does not save what it tested', async () => {
    const world = await setup({ configured: false });
    await world.messenger.runtime.sendMessage({ type: 'connection/test', apiUrl: baseUrl, token });
    expect(world.messenger.store.settings).toBeUndefined();
  });

  it.each([
    ['down', baseUrl, { problem: 'unreachable' }],
    ['down', 'https://orders.example.com', { problem: 'unreachable-or-tls' }],
    ['hang', baseUrl, { problem: 'timeout', detail: '200' }],
    ['401', baseUrl, { problem: 'bad-token', detail: 'TOKEN_INVALID' }],
    ['403', baseUrl, { problem: 'wrong-role', detail: 'FORBIDDEN_ROLE' }],
    ['not-json', baseUrl, { problem: 'not-orderpost' }],
  ] as const)('API %s at %s → %o', async (mode, url, expected) => {
    const answer = await test(url, token, ({ api, messenger }) => {
      api.mode = mode;
      messenger.granted.origins.add('https://orders.example.com/*');
    });
    expect(answer).toMatchObject({ ok: true, data: { ok: false, ...expected } });
  });

  it('an integration token works with the API but not for the add-on: wrong role', async () => {
    const answer = await test(baseUrl, token, ({ api }) =>
      api.on('GET /v1/me', () => ({ status: 200, body: me({ role: 'integration' }) })),
    );
    expect(answer).toMatchObject({ ok: true, data: { ok: false, problem: 'wrong-role', detail: 'integration' } });
  });

  it.each([
    ['', token, 'missing-address'],
    ['not a url at all', token, 'invalid-address'],
    ['http://orders.example.com', token, 'insecure-address'],
    [baseUrl, '  ', 'missing-token'],
    ['https://orders.example.com', token, 'no-permission'],
  ])('%s / %s → %s, without a request', async (url, tokenValue, problem) => {
    const world = await setup({ configured: false });
    const answer = await world.messenger.runtime.sendMessage({ type: 'connection/test', apiUrl: url, token: tokenValue });
    expect(answer).toMatchObject({ ok: true, data: { ok: false, problem } });
    expect(world.api.requests).toHaveLength(0);
  });
});
