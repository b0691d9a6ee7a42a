import { me } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, type TestContext } from '../../../test/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('GET /v1/me', () => {
  it.each(['admin', 'agent', 'integration'] as const)('tells a %s token whose it is and its role', async (role) => {
    const res = await t.call('GET', '/v1/me', undefined, { role });
    expect(res.status).toBe(200);
    const body = await json(res, me);
    expect(body.token).toMatchObject({ name: `test ${role}`, role });
  });

  it('gives the settings the add-on needs to read e-mails: country, language and the own domains', async () => {
    const patched = await t.call('PATCH', '/v1/settings', {
      shopName: 'Kawa & Co',
      defaultCountry: 'DE',
      defaultLanguage: 'de',
      replyToEmail: 'Sklep@Kawa-Co.example',
      notificationEmail: 'orders@notify.kawa-co.example',
      publicBaseUrl: 'https://shop.kawa-co.example/',
    });
    expect(patched.status).toBe(200);
    const body = await json(await t.call('GET', '/v1/me', undefined, { role: 'agent' }), me);
    expect(body.shop).toEqual({
      name: 'Kawa & Co',
      defaultCountry: 'DE',
      defaultLanguage: 'de',
      ownDomains: ['kawa-co.example', 'notify.kawa-co.example'],
      publicBaseUrl: 'https://shop.kawa-co.example',
    });
  });

  it('answers 401 with a stable code without a token, and for a wrong one', async () => {
    const missing = await t.call('GET', '/v1/me', undefined, { role: null });
    expect(missing.status).toBe(401);
    expect((await errorBody(missing)).error.code).toBe('TOKEN_MISSING');
    const wrong = await t.call('GET', '/v1/me', undefined, { role: null, headers: { authorization: 'Bearer op_not-a-real-token' } });
    expect(wrong.status).toBe(401);
    expect((await errorBody(wrong)).error.code).toBe('TOKEN_INVALID');
  });
});
