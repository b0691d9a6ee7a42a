import { describe, expect, it } from 'vitest';
import { candidate, order } from '../../../test/fake-api.js';
import { fakeMessage } from '../../../test/fake-messenger.js';
import { setup } from '../../../test/setup.js';
import { orderPageUrl, searchQueries } from './orders.js';

function history(count: number, from = 1) {
  return Array.from({ length: count }, (_, index) => ({
    id: from + index,
    orderId: 1,
    channel: 'email',
    direction: 'out',
    kind: null,
    status: 'sent',
    from: null,
    to: 'anna@example.com',
    toDiffersFromOrder: false,
    replyTo: null,
    subject: `Message ${from + index}`,
    text: null,
    html: null,
    preheader: null,
    templateName: null,
    messageId: null,
    attempts: 1,
    lastError: null,
    occurredAt: '2026-11-19T09:00:00.000Z',
    createdAt: '2026-11-19T09:00:00.000Z',
    createdBy: null,
  }));
}

describe('order details', () => {
  it('the order, its newest five messages (one call) and its order page', async () => {
    const { messenger, api } = await setup();
    api
      .on('GET /v1/orders/1', () => ({ status: 200, body: order(1, '1001') }))
      .on('GET /v1/orders/1/page-token', () => ({
        status: 200,
        body: { pageToken: 'tok_abc', url: 'https://shop.example/orders/p/tok_abc' },
      }))
      .on('GET /v1/orders/1/messages', () => ({ status: 200, body: { messages: history(5, 199), nextCursor: null } }));
    const answer = (await messenger.runtime.sendMessage({ type: 'order/get', orderId: 1 })) as {
      ok: true;
      data: { order: { number: string }; latestMessages: { id: number }[]; pageUrl: string };
    };
    expect(answer.ok).toBe(true);
    expect(answer.data.order.number).toBe('1001');
    expect(answer.data.latestMessages.map((item) => item.id)).toEqual([199, 200, 201, 202, 203]);
    expect(answer.data.pageUrl).toBe('https://shop.example/orders/p/tok_abc');
    expect(api.calls('GET /v1/orders/1/messages').map((request) => request.path)).toEqual(['/v1/orders/1/messages?latest=5']);
  });

  it('order page link: only an http(s) address the API gives; none when the shop has no public address', () => {
    expect(orderPageUrl({ pageToken: 't', url: 'https://x.example/p/t' })).toBe('https://x.example/p/t');
    expect(orderPageUrl({ pageToken: 't', url: 'javascript:alert(1)' })).toBeNull();
    expect(orderPageUrl({ pageToken: 't', url: null })).toBeNull();
    expect(orderPageUrl(null)).toBeNull();
  });

  it('shows the order without its page link when the API cannot give the link', async () => {
    const { messenger, api } = await setup();
    api
      .on('GET /v1/orders/1', () => ({ status: 200, body: order(1, '1001') }))
      .on('GET /v1/orders/1/messages', () => ({ status: 200, body: { messages: history(2), nextCursor: null } }));
    const answer = (await messenger.runtime.sendMessage({ type: 'order/get', orderId: 1 })) as {
      ok: true;
      data: { pageUrl: string | null };
    };
    expect(answer.ok).toBe(true);
    expect(answer.data.pageUrl).toBeNull();
  });
});

describe('search', () => {
  it.each([
    ['anna@example.com', ['email=anna%40example.com&archived=all&limit=20']],
    ['1001', ['number=1001&archived=all&limit=20']],
    ['+48 600 987 654', ['number=%2B48+600+987+654&archived=all&limit=20', 'phone=%2B48+600+987+654&archived=all&limit=20']],
    ['AB-2026/11', ['number=AB-2026%2F11&archived=all&limit=20']],
  ])('%s is looked up as %o', (query, expected) => {
    expect(searchQueries(query).map(String)).toEqual(expected);
  });

  it('merges number and phone results, each order once, newest first', async () => {
    const { messenger, api } = await setup();
    api.on('GET /v1/orders', (request) => ({
      status: 200,
      body: {
        orders: request.path.includes('phone=')
          ? [order(2, '998', { orderedAt: '2026-11-20T09:00:00.000Z' }), order(1, '600987654')]
          : [order(1, '600987654')],
        nextCursor: null,
      },
    }));
    const answer = (await messenger.runtime.sendMessage({ type: 'order/search', query: '600987654' })) as { data: { id: number }[] };
    expect(answer.data.map((found) => found.id)).toEqual([2, 1]);
  });
});

describe('popup view', () => {
  it('the displayed message and its claims and suggestions, from the cache after the display', async () => {
    const { messenger, api } = await setup();
    api.on('POST /v1/match', () => ({ status: 200, body: { candidates: [candidate(1, '1001', 'high'), candidate(2, '1002', 'low')] } }));
    messenger.addMessage(fakeMessage(10, { subject: 'Order 1001' }));
    await messenger.display(1, 10);
    const answer = (await messenger.runtime.sendMessage({ type: 'popup/open', tabId: 1 })) as {
      data: { message: { id: number; subject: string }; outcome: { state: string; claims: unknown[]; suggestions: unknown[] } };
    };
    expect(answer.data.message).toMatchObject({ id: 10, subject: 'Order 1001' });
    expect(answer.data.outcome).toMatchObject({
      state: 'matched',
      claims: [{ order: { number: '1001' } }],
      suggestions: [{ order: { number: '1002' } }],
    });
    expect(api.calls('POST /v1/match')).toHaveLength(1);
  });

  it('without a displayed message: the search only; unconfigured says so', async () => {
    const { messenger } = await setup();
    expect(await messenger.runtime.sendMessage({ type: 'popup/open', tabId: 5 })).toMatchObject({
      ok: true,
      data: { message: null, outcome: { state: 'matched' } },
    });
    const bare = await setup({ configured: false });
    expect(await bare.messenger.runtime.sendMessage({ type: 'popup/open', tabId: 5 })).toMatchObject({
      data: { outcome: { state: 'not-configured' } },
    });
  });

  it('statuses come sorted by position; templates without their content', async () => {
    const { messenger, api } = await setup();
    api
      .on('GET /v1/statuses', () => ({
        status: 200,
        body: {
          statuses: [
            { id: 'shipped', name: 'Shipped', customerName: 'Shipped', colour: '#000000', final: false, position: 2 },
            { id: 'new', name: 'New', customerName: 'New', colour: '#000000', final: false, position: 1 },
          ],
        },
      }))
      .on('GET /v1/templates', () => ({
        status: 200,
        body: {
          templates: [
            {
              id: 5,
              name: 'Shipped',
              subject: 'Your order',
              format: 'html',
              content: '<p>[order_number]</p>',
              preheader: null,
              mailboxId: null,
              hidden: false,
              language: 'en',
              attachments: [],
              createdAt: '2026-11-01T00:00:00.000Z',
              updatedAt: '2026-11-01T00:00:00.000Z',
            },
          ],
        },
      }));
    expect(await messenger.runtime.sendMessage({ type: 'statuses/list' })).toMatchObject({ data: [{ id: 'new' }, { id: 'shipped' }] });
    expect(await messenger.runtime.sendMessage({ type: 'templates/list' })).toEqual({
      ok: true,
      data: [{ id: 5, name: 'Shipped', subject: 'Your order', format: 'html', language: 'en' }],
    });
  });
});
