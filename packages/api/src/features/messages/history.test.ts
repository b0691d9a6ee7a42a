import { eq } from 'drizzle-orm';
import { historyItem, historyPage, journalPage, journalTypes, matchResult, type Order } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderMessages, orders } from '../../db/schema/index.js';
import { createOrder, createTestContext, errorBody, json, type TestContext } from '../../../test/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await t.call('PATCH', '/v1/settings', { replyToEmail: 'sklep@shop.example' });
});
afterAll(() => t.close());

const asAgent = { role: 'agent' } as const;

function fileEmail(orderId: number, body: unknown, options: { headers?: Record<string, string> } = {}) {
  return t.call('POST', `/v1/orders/${orderId}/messages`, body, { ...asAgent, ...options });
}

async function history(orderId: number, query = '') {
  const res = await t.call('GET', `/v1/orders/${orderId}/messages${query}`, undefined, { role: 'integration' });
  expect(res.status).toBe(200);
  return json(res, historyPage);
}

async function journalOf(orderId: number, type: number) {
  return (await json(await t.call('GET', `/v1/journal?orderId=${orderId}&types=${type}`), journalPage)).events;
}

const customerEmail = {
  from: { address: 'anna.kowalska@example.pl', name: 'Anna Kowalska' },
  to: 'sklep@shop.example',
  subject: 'Gdzie jest moja paczka?',
  date: '2026-11-05T08:30:00+01:00',
  text: 'Dzień dobry,\nkiedy dotrze paczka?\n\nAnna',
  html: '<p>Dzień dobry,<br>kiedy dotrze paczka?</p><script>alert(1)</script>',
  messageId: '<CAF=q1.anna@mail.example.pl>',
};

describe('filing an incoming e-mail', () => {
  it('shows it in the history with everything the agent filed', async () => {
    const order = await createOrder(t);
    const res = await fileEmail(order.id, customerEmail);
    expect(res.status).toBe(201);
    const filed = await json(res, historyItem);
    expect(filed).toMatchObject({
      orderId: order.id,
      channel: 'email',
      direction: 'in',
      kind: null,
      status: 'stored',
      from: { address: 'anna.kowalska@example.pl', name: 'Anna Kowalska' },
      to: 'sklep@shop.example',
      toDiffersFromOrder: false,
      subject: 'Gdzie jest moja paczka?',
      text: customerEmail.text,
      // Kept as filed; Orderpost never renders it.
      html: customerEmail.html,
      messageId: 'CAF=q1.anna@mail.example.pl',
      occurredAt: '2026-11-05T07:30:00.000Z',
      attempts: 0,
      lastError: null,
      createdBy: { name: 'test agent' },
    });
    const page = await history(order.id);
    expect(page).toEqual({ messages: [filed], nextCursor: null });
    const events = await journalOf(order.id, journalTypes.EMAIL_FILED);
    expect(events.map((e) => e.data)).toEqual([
      { orderMessageId: filed.id, messageId: filed.messageId, from: 'anna.kowalska@example.pl', subject: 'Gdzie jest moja paczka?' },
    ]);
  });

  it('teaches the matcher: a reply in its thread and mail from its sender find the order', async () => {
    const order = await createOrder(t, { buyer: { name: 'Piotr', email: 'piotr@example.pl' } });
    const res = await fileEmail(order.id, {
      from: { address: 'Office@Firma.example' },
      subject: 'Faktura?',
      text: 'Prosimy o fakturę.',
      messageId: 'thread-1@firma.example',
    });
    expect(res.status).toBe(201);
    const match = async (message: Record<string, unknown>) => {
      const answer = await t.call('POST', '/v1/match', { message }, asAgent);
      expect(answer.status).toBe(200);
      return (await json(answer, matchResult)).candidates;
    };
    const reply = await match({ from: 'someone.else@other.example', inReplyTo: '<THREAD-1@firma.example>', text: 'any news?' });
    expect(reply[0]).toMatchObject({ order: { id: order.id }, confidence: 'high', reasons: [{ signal: 'linked-by-you' }] });
    const sameSender = await match({ from: 'office@firma.example', subject: 'another question', text: 'hello' });
    expect(sameSender[0]?.order.id).toBe(order.id);
    expect(sameSender[0]?.reasons[0]?.signal).toBe('linked-by-you');
  });

  it("learns only the thread from mail of the shop's own domain (a forward names no buyer)", async () => {
    const order = await createOrder(t);
    await fileEmail(order.id, { from: { address: 'kasia@shop.example' }, text: 'fwd', messageId: 'fwd-1@shop.example' });
    const answer = await t.call('POST', '/v1/match', { message: { from: 'kasia@shop.example', text: 'hi' } }, asAgent);
    expect((await json(answer, matchResult)).candidates.map((c) => c.order.id)).not.toContain(order.id);
  });

  it('answers the item already there when the same Message-ID is filed into the order again', async () => {
    const order = await createOrder(t);
    const first = await json(await fileEmail(order.id, customerEmail), historyItem);
    const again = await fileEmail(order.id, { ...customerEmail, messageId: 'caf=Q1.ANNA@mail.example.pl', text: 'changed' });
    expect(again.status).toBe(200);
    expect(await json(again, historyItem)).toEqual(first);
    expect((await history(order.id)).messages).toHaveLength(1);
    expect(await journalOf(order.id, journalTypes.EMAIL_FILED)).toHaveLength(1);
  });

  it('files one e-mail into two orders when it is about both', async () => {
    const a = await createOrder(t);
    const b = await createOrder(t);
    const message = { ...customerEmail, messageId: '<two-orders@mail.example.pl>' };
    expect((await fileEmail(a.id, message)).status).toBe(201);
    expect((await fileEmail(b.id, message)).status).toBe(201);
    expect((await history(b.id)).messages.map((m) => m.messageId)).toEqual(['two-orders@mail.example.pl']);
  });

  it('files an e-mail without Message-ID, dated when it was filed', async () => {
    const order = await createOrder(t);
    const before = Date.now();
    const res = await fileEmail(order.id, { from: { address: 'anna@example.pl' }, text: '' });
    expect(res.status).toBe(201);
    const item = await json(res, historyItem);
    expect(item).toMatchObject({ messageId: null, subject: '', text: '', html: null, to: null, from: { name: null } });
    expect(Date.parse(item.occurredAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe('internal notes', () => {
  it('are stored for the shop only and journalled', async () => {
    const order = await createOrder(t);
    const res = await t.call('POST', `/v1/orders/${order.id}/notes`, { text: 'Klientka dzwoniła.\n\tOddzwonić jutro.' }, asAgent);
    expect(res.status).toBe(201);
    const note = await json(res, historyItem);
    expect(note).toMatchObject({
      channel: 'note',
      direction: 'internal',
      kind: 'internal',
      status: 'stored',
      from: null,
      to: null,
      subject: null,
      text: 'Klientka dzwoniła.\n\tOddzwonić jutro.',
      messageId: null,
      createdBy: { name: 'test agent' },
    });
    expect((await history(order.id)).messages).toEqual([note]);
    expect((await journalOf(order.id, journalTypes.NOTE_ADDED)).map((e) => e.data)).toEqual([{ orderMessageId: note.id }]);
    // Nothing goes out: no outgoing message, nothing to deliver.
    const rows = await t.database.db.select().from(orderMessages).where(eq(orderMessages.orderId, order.id));
    expect(rows.map((r) => [r.direction, r.status])).toEqual([['internal', 'stored']]);
  });

  it.each([
    ['an empty note', { text: '' }, 'text'],
    ['a blank note', { text: ' \n\t ' }, 'text'],
    ['a note over 10,000 characters', { text: 'x'.repeat(10_001) }, 'text'],
    ['a NUL character', { text: 'a\u0000b' }, 'text'],
    ['an unknown field', { text: 'ok', channel: 'email' }, 'channel'],
  ])('refuses %s', async (_label, body, field) => {
    const order = await createOrder(t);
    const res = await t.call('POST', `/v1/orders/${order.id}/notes`, body, asAgent);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.field).toBe(field);
  });

  it('takes a note of exactly 10,000 characters', async () => {
    const order = await createOrder(t);
    expect((await t.call('POST', `/v1/orders/${order.id}/notes`, { text: 'x'.repeat(10_000) }, asAgent)).status).toBe(201);
  });
});

describe('reading the history', () => {
  it('pages through 120 items, newest last, without gaps or repeats', async () => {
    const order = await createOrder(t);
    const written: number[] = [];
    for (let i = 0; i < 120; i++) {
      const res =
        i % 3 === 0
          ? await fileEmail(order.id, { from: { address: 'anna@example.pl' }, text: `mail ${i}`, messageId: `m${i}@example.pl` })
          : await t.call('POST', `/v1/orders/${order.id}/notes`, { text: `note ${i}` }, asAgent);
      written.push((await json(res, historyItem)).id);
    }
    const seen: number[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof history>> = await history(order.id, `?limit=50${cursor ? `&after=${cursor}` : ''}`);
      sizes.push(page.messages.length);
      seen.push(...page.messages.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([50, 50, 20]);
    expect(seen).toEqual(written);
    expect((await history(order.id)).messages).toHaveLength(50);

    const notes = await history(order.id, '?channel=note&limit=200');
    expect(notes.messages).toHaveLength(80);
    expect(notes.messages.every((m) => m.channel === 'note')).toBe(true);
    expect(notes.nextCursor).toBeNull();

    const latest = await history(order.id, '?latest=5');
    expect(latest.messages.map((m) => m.id)).toEqual(written.slice(-5));
    expect(latest.nextCursor).toBeNull();
    const latestNotes = await history(order.id, '?latest=2&channel=note');
    expect(latestNotes.messages.map((m) => m.text)).toEqual(['note 118', 'note 119']);
  });

  it('refuses "latest" together with "after" with 400 naming the field', async () => {
    const order = await createOrder(t);
    const res = await t.call('GET', `/v1/orders/${order.id}/messages?latest=5&after=abc`, undefined, asAgent);
    expect(res.status).toBe(400);
    const body = await errorBody(res);
    expect(body.error.code).toBe('INVALID_VALUE');
    expect(JSON.stringify(body)).toContain('latest');
  });

  it('orders by when things happened: an older e-mail filed later comes before a newer note', async () => {
    const order = await createOrder(t);
    await t.call('POST', `/v1/orders/${order.id}/notes`, { text: 'written now' }, asAgent);
    await fileEmail(order.id, { from: { address: 'anna@example.pl' }, text: 'sent last year', date: '2025-01-01T10:00:00Z' });
    expect((await history(order.id)).messages.map((m) => m.text)).toEqual(['sent last year', 'written now']);
  });

  it('flags an outgoing e-mail whose recipient is not the order e-mail any more', async () => {
    const order = await createOrder(t, { buyer: { name: 'Anna', email: 'Anna.Kowalska@Example.pl' } });
    // What the delivery worker leaves behind (the send routes come with another branch).
    await t.database.db.insert(orderMessages).values([
      {
        orderId: order.id,
        channel: 'email',
        direction: 'out',
        kind: 'page_and_email',
        status: 'sent',
        toAddress: 'anna.kowalska@example.pl',
        subject: 'Zamówienie wysłane',
        text: 'Paczka w drodze',
        html: '<p>Paczka w drodze</p>',
        preheader: 'Paczka w drodze',
        templateName: 'Wysyłka',
        fromAddress: 'sklep@shop.example',
        fromName: 'Sklep',
        replyTo: 'sklep@shop.example',
        messageId: 'op.1@shop.example',
        attempts: 1,
        occurredAt: new Date('2026-11-03T10:00:00Z'),
      },
      {
        orderId: order.id,
        channel: 'email',
        direction: 'out',
        kind: 'email_only',
        status: 'failed',
        toAddress: 'office@firma.example',
        subject: 'Faktura',
        attempts: 3,
        lastError: '550 5.1.1 mailbox unavailable',
        occurredAt: new Date('2026-11-04T10:00:00Z'),
      },
    ]);
    const before = (await history(order.id)).messages;
    expect(before.map((m) => m.toDiffersFromOrder)).toEqual([false, true]);
    expect(before[0]).toMatchObject({
      kind: 'page_and_email',
      status: 'sent',
      from: { address: 'sklep@shop.example', name: 'Sklep' },
      replyTo: 'sklep@shop.example',
      html: '<p>Paczka w drodze</p>',
      preheader: 'Paczka w drodze',
      templateName: 'Wysyłka',
      attempts: 1,
      createdBy: null,
    });
    expect(before[1]).toMatchObject({ status: 'failed', attempts: 3, lastError: '550 5.1.1 mailbox unavailable' });

    const patched = await t.call('PATCH', `/v1/orders/${order.id}`, { buyer: { email: 'OFFICE@firma.example' } }, { role: 'integration' });
    expect(patched.status).toBe(200);
    expect((await history(order.id)).messages.map((m) => m.toDiffersFromOrder)).toEqual([true, false]);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=201', 'limit'],
    ['?after=bm90LWEtY3Vyc29y', 'after'],
    [`?after=${Buffer.from(JSON.stringify({ at: "'; drop table orders; --", id: 1 })).toString('base64url')}`, 'after'],
    ['?channel=fax', 'channel'],
    ['?cursor=x', 'cursor'],
  ])('refuses %s', async (query, field) => {
    const order = await createOrder(t);
    const res = await t.call('GET', `/v1/orders/${order.id}/messages${query}`);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.field).toBe(field);
  });
});

describe('e-mails sent by another program (a reply from Thunderbird)', () => {
  it('shows a recorded sent e-mail in the history with its Message-ID, sender, recipient and text', async () => {
    const order = await createOrder(t);
    const recorded = await t.call(
      'POST',
      `/v1/orders/${order.id}/sent-messages`,
      {
        messageId: '<reply-77@shop.example>',
        subject: 'Re: Where is my parcel?',
        sentAt: '2026-11-20T10:00:00Z',
        from: 'support@shop.example',
        to: 'anna@example.pl',
        text: 'It left today.\n\n> Where is my parcel?',
      },
      asAgent,
    );
    expect(recorded.status).toBe(201);
    const [item] = (await history(order.id)).messages;
    expect(item).toMatchObject({
      channel: 'email',
      direction: 'out',
      status: 'sent',
      subject: 'Re: Where is my parcel?',
      messageId: 'reply-77@shop.example',
      to: 'anna@example.pl',
      text: 'It left today.\n\n> Where is my parcel?',
      occurredAt: '2026-11-20T10:00:00.000Z',
      createdBy: { name: 'test agent' },
    });
    expect(item?.from?.address).toBe('support@shop.example');
  });

  it('with only the Message-ID, shows it as sent to the order e-mail', async () => {
    const order = await createOrder(t);
    const res = await t.call(
      'POST',
      `/v1/orders/${order.id}/sent-messages`,
      { messageId: 'bare-1@shop.example', sentAt: '2026-11-20T10:00:00Z' },
      asAgent,
    );
    expect(res.status).toBe(201);
    const [item] = (await history(order.id)).messages;
    expect(item).toMatchObject({ status: 'sent', text: null, subject: '', to: order.buyer.email, toDiffersFromOrder: false });
  });
});

describe('orders that are missing or archived', () => {
  let archived: Order;
  beforeAll(async () => {
    archived = await createOrder(t);
    await t.call('POST', `/v1/orders/${archived.id}/notes`, { text: 'before the archive' }, asAgent);
    await t.database.db.update(orders).set({ archivedAt: new Date() }).where(eq(orders.id, archived.id));
  });

  it('an archived order keeps its history readable', async () => {
    expect((await history(archived.id)).messages.map((m) => m.text)).toEqual(['before the archive']);
  });

  it.each([
    ['messages', customerEmail],
    ['notes', { text: 'too late' }],
  ])('POST …/%s to an archived order is 409 ORDER_ARCHIVED, and nothing is stored', async (route, body) => {
    const res = await t.call('POST', `/v1/orders/${archived.id}/${route}`, body, asAgent);
    expect(res.status).toBe(409);
    expect((await errorBody(res)).error.code).toBe('ORDER_ARCHIVED');
    expect((await history(archived.id)).messages).toHaveLength(1);
  });

  it.each([
    ['GET', 'messages', undefined],
    ['POST', 'messages', customerEmail],
    ['POST', 'notes', { text: 'x' }],
  ])('%s …/%s of an order that does not exist is 404 ORDER_NOT_FOUND', async (method, route, body) => {
    const res = await t.call(method, `/v1/orders/2147483647/${route}`, body);
    expect(res.status).toBe(404);
    expect((await errorBody(res)).error.code).toBe('ORDER_NOT_FOUND');
  });
});

describe('hostile input to filing', () => {
  const raw = (json: string) => json; // sent as written: JSON.stringify would escape a lone surrogate for us
  it.each([
    ['CR/LF in the subject (header injection)', { ...customerEmail, subject: 'Hi\r\nBcc: all@example.com' }, 'subject'],
    ['LF in the sender name', { ...customerEmail, from: { address: 'a@example.pl', name: 'Anna\nBcc: x@example.com' } }, 'from.name'],
    [
      'a text-direction override in the sender name',
      { ...customerEmail, from: { address: 'a@example.pl', name: 'Anna\u202egpj.exe' } },
      'from.name',
    ],
    ['a NUL in the text', { ...customerEmail, text: 'a\u0000b' }, 'text'],
    ['a text over 100,000 characters', { ...customerEmail, text: 'x'.repeat(100_001) }, 'text'],
    ['a sender that is no address', { ...customerEmail, from: { address: 'Anna <anna@example.pl>' } }, 'from.address'],
    ['a Message-ID with spaces', { ...customerEmail, messageId: '<a b@example.pl>' }, 'messageId'],
    ['a Message-ID of only brackets', { ...customerEmail, messageId: '<>' }, 'messageId'],
    ['no sender', { text: 'hello' }, 'from'],
    ['no text', { from: { address: 'a@example.pl' } }, 'text'],
    ['a date that is no date', { ...customerEmail, date: 'Tue, 5 Nov 2026 08:30:00 +0100' }, 'date'],
    ['an unknown field', { ...customerEmail, bcc: 'x@example.com' }, 'bcc'],
  ])('refuses %s with the field named', async (_label, body, field) => {
    const order = await createOrder(t);
    const res = await fileEmail(order.id, body);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.field).toBe(field);
    expect((await history(order.id)).messages).toEqual([]);
  });

  it.each([
    ['the subject', raw('{"from":{"address":"a@example.pl"},"text":"x","subject":"\\ud800"}'), 'subject'],
    ['the text', raw('{"from":{"address":"a@example.pl"},"text":"abc\\udfff"}'), 'text'],
    ['the sender name', raw('{"from":{"address":"a@example.pl","name":"\\ud83d"},"text":"x"}'), 'from.name'],
  ])('refuses a lone surrogate in %s', async (_label, body, field) => {
    const order = await createOrder(t);
    const res = await fileEmail(order.id, body);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code: 'INVALID_VALUE', field });
  });

  it('refuses a body over the request limit with 413', async () => {
    const order = await createOrder(t);
    const res = await fileEmail(order.id, { ...customerEmail, html: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect((await errorBody(res)).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps a text of exactly 100,000 characters whole', async () => {
    const order = await createOrder(t);
    const text = 'ż'.repeat(100_000);
    const res = await fileEmail(order.id, { from: { address: 'a@example.pl' }, text });
    expect(res.status).toBe(201);
    expect((await history(order.id)).messages[0]?.text).toBe(text);
  });
});
