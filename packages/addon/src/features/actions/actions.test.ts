import { describe, expect, it } from 'vitest';
import { apiError, candidate, order } from '../../../test/fake-api.js';
import { fakeMessage } from '../../../test/fake-messenger.js';
import { setup } from '../../../test/setup.js';
import { filedEmailFrom, parseMailbox } from './filed-email.js';

const historyItem = {
  id: 1,
  orderId: 1,
  channel: 'email',
  direction: 'in',
  kind: null,
  status: 'stored',
  from: null,
  to: null,
  toDiffersFromOrder: false,
  replyTo: null,
  subject: null,
  text: null,
  html: null,
  preheader: null,
  templateName: null,
  messageId: null,
  attempts: 0,
  lastError: null,
  occurredAt: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  createdBy: null,
};

async function actionWorld() {
  const world = await setup();
  world.messenger.addMessage(fakeMessage(10, { subject: 'Order 1001', text: 'Where is it?', html: '<p>Where is it?</p>' }));
  world.api
    .on('POST /v1/match', () => ({ status: 200, body: { candidates: [candidate(1, '1001', 'medium')] } }))
    .on('POST /v1/orders/1/messages', () => ({ status: 201, body: historyItem }))
    .on('POST /v1/match/unlinks', () => ({ status: 201, body: { kind: 'unlink' } }))
    .on('POST /v1/orders/1/notes', () => ({ status: 201, body: { ...historyItem, channel: 'note', direction: 'internal' } }))
    .on('POST /v1/orders/1/status', (request) => ({
      status: 200,
      body: order(1, '1001', { status: (request.body as { status: string }).status }),
    }));
  return world;
}

describe('actions from the popup', () => {
  it('files the displayed e-mail into the order, and the next popup asks the matcher again', async () => {
    const { messenger, api } = await actionWorld();
    await messenger.display(1, 10);
    expect(await messenger.runtime.sendMessage({ type: 'email/file', messageId: 10, orderId: 1 })).toMatchObject({ ok: true });
    expect(api.calls('POST /v1/orders/1/messages')[0]?.body).toEqual({
      from: { address: 'anna@example.com', name: 'Anna Nowak' },
      to: 'shop@myshop.example',
      subject: 'Order 1001',
      date: '2026-11-20T10:00:00.000Z',
      text: 'Where is it?',
      html: '<p>Where is it?</p>',
      messageId: 'msg-10@mail.example.com',
    });
    await messenger.runtime.sendMessage({ type: 'popup/open', tabId: 1 });
    expect(api.calls('POST /v1/match')).toHaveLength(2);
  });

  it('"not this order" unlinks the thread by its Message-ID', async () => {
    const { messenger, api } = await actionWorld();
    expect(await messenger.runtime.sendMessage({ type: 'match/unlink', messageId: 10, orderId: 1 })).toMatchObject({ ok: true });
    expect(api.calls('POST /v1/match/unlinks')[0]?.body).toEqual({ orderId: 1, messageId: 'msg-10@mail.example.com' });
  });

  it('adds a note and changes the status', async () => {
    const { messenger, api } = await actionWorld();
    expect(await messenger.runtime.sendMessage({ type: 'note/add', orderId: 1, text: '  Called the buyer  ' })).toMatchObject({ ok: true });
    expect(api.calls('POST /v1/orders/1/notes')[0]?.body).toEqual({ text: 'Called the buyer' });
    expect(await messenger.runtime.sendMessage({ type: 'status/change', orderId: 1, status: 'shipped' })).toMatchObject({
      ok: true,
      data: { status: 'shipped' },
    });
  });

  it('an empty note never reaches the API', async () => {
    const { messenger, api } = await actionWorld();
    expect(await messenger.runtime.sendMessage({ type: 'note/add', orderId: 1, text: '   ' })).toMatchObject({
      ok: false,
      failure: { kind: 'invalid-request' },
    });
    expect(api.requests).toHaveLength(0);
  });

  it('an archived order refuses the filing with the API reason', async () => {
    const { messenger, api } = await actionWorld();
    api.on('POST /v1/orders/1/messages', () => ({ status: 409, body: apiError('ORDER_ARCHIVED', 'The order is archived') }));
    expect(await messenger.runtime.sendMessage({ type: 'email/file', messageId: 10, orderId: 1 })).toMatchObject({
      ok: false,
      failure: { kind: 'http', code: 'ORDER_ARCHIVED' },
    });
  });

  it.each([
    ['401', 'bad-token'],
    ['403', 'wrong-role'],
    ['down', 'unreachable'],
    ['hang', 'timeout'],
  ] as const)('API %s → %s for every action', async (mode, kind) => {
    const { messenger, api } = await actionWorld();
    api.mode = mode;
    for (const request of [
      { type: 'email/file', messageId: 10, orderId: 1 },
      { type: 'match/unlink', messageId: 10, orderId: 1 },
      { type: 'note/add', orderId: 1, text: 'x' },
      { type: 'status/change', orderId: 1, status: 'shipped' },
    ]) {
      expect(await messenger.runtime.sendMessage(request)).toMatchObject({ ok: false, failure: { kind } });
    }
  });
});

describe('filed e-mail', () => {
  it('parses mailboxes', () => {
    expect(parseMailbox('"Nowak, Anna" <anna@example.com>')).toEqual({ address: 'anna@example.com', name: 'Nowak, Anna' });
    expect(parseMailbox('anna@example.com')).toEqual({ address: 'anna@example.com' });
    expect(parseMailbox('undisclosed-recipients:;')).toBeNull();
  });

  it('uses the HTML as text when there is no text part, and leaves out HTML over the limit', () => {
    const { header } = fakeMessage(1, {});
    expect(filedEmailFrom(header, { html: '<p>Only&amp;HTML</p>' })?.text).toBe('Only&HTML');
    const huge = `<p>${'x'.repeat(400_001)}</p>`;
    const filed = filedEmailFrom(header, { text: 'short', html: huge });
    expect(filed?.html).toBeUndefined();
    expect(filed?.text).toBe('short');
  });
});
