import { customerMessageLimits, historyPage, journalTypes } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOrder, createTestContext, json, type TestContext } from '../../../test/context.js';
import { type FormPost, pageTokenOf, postForm, tinyPng, traces } from '../../../test/page-form.js';
import { files, orders } from '../../db/schema/index.js';
import { issueFormToken } from './form.token.js';

/**
 * The order page's form: what is stored on success, and every way a post is
 * refused — each with its status, stable code (X-Error-Code) and nothing
 * stored. The notification e-mail itself is in notification.test.ts.
 */
let now = new Date('2026-11-02T10:00:00Z');
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ clock: () => now });
  await t.call('PATCH', '/v1/settings', { publicBaseUrl: 'https://shop.example', notificationEmail: 'owner@shop.example' });
});
afterAll(() => t.close());

async function newPage(overrides: Record<string, unknown> = {}) {
  const order = await createOrder(t, overrides);
  return { order, token: await pageTokenOf(t.services, order.id) };
}

const post = (token: string, body: FormPost = {}) => postForm(t.app, t.services, token, body);

/** Nothing of the post was kept: no message, no file, no journal row. */
async function expectNothingStored(orderId: number) {
  const { messages, journalTypes: types } = await traces(t.services, orderId);
  expect(messages).toEqual([]);
  expect(types).not.toContain(journalTypes.CUSTOMER_MESSAGE);
}

describe('a customer message through the form', () => {
  it('is stored with its attachment, its notification queued and journalled in one go, then redirects to the page (303)', async () => {
    const { order, token } = await newPage();
    const filesBefore = (await t.database.db.select({ id: files.id }).from(files)).length;
    const res = await post(token, {
      message: 'Hello,\r\nthe parcel is damaged.\r\n\r\nSee the photo.',
      attachment: { name: 'C:\\Users\\anna\\damage.exe', type: 'application/x-msdownload', content: tinyPng },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`../${token}?sent=1#conversation`);
    expect(new URL(res.headers.get('location') ?? '', `http://localhost/p/${token}/messages`).pathname).toBe(`/p/${token}`);

    const { messages, journalTypes: types } = await traces(t.services, order.id);
    expect(messages).toHaveLength(2);
    const [message, notification] = messages;
    expect(message).toMatchObject({
      channel: 'page',
      direction: 'in',
      kind: null,
      status: 'stored',
      text: 'Hello,\nthe parcel is damaged.\n\nSee the photo.',
      fromAddress: order.buyer.email,
    });
    expect(notification).toMatchObject({
      channel: 'email',
      direction: 'internal',
      kind: 'customer_notification',
      status: 'queued',
      toAddress: 'owner@shop.example',
      replyTo: order.buyer.email,
      attachmentFileId: message?.attachmentFileId,
    });
    const [file] = await t.database.db
      .select()
      .from(files)
      .where(eq(files.id, message?.attachmentFileId ?? -1));
    // Named by what it is, never by what it claimed; the path the browser sent is gone.
    expect(file).toMatchObject({ contentType: 'image/png', filename: 'damage.exe.png', size: tinyPng.length });
    expect((await t.database.db.select({ id: files.id }).from(files)).length).toBe(filesBefore + 1);
    expect(types.at(-1)).toBe(journalTypes.CUSTOMER_MESSAGE);

    // The agents' history shows both, the customer's message with its file.
    const history = await json(await t.call('GET', `/v1/orders/${order.id}/messages`), historyPage);
    expect(history.messages.map((item) => [item.channel, item.direction, item.kind])).toEqual([
      ['page', 'in', null],
      ['email', 'internal', 'customer_notification'],
    ]);
    expect(history.messages[0]?.attachment).toMatchObject({ id: file?.id, contentType: 'image/png', filename: 'damage.exe.png' });
  });

  it('takes exactly the limit; line breaks count as one character, as the browser counts them for maxlength', async () => {
    const { order, token } = await newPage();
    const text = `${'a'.repeat(customerMessageLimits.text - 2)}\r\nb`;
    expect((await post(token, { message: text })).status).toBe(303);
    const { messages } = await traces(t.services, order.id);
    expect(messages[0]?.text).toHaveLength(customerMessageLimits.text);
  });

  it('accepts a urlencoded form too, and a post from the shop’s public address (behind a proxy)', async () => {
    const { order, token } = await newPage();
    const res = await t.app.request(`/p/${token}/messages`, {
      method: 'POST',
      body: new URLSearchParams({ message: 'Plain form', formToken: await issueFormToken(t.services, token), website: '' }),
      headers: { origin: 'https://shop.example' },
    });
    expect(res.status).toBe(303);
    expect((await traces(t.services, order.id)).messages[0]?.text).toBe('Plain form');
  });

  it('drops control characters but keeps the text as text (markup and CR/LF inert)', async () => {
    const { order, token } = await newPage();
    const hostile = '<script>alert(1)</script>\u0000\u0007<img src=x onerror=alert(2)>\r\nBcc: victim@example.com';
    expect((await post(token, { message: hostile })).status).toBe(303);
    expect((await traces(t.services, order.id)).messages[0]?.text).toBe(
      '<script>alert(1)</script><img src=x onerror=alert(2)>\nBcc: victim@example.com',
    );
  });
});

describe('a refused post shows the page again, with its status, stable code and the text kept; nothing is stored', () => {
  const big = new Uint8Array(customerMessageLimits.attachmentBytes + 1);
  big.set(tinyPng);
  const cases: [string, () => Promise<FormPost> | FormPost, number, string][] = [
    ['an empty message', () => ({ message: '  \r\n ' }), 400, 'REQUIRED_FIELD'],
    ['a message over the limit', () => ({ message: 'x'.repeat(customerMessageLimits.text + 1) }), 400, 'MESSAGE_TOO_LONG'],
    ['no form token', () => ({ formToken: null }), 403, 'FORM_TOKEN_INVALID'],
    [
      'a forged form token',
      () => ({ formToken: `${Math.floor(now.getTime() / 1000).toString(36)}.${'A'.repeat(43)}` }),
      403,
      'FORM_TOKEN_INVALID',
    ],
    [
      'the form token of another order’s page',
      async () => ({ formToken: await issueFormToken(t.services, 'another-page') }),
      403,
      'FORM_TOKEN_INVALID',
    ],
    [
      'a form token older than 24 hours',
      async () => {
        const issued = now;
        now = new Date(issued.getTime() - 25 * 3600 * 1000);
        const formToken = await issueFormToken(t.services, currentToken);
        now = issued;
        return { formToken };
      },
      403,
      'FORM_TOKEN_EXPIRED',
    ],
    [
      'an executable',
      () => ({ attachment: { name: 'photo.png', type: 'image/png', content: Buffer.from('MZ\x90\x00rest of a program') } }),
      415,
      'FILE_TYPE_NOT_ALLOWED',
    ],
    [
      'HTML named as a picture',
      () => ({ attachment: { name: 'photo.jpg', type: 'image/jpeg', content: '<html><script>alert(1)</script>' } }),
      415,
      'FILE_TYPE_NOT_ALLOWED',
    ],
    [
      'an SVG (it can carry scripts)',
      () => ({ attachment: { name: 'a.svg', type: 'image/svg+xml', content: '<svg onload="alert(1)"/>' } }),
      415,
      'FILE_TYPE_NOT_ALLOWED',
    ],
    ['a text file', () => ({ attachment: { name: 'notes.txt', type: 'text/plain', content: 'just text' } }), 415, 'FILE_TYPE_NOT_ALLOWED'],
    ['an empty file with a name', () => ({ attachment: { name: 'empty.png', type: 'image/png', content: '' } }), 400, 'INVALID_VALUE'],
    ['an image over the size limit', () => ({ attachment: { name: 'big.png', type: 'image/png', content: big } }), 413, 'FILE_TOO_LARGE'],
  ];
  let currentToken = '';

  it.each(cases)('%s → %i %s', async (_label, make, status, code) => {
    const { order, token } = await newPage();
    currentToken = token;
    const draft = 'My draft <b>stays</b> & is kept';
    const res = await post(token, { message: draft, ...(await make()) });
    expect(res.status).toBe(status);
    expect(res.headers.get('x-error-code')).toBe(code);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain(`data-error-code="${code}"`);
    if (code !== 'REQUIRED_FIELD' && code !== 'MESSAGE_TOO_LONG') expect(page).toContain('My draft &lt;b&gt;stays&lt;/b&gt; &amp; is kept');
    await expectNothingStored(order.id);
  });

  it('a body over the form’s limit is refused from its declared length, before it is read (413 FILE_TOO_LARGE)', async () => {
    const { order, token } = await newPage();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 2) controller.close();
        else controller.enqueue(new Uint8Array(1024));
      },
    });
    const res = await t.app.request(`/p/${token}/messages`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50 * 1024 * 1024) },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('x-error-code')).toBe('FILE_TOO_LARGE');
    expect(pulled).toBeLessThanOrEqual(1);
    await expectNothingStored(order.id);
  });

  it('an archived order takes no messages (409 ORDER_ARCHIVED)', async () => {
    const { order, token } = await newPage();
    await t.database.db.update(orders).set({ archivedAt: now }).where(eq(orders.id, order.id));
    const res = await post(token);
    expect(res.status).toBe(409);
    expect(res.headers.get('x-error-code')).toBe('ORDER_ARCHIVED');
    await expectNothingStored(order.id);
  });

  it('with the form turned off in the settings, posts are refused (403 FORM_DISABLED)', async () => {
    const { order, token } = await newPage();
    expect((await t.call('PATCH', '/v1/settings', { pageFormEnabled: false })).status).toBe(200);
    try {
      const res = await post(token);
      expect(res.status).toBe(403);
      expect(res.headers.get('x-error-code')).toBe('FORM_DISABLED');
      await expectNothingStored(order.id);
    } finally {
      await t.call('PATCH', '/v1/settings', { pageFormEnabled: true });
    }
  });
});

describe('sending the same form twice', () => {
  it('a double click (same form, same text) stores the message once; both answers say "sent"', async () => {
    const { order, token } = await newPage();
    const formToken = await issueFormToken(t.services, token);
    const first = await post(token, { message: 'Where is my parcel?', formToken });
    const again = await post(token, { message: 'Where is my parcel?', formToken });
    expect([first.status, again.status]).toEqual([303, 303]);
    const { messages, journalTypes: types } = await traces(t.services, order.id);
    expect(messages.filter((m) => m.channel === 'page')).toHaveLength(1);
    expect(messages.filter((m) => m.kind === 'customer_notification')).toHaveLength(1);
    expect(types.filter((type) => type === journalTypes.CUSTOMER_MESSAGE)).toHaveLength(1);
  });

  it('the same form with another text (the customer went back and wrote more) is a new message', async () => {
    const { order, token } = await newPage();
    const formToken = await issueFormToken(t.services, token);
    expect((await post(token, { message: 'First question', formToken })).status).toBe(303);
    expect((await post(token, { message: 'And another one', formToken })).status).toBe(303);
    const { messages } = await traces(t.services, order.id);
    expect(messages.filter((m) => m.channel === 'page').map((m) => m.text)).toEqual(['First question', 'And another one']);
  });
});

describe('cross-site posts, bots and unknown pages', () => {
  it.each([
    ['another site’s Origin', { origin: 'https://evil.example' }],
    ['Origin null from a sandboxed frame of another site', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
    ['Origin null from a sibling host', { origin: 'null', 'sec-fetch-site': 'same-site' }],
    ['Origin null without Sec-Fetch-Site', { origin: 'null' }],
    ['Origin null with Sec-Fetch-Site none', { origin: 'null', 'sec-fetch-site': 'none' }],
    ['Origin null with two Sec-Fetch-Site values', { origin: 'null', 'sec-fetch-site': 'same-origin, cross-site' }],
    ['Origin null with a look-alike Sec-Fetch-Site', { origin: 'null', 'sec-fetch-site': 'same-origin-ish' }],
    ['"null" with padding and cross-site', { origin: ' NULL ', 'sec-fetch-site': 'cross-site' }],
    ['two origins', { origin: 'null, https://evil.example', 'sec-fetch-site': 'same-origin' }],
    ['a look-alike origin', { origin: 'https://shop.example.evil.example' }],
    ['our origin but Sec-Fetch-Site cross-site', { origin: 'http://localhost', 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
  ])('%s → 403 CROSS_SITE_POST, even with a valid form token', async (_label, headers: Record<string, string>) => {
    const { order, token } = await newPage();
    const res = await t.app.request(`/p/${token}/messages`, {
      method: 'POST',
      body: new URLSearchParams({ message: 'Transfer the money', formToken: await issueFormToken(t.services, token) }),
      headers,
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-error-code')).toBe('CROSS_SITE_POST');
    // The refusal shows nothing of the order to the other site, and says what to do instead of blaming the server.
    const page = await res.text();
    expect(page).not.toContain(order.number);
    expect(page).toContain('This form can only be sent from the order page itself');
    expect(page).not.toContain('error on our side');
    await expectNothingStored(order.id);
  });

  it('takes the post of our own page as a browser sends it: Origin null (the page sends no referrer) with Sec-Fetch-Site same-origin', async () => {
    const { order, token } = await newPage();
    const res = await t.app.request(`/p/${token}/messages`, {
      method: 'POST',
      body: new URLSearchParams({ message: 'Sent from the page', formToken: await issueFormToken(t.services, token) }),
      headers: { origin: 'null', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' },
    });
    expect(res.status).toBe(303);
    const page = await (await t.app.request(`/p/${token}`)).text();
    expect(page).toContain('Sent from the page');
    expect(order.number).toBeTruthy();
  });

  it('a filled honeypot hears "sent" (303) but nothing is stored, sent or journalled', async () => {
    const { order, token } = await newPage();
    const res = await post(token, { website: 'https://spam.example' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`../${token}?sent=1#conversation`);
    await expectNothingStored(order.id);
  });

  it('an unknown token answers the page’s 404, whatever its shape', async () => {
    for (const token of ['x'.repeat(22), 'nope', '%2e%2e', 'a'.repeat(500), 'nul%00nul%00nul%00nul%00x']) {
      const res = await postForm(t.app, t.services, token);
      expect(res.status).toBe(404);
    }
  });

  it('a post that is not a form (JSON) is refused with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const { order, token } = await newPage();
    const res = await t.app.request(`/p/${token}/messages`, {
      method: 'POST',
      body: JSON.stringify({ message: 'hi' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('x-error-code')).toBe('UNSUPPORTED_MEDIA_TYPE');
    await expectNothingStored(order.id);
  });

  it('the database failing while storing answers 503 DATABASE_UNAVAILABLE with Retry-After, and nothing half-stored', async () => {
    const { order, token } = await newPage();
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const spy = vi.spyOn(t.services.database.db, 'transaction').mockRejectedValueOnce(down);
    try {
      const res = await post(token);
      expect(res.status).toBe(503);
      expect(res.headers.get('x-error-code')).toBe('DATABASE_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    } finally {
      spy.mockRestore();
    }
    await expectNothingStored(order.id);
    // Once it is back, the same form goes through.
    expect((await post(token)).status).toBe(303);
  });
});
