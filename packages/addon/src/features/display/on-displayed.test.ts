import { describe, expect, it } from 'vitest';
import { apiError, candidate } from '../../../test/fake-api.js';
import { fakeMessage } from '../../../test/fake-messenger.js';
import { setup } from '../../../test/setup.js';

const tab = 1;

async function withMatch(candidates: ReturnType<typeof candidate>[], options: Parameters<typeof setup>[0] = {}) {
  const world = await setup(options);
  world.api.on('POST /v1/match', () => ({ status: 200, body: { candidates } }));
  world.messenger.addMessage(
    fakeMessage(10, {
      subject: 'Where is my order 1001?',
      text: 'Hello,\nmy order 1001 has not arrived. Call me: 600 987 654.\nMy bank account PL61 1090 1014 0000 0712 1981 2874 — please refund.\n',
      html: '<p>Hello, my order <b>1001</b> has not arrived.</p>',
      inReplyTo: 'notice-55@orderpost.myshop.example',
    }),
  );
  return world;
}

describe('a displayed message gets its badge and title', () => {
  it('one claimed order: badge 1, title naming it, colour of a claim', async () => {
    const { messenger, api, context } = await withMatch([candidate(1, '1001', 'high')]);
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab)).toEqual({ text: '1', title: 'Orderpost: order 1001', color: '#1a7f37' });
    expect(api.calls('POST /v1/match')).toHaveLength(1);
    expect(context.log.lastMessageId).toBe('msg-10@mail.example.com');
    expect(context.log.lastDisplayToBadgeMs).toBeGreaterThanOrEqual(0);
  });

  it('several claims are counted and named; low candidates are not counted', async () => {
    const { messenger } = await withMatch([candidate(1, '1001', 'high'), candidate(2, '1002', 'medium'), candidate(3, '1003', 'low')]);
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab)).toMatchObject({ text: '2', title: 'Orderpost: orders 1001, 1002' });
  });

  it('only suggestions: no badge, the title says so', async () => {
    const { messenger } = await withMatch([candidate(3, '1003', 'low')]);
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab)).toMatchObject({ text: '', title: 'Orderpost: no order for sure (1 suggested)' });
  });

  it('nothing found: no badge', async () => {
    const { messenger } = await withMatch([]);
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab)).toMatchObject({ text: '', title: 'Orderpost: no order found' });
  });

  it('sends only what the extractor found — never the message text — with the shop country and own domains applied', async () => {
    const { messenger, api } = await withMatch([]);
    await messenger.display(tab, 10);
    const [request] = api.calls('POST /v1/match');
    const body = request?.body as { messageId: string; identifiers: Record<string, unknown[]>; message?: unknown };
    expect(body.message).toBeUndefined();
    expect(body.messageId).toBe('msg-10@mail.example.com');
    expect(JSON.stringify(body)).not.toContain('has not arrived');
    expect(body.identifiers.rejected).toEqual([]);
    expect(body.identifiers.tokens).toContainEqual(expect.objectContaining({ compact: '1001' }));
    expect(body.identifiers.messageIds).toEqual([{ id: 'notice-55@orderpost.myshop.example', header: 'in-reply-to' }]);
    // The shop's own address is left out (ownDomains from /v1/me); the national number is read in PL (defaultCountry).
    expect(body.identifiers.emails).not.toContainEqual(expect.objectContaining({ address: 'shop@myshop.example' }));
    expect(body.identifiers.phones).toContainEqual(expect.objectContaining({ e164: '+48600987654' }));
  });

  it('is cached per message: showing it again asks the API nothing', async () => {
    const { messenger, api } = await withMatch([candidate(1, '1001', 'high')]);
    await messenger.display(tab, 10);
    await messenger.display(2, 10);
    expect(api.calls('POST /v1/match')).toHaveLength(1);
    expect(api.calls('GET /v1/me')).toHaveLength(1);
    expect(messenger.badgeOf(2)).toMatchObject({ text: '1' });
  });

  it('several messages selected: no badge, no API call', async () => {
    const { messenger, api } = await withMatch([candidate(1, '1001', 'high')]);
    messenger.addMessage(fakeMessage(11, {}));
    await messenger.display(tab, 10, 11);
    expect(messenger.badgeOf(tab)).toMatchObject({ text: '', title: 'Orderpost' });
    expect(api.requests).toHaveLength(0);
  });
});

describe('clear states when the API cannot answer', () => {
  it('not configured: "?" and where to set it up, no request', async () => {
    const { messenger, api } = await withMatch([], { configured: false });
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab).text).toBe('?');
    expect(messenger.badgeOf(tab).title).toContain('not set up yet');
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    ['down', 'the API does not answer (is it running?)'],
    ['hang', 'the API took too long to answer'],
    ['401', 'the API refused the token'],
    ['403', 'the token may not do this'],
  ] as const)('API %s → "!" and %s', async (mode, title) => {
    const { messenger, api } = await withMatch([]);
    api.mode = mode;
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab)).toMatchObject({ text: '!', color: '#c62828' });
    expect(messenger.badgeOf(tab).title).toContain(title);
  });

  it('an API origin Thunderbird may not reach yet: "!" and what to do, no request', async () => {
    const { messenger, api } = await withMatch([]);
    messenger.store.settings = { ...(messenger.store.settings as object), apiUrl: 'https://orders.example.com' };
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab)).toMatchObject({
      text: '!',
      title: 'Orderpost: Thunderbird may not reach the API yet — open the options and press Save to allow it',
    });
    expect(api.requests).toHaveLength(0);
    messenger.granted.origins.add('https://orders.example.com/*');
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab)).toMatchObject({ text: '', title: 'Orderpost: no order found' });
  });

  it('a failure is not cached: the next display tries again and recovers', async () => {
    const { messenger, api } = await withMatch([candidate(1, '1001', 'high')]);
    api.mode = 'down';
    await messenger.display(tab, 10);
    api.mode = 'up';
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab)).toMatchObject({ text: '1' });
  });

  it('a refused match request (an API error) shows the server state', async () => {
    const { messenger, api } = await withMatch([]);
    api.on('POST /v1/match', () => ({ status: 503, body: apiError('DATABASE_UNAVAILABLE', 'down') }));
    await messenger.display(tab, 10);
    expect(messenger.badgeOf(tab).title).toBe('Orderpost: the API had an error — try again later');
  });

  it('changing the settings forgets cached outcomes', async () => {
    const { messenger, api } = await withMatch([candidate(1, '1001', 'high')]);
    await messenger.display(tab, 10);
    await messenger.storage.local.set({ settings: { ...(messenger.store.settings as object), token: 'other' } });
    await messenger.display(tab, 10);
    expect(api.calls('POST /v1/match')).toHaveLength(2);
  });
});
