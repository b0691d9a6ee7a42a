import { describe, expect, it, vi } from 'vitest';
import { FakeMessenger } from '../../test/fake-messenger.js';
import { setup } from '../../test/setup.js';

const fake = new FakeMessenger();
vi.mock('webextension-polyfill', () => ({ default: fake }));

describe('background switchboard', () => {
  it('registers every listener synchronously when the script is loaded (an event page is woken by them)', async () => {
    await import('./background.js');
    for (const event of Object.values(fake.events)) expect(event.listeners).toHaveLength(1);
  });

  it('opens the options after a fresh install when nothing is set up', async () => {
    const bare = await setup({ configured: false });
    bare.messenger.events.onInstalled.fire({ reason: 'install' });
    await vi.waitFor(() => expect(bare.messenger.optionsOpened).toBe(1));
    const configured = await setup();
    configured.messenger.events.onInstalled.fire({ reason: 'install' });
    configured.messenger.events.onInstalled.fire({ reason: 'update' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(configured.messenger.optionsOpened).toBe(0);
  });

  it('answers pages with { ok: false } for messages outside the union, and ignores other extensions', async () => {
    const { messenger, background } = await setup();
    expect(await messenger.runtime.sendMessage({ type: 'order/get', orderId: -1 })).toMatchObject({
      ok: false,
      failure: { kind: 'invalid-request' },
    });
    expect(background.onMessage({ type: 'settings/get' }, { id: 'someone-else@example.com' })).toBeUndefined();
  });
});
