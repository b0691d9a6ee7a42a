import { describe, expect, it } from 'vitest';
import { candidate } from '../../../test/fake-api.js';
import { fakeMessage } from '../../../test/fake-messenger.js';
import { setup } from '../../../test/setup.js';
import { e2eExtensionId } from './e2e-hook.js';

async function e2eWorld() {
  const world = await setup();
  world.api.on('POST /v1/match', () => ({ status: 200, body: { candidates: [candidate(1, '1001', 'high')] } }));
  world.messenger.addMessage(fakeMessage(10, { subject: 'Order 1001' }));
  const ask = (message: unknown, id = e2eExtensionId) => world.background.onMessageExternal(message, { id });
  return { ...world, ask };
}

describe('end-to-end test hook', () => {
  it('e2e/state reads the badge and title back from Thunderbird, with the API calls and timing', async () => {
    const { messenger, ask } = await e2eWorld();
    await messenger.display(3, 10);
    expect(await ask({ type: 'e2e/state', tabId: 3 })).toEqual({
      badgeText: '1',
      title: 'Orderpost: order 1001',
      apiCalls: [
        { method: 'GET', path: '/v1/me', status: 200 },
        { method: 'POST', path: '/v1/match', status: 200 },
      ],
      lastDisplayToBadgeMs: expect.any(Number),
      lastMessageId: 'msg-10@mail.example.com',
    });
  });

  it('e2e/ui runs a popup message through the popup handler', async () => {
    const { ask } = await e2eWorld();
    expect(await ask({ type: 'e2e/ui', message: { type: 'settings/get' } })).toMatchObject({
      ok: true,
      data: { apiUrl: 'http://localhost:3000' },
    });
    expect(await ask({ type: 'e2e/ui', message: { type: 'nope' } })).toMatchObject({ ok: false, failure: { kind: 'invalid-request' } });
  });

  it('e2e/openPopup opens the popup in the given window', async () => {
    const { messenger, ask } = await e2eWorld();
    expect(await ask({ type: 'e2e/openPopup', windowId: 4, tabId: 3 })).toBe(true);
    expect(messenger.popupsOpened).toEqual([4]);
  });

  it('answers nobody else', async () => {
    const { ask } = await e2eWorld();
    expect(ask({ type: 'e2e/state', tabId: 3 }, 'evil@example.com')).toBeUndefined();
    expect(ask({ type: 'e2e/ui', message: { type: 'settings/get' } }, 'orderpost@orderpost.app')).toBeUndefined();
  });
});
