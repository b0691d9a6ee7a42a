import { describe, expect, it } from 'vitest';
import { sentMessageInput } from '@orderpost/shared/schemas/match';
import { apiError } from '../../../test/fake-api.js';
import { fakeMessage } from '../../../test/fake-messenger.js';
import { setup } from '../../../test/setup.js';
import { bodyContent, insertAboveQuote, insertAboveQuotePlain, textToHtml } from './compose-body.js';
import { identityForReply } from './identity.js';

const rendered = {
  subject: 'Your order 1001',
  html: '<!doctype html><html><head><style>p{}</style></head><body><p>Dear Anna, your parcel left today.</p></body></html>',
  text: 'Dear Anna, your parcel left today.',
  preheader: null,
  warnings: [],
  attachments: [],
};

async function replyWorld() {
  const world = await setup();
  world.messenger.identityList = [
    { id: 'id-default', accountId: 'account1', email: 'info@myshop.example', name: 'Shop' },
    { id: 'id-support', accountId: 'account1', email: 'support@myshop.example', name: 'Shop support' },
  ];
  world.messenger.addMessage(fakeMessage(10, { to: 'Shop support <Support@MyShop.example>', subject: 'Where is my parcel?' }));
  world.api
    .on('POST /v1/templates/5/render', () => ({ status: 200, body: rendered }))
    .on('POST /v1/orders/1/sent-messages', (request) => ({
      status: 201,
      body: { id: 1, orderId: 1, origin: 'external', ...(request.body as object) },
    }));
  return world;
}

const replyRequest = { type: 'reply/template', messageId: 10, orderId: 1, templateId: 5 } as const;

describe('reply with a template', () => {
  it('opens the reply from the identity the mail came in on, the rendered text above quote and signature', async () => {
    const { messenger, api } = await replyWorld();
    const answer = await messenger.runtime.sendMessage(replyRequest);
    expect(answer).toMatchObject({ ok: true, data: { composeTabId: 100 } });
    expect(api.calls('POST /v1/templates/5/render')[0]?.body).toEqual({ orderId: 1 });
    const window = messenger.composeWindow(100);
    expect(window.identityId).toBe('id-support');
    const body = window.details.body ?? '';
    const template = body.indexOf('your parcel left today');
    expect(template).toBeGreaterThan(body.indexOf('<body>'));
    expect(template).toBeLessThan(body.indexOf('<blockquote type="cite">original text</blockquote>'));
    expect(body).toContain('<div class="moz-signature">-- <br>Shop team</div>');
    expect(body).not.toContain('<style>');
  });

  it('a plain-text reply gets the template text first', async () => {
    const { messenger } = await replyWorld();
    messenger.composeIsPlainText = true;
    await messenger.runtime.sendMessage(replyRequest);
    const text = messenger.composeWindow(100).details.plainTextBody ?? '';
    expect(text.startsWith('Dear Anna, your parcel left today.\n\n')).toBe(true);
    expect(text).toContain('> original text');
    expect(text).toContain('-- \nShop team');
  });

  it('records the sent reply with its Message-ID in the order history; other compose windows are ignored', async () => {
    const { messenger, api, background } = await replyWorld();
    await messenger.runtime.sendMessage(replyRequest);
    expect(await background.onAfterSend({ id: 999 }, { mode: 'sendNow', headerMessageId: 'x@y' })).toBe(false);
    const sent = await background.onAfterSend(
      { id: 100 },
      { mode: 'sendNow', headerMessageId: '<reply-1@myshop.example>', messages: [{ subject: 'Re: Where is my parcel?' } as never] },
    );
    expect(sent).toBe(true);
    const [recorded] = api.calls('POST /v1/orders/1/sent-messages');
    expect(recorded?.body).toMatchObject({ messageId: 'reply-1@myshop.example', subject: 'Re: Where is my parcel?' });
    expect(Date.parse((recorded?.body as { sentAt?: string } | undefined)?.sentAt ?? '')).not.toBeNaN();
    // Recorded once: a second event for the same tab does nothing.
    expect(await background.onAfterSend({ id: 100 }, { mode: 'sendNow', headerMessageId: 'reply-1@myshop.example' })).toBe(false);
  });

  it('records the sent reply with its sender, recipient and text read from the copy Thunderbird kept', async () => {
    const { messenger, api, background } = await replyWorld();
    await messenger.runtime.sendMessage(replyRequest);
    const copy = messenger.addMessage(
      fakeMessage(200, {
        from: 'Shop support <support@myshop.example>',
        to: 'Anna Nowak <anna@example.com>',
        subject: 'Re: Where is my parcel?',
        text: 'It left today.\n\n> Where is my parcel?',
      }),
    );
    expect(
      await background.onAfterSend({ id: 100 }, { mode: 'sendNow', headerMessageId: '<reply-9@myshop.example>', messages: [copy] }),
    ).toBe(true);
    const [recorded] = api.calls('POST /v1/orders/1/sent-messages');
    expect(recorded?.body).toMatchObject({
      messageId: 'reply-9@myshop.example',
      subject: 'Re: Where is my parcel?',
      from: 'support@myshop.example',
      to: 'anna@example.com',
      text: 'It left today.\n\n> Where is my parcel?',
    });
  });

  it('sends a text the API takes: control characters left out, cut at 100 000 without splitting a character', async () => {
    const { messenger, api, background } = await replyWorld();
    await messenger.runtime.sendMessage(replyRequest);
    // A form feed and an escape (pasted from a terminal), then an emoji across the 100 000th character.
    const text = `Page one\fPage two \u001b[1mbold\u0000\n${'x'.repeat(99_976)}😀 and more`;
    const copy = messenger.addMessage(fakeMessage(202, { text }));
    expect(
      await background.onAfterSend({ id: 100 }, { mode: 'sendNow', headerMessageId: 'reply-11@myshop.example', messages: [copy] }),
    ).toBe(true);
    const [recorded] = api.calls('POST /v1/orders/1/sent-messages');
    const parsed = sentMessageInput.safeParse(recorded?.body);
    expect(parsed.error?.issues).toBeUndefined();
    const sent = parsed.data?.text ?? '';
    expect(sent.startsWith('Page one\nPage two [1mbold\n')).toBe(true);
    expect(sent.length).toBeLessThanOrEqual(100_000);
    expect(sent.endsWith('x')).toBe(true);
  });

  it('keeps the text when only an address is refused', async () => {
    const { messenger, api, background } = await replyWorld();
    api.on('POST /v1/orders/1/sent-messages', (request) =>
      (request.body as { from?: string }).from === undefined
        ? { status: 201, body: { id: 3, orderId: 1, origin: 'external', ...(request.body as object) } }
        : { status: 400, body: apiError('INVALID_VALUE', 'from: not an e-mail address') },
    );
    await messenger.runtime.sendMessage(replyRequest);
    const copy = messenger.addMessage(fakeMessage(202, { text: 'It left today.' }));
    expect(
      await background.onAfterSend({ id: 100 }, { mode: 'sendNow', headerMessageId: 'reply-11@myshop.example', messages: [copy] }),
    ).toBe(true);
    const calls = api.calls('POST /v1/orders/1/sent-messages');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.body).toMatchObject({ messageId: 'reply-11@myshop.example', text: 'It left today.' });
  });

  it('records the Message-ID alone when the API refuses the extras', async () => {
    const { messenger, api, background } = await replyWorld();
    api.on('POST /v1/orders/1/sent-messages', (request) =>
      (request.body as { text?: string }).text === undefined
        ? { status: 201, body: { id: 2, orderId: 1, origin: 'external', ...(request.body as object) } }
        : { status: 400, body: apiError('INVALID_VALUE', 'to: not an e-mail address') },
    );
    await messenger.runtime.sendMessage(replyRequest);
    const copy = messenger.addMessage(fakeMessage(201, { to: 'odd@address', text: 'Thanks' }));
    expect(
      await background.onAfterSend({ id: 100 }, { mode: 'sendNow', headerMessageId: 'reply-10@myshop.example', messages: [copy] }),
    ).toBe(true);
    const calls = api.calls('POST /v1/orders/1/sent-messages');
    expect(calls).toHaveLength(3);
    // First without the address the API refused, keeping the text; then the Message-ID alone.
    expect(calls[1]?.body).toEqual({
      messageId: 'reply-10@myshop.example',
      subject: 'Question',
      sentAt: expect.any(String),
      text: 'Thanks',
    });
    expect(calls[2]?.body).toEqual({ messageId: 'reply-10@myshop.example', subject: 'Question', sentAt: expect.any(String) });
  });

  it('a failed send stays pending and is recorded when it finally goes', async () => {
    const { messenger, api, background } = await replyWorld();
    await messenger.runtime.sendMessage(replyRequest);
    expect(await background.onAfterSend({ id: 100 }, { mode: 'sendNow', error: 'SMTP refused' })).toBe(false);
    expect(await background.onAfterSend({ id: 100 }, { mode: 'sendNow', headerMessageId: 'reply-2@myshop.example' })).toBe(true);
    expect(api.calls('POST /v1/orders/1/sent-messages')).toHaveLength(1);
  });

  it('the pending reply survives the background being rebuilt (event page woken by the send)', async () => {
    const { messenger, api } = await replyWorld();
    await messenger.runtime.sendMessage(replyRequest);
    const { createBackground } = await import('../../background/create-background.js');
    const woken = createBackground({ host: messenger, fetch: api.fetch });
    expect(await woken.onAfterSend({ id: 100 }, { mode: 'sendNow', headerMessageId: 'reply-3@myshop.example' })).toBe(true);
  });

  it('a template the API cannot render opens no reply and says why', async () => {
    const { messenger, api } = await replyWorld();
    api.on('POST /v1/templates/5/render', () => ({ status: 422, body: apiError('TEMPLATE_INVALID', 'Unknown tag [foo]') }));
    const answer = await messenger.runtime.sendMessage(replyRequest);
    expect(answer).toEqual({
      ok: false,
      failure: { kind: 'http', status: 422, code: 'TEMPLATE_INVALID', message: 'Unknown tag [foo]', requestId: 'req_test' },
    });
    expect(messenger.composeWindows).toHaveLength(0);
  });

  it.each(['401', '403', 'down', 'hang'] as const)('API %s: no reply is opened', async (mode) => {
    const { messenger, api } = await replyWorld();
    api.mode = mode;
    const answer = (await messenger.runtime.sendMessage(replyRequest)) as { ok: boolean };
    expect(answer.ok).toBe(false);
    expect(messenger.composeWindows).toHaveLength(0);
  });
});

describe('compose body', () => {
  it('puts the fragment right after <body>', () => {
    expect(insertAboveQuote('<html><body class="x"><blockquote>q</blockquote></body></html>', '<p>t</p>')).toBe(
      '<html><body class="x"><div class="orderpost-template"><p>t</p></div><br><blockquote>q</blockquote></body></html>',
    );
    expect(insertAboveQuote('<blockquote>q</blockquote>', '<p>t</p>')).toBe(
      '<div class="orderpost-template"><p>t</p></div><br><blockquote>q</blockquote>',
    );
  });

  it('takes the body of a rendered document, and escapes plain text', () => {
    expect(bodyContent('<html><body><p>a</p></body></html>')).toBe('<p>a</p>');
    expect(bodyContent('<p>a</p>')).toBe('<p>a</p>');
    expect(textToHtml('Hi <Anna> & co\nline 2\n\nPara 2')).toBe('<p>Hi &#60;Anna&#62; &#38; co<br>line 2</p><p>Para 2</p>');
    expect(insertAboveQuotePlain('> q', 'Text  \n')).toBe('Text\n\n> q');
  });

  it('picks the identity among To and Cc, case-insensitively, or none', () => {
    const identities = [{ id: 'a', email: 'a@shop.example', name: 'A' }];
    expect(identityForReply(identities, { recipients: ['x@y.example'], ccList: ['"A" <A@Shop.example>'] })?.id).toBe('a');
    expect(identityForReply(identities, { recipients: ['x@y.example'], ccList: [] })).toBeNull();
  });
});
