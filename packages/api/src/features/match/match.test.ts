import { journalPage, matchResult, order as orderSchema, sentMessageList, type MatchResult } from '@orderpost/shared';
import { extractIdentifiers } from '@orderpost/shared/extract/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, sampleOrder, type TestContext } from '../../../test/context.js';

let t: TestContext;
const ids: Record<string, number> = {};

async function order(number: string, overrides: Record<string, unknown> = {}) {
  const res = await t.call(
    'POST',
    '/v1/orders',
    sampleOrder({ number, items: [{ name: 'Kawa', quantity: 1, price: '10.00' }], ...overrides }),
  );
  expect(res.status).toBe(201);
  ids[number] = (await json(res, orderSchema)).id;
  return ids[number] as number;
}

beforeAll(async () => {
  t = await createTestContext();
  await t.call('PATCH', '/v1/settings', { replyToEmail: 'sklep@shop.example' });
  await order('10231', { buyer: { name: 'Anna', email: 'anna.kowalska@example.pl', phone: '+48600123456' } });
  await order('10234', { status: 'delivered', orderedAt: '2026-10-20T11:00:00Z', buyer: { email: 'john.miller@example.com' } });
  await order('10235', { status: 'shipped', orderedAt: '2026-11-10T16:30:00Z', buyer: { email: 'John.Miller@example.com' } });
  await order('10237', { buyer: { email: 'katarzyna.nowak@gmail.com' } });
  await order('A-1001', {
    source: 'allegro',
    externalId: 'b1f4e7c0-3d2a-11ef-9a1b-0242ac120002',
    buyer: { email: '8f3k2j1h+a1b2c3@allegromail.pl', login: 'kawosz_88' },
  });
  await order('10233', { source: 'amazon', externalId: '302-4417781-5520342', buyer: { email: 'k7x9p2m4q1r8s5t@marketplace.amazon.de' } });
  await order('10243', { buyer: { email: 't.zielinski@example.pl', phone: '600 987 654' } });
  await order('10242', { buyer: { email: 'maria@example.it' } });
  await t.call('POST', `/v1/orders/${ids['10242']}/parcels`, { carrier: 'InPost', trackingNumber: '620123456789012345678901' });
  await t.call(
    'POST',
    `/v1/orders/${ids['10231']}/sent-messages`,
    {
      messageId: '<op.10231.shipped.7f3a@mail.shop.example>',
      subject: 'Your order has been sent',
      sentAt: '2026-11-03T14:00:00Z',
    },
    { role: 'integration' },
  );
});
afterAll(() => t.close());

async function match(message: Record<string, unknown>, messageId?: string): Promise<MatchResult> {
  const res = await t.call('POST', '/v1/match', { message, ...(messageId ? { messageId } : {}) }, { role: 'agent' });
  expect(res.status).toBe(200);
  return await json(res, matchResult);
}

const claims = (result: MatchResult) => result.candidates.filter((c) => c.confidence !== 'low').map((c) => c.order.number);

describe('what a seller sees for a customer e-mail', () => {
  it('finds the order of an e-mail Orderpost itself sent (the seller reading a notification or a sent copy) by its own Message-ID', async () => {
    const result = await match({ from: 'Shop <noreply@shop.example>', subject: 'A message' }, '<OP.10231.shipped.7F3A@mail.shop.example>');
    expect(claims(result)).toEqual(['10231']);
    expect(result.candidates[0]?.reasons.map((r) => r.signal)).toContain('our-own-message');
    expect(result.candidates[0]?.confidence).toBe('high');
  });

  it('finds the order a reply points back to, case-insensitively, with the e-mail it replies to', async () => {
    const result = await match({
      from: 'Marek <marek@example.net>',
      subject: 'Re: Your order has been sent',
      inReplyTo: '<OP.10231.SHIPPED.7F3A@mail.shop.example>',
      text: 'When will it arrive?',
    });
    expect(claims(result)).toEqual(['10231']);
    expect(result.candidates[0]).toMatchObject({
      confidence: 'high',
      reasons: [{ signal: 'reply-to-our-message', text: "replies to our e-mail 'Your order has been sent' of 3 Nov 2026" }],
    });
  });

  it.each([
    ['the buyer, in other case', { from: 'ANNA.KOWALSKA@example.PL' }, ['10231'], 'high'],
    ['a buyer with two orders: both, the open one first', { from: 'John <john.miller@example.com>' }, ['10235', '10234'], 'high'],
    ['the buyer writing her Gmail address differently', { from: 'katarzynanowak+shop@googlemail.com' }, ['10237'], 'medium'],
    ['an Allegro relay address with another tag', { from: '8f3k2j1h+zz99@allegromail.pl' }, ['A-1001'], 'high'],
    ['an order number after #', { from: 'x@firm.example', subject: 'Invoice for order #10243' }, ['10243'], 'high'],
    ['an Amazon order id typed with spaces', { from: 'x@firm.example', text: 'Bestellung 302 4417781 5520342 fehlt' }, ['10233'], 'high'],
    [
      'a tracking number typed in groups',
      { from: 'x@firm.example', text: 'tracking 6201 2345 6789 0123 4567 8901 stuck' },
      ['10242'],
      'high',
    ],
    ['the buyer phone in a signature', { from: 'tz@firma.example', text: 'Hello\n--\nTomasz\ntel. 0048 600 987 654' }, ['10243'], 'medium'],
    [
      'the buyer login in a marketplace notification',
      { from: 'noreply@allegro.example', subject: 'Wiadomość od kupującego kawosz_88', text: 'Kupujący kawosz_88 napisał: "hello"' },
      ['A-1001'],
      'medium',
    ],
  ])('recognises %s', async (_label, message, expected, confidence) => {
    const result = await match(message);
    expect(claims(result)).toEqual(expected);
    expect(result.candidates[0]?.confidence).toBe(confidence);
    expect(result.candidates[0]?.reasons[0]?.text).toEqual(expect.any(String));
  });

  it.each([
    ['a postcode that looks like an order number', { from: 'jan@example.pl', text: 'Mój adres: ul. Długa 5, 10-231 Olsztyn.' }],
    ['a longer number that contains an order number', { from: 'jan@example.pl', text: 'Zamówienie 110243 nie dotarło' }],
    ['a price', { from: 'jan@example.pl', text: 'Total 10243,00 zł' }],
    ['a date', { from: 'jan@example.pl', text: 'Delivered on 10.23.2026' }],
    ['a phone one digit away from the buyer', { from: 'jan@example.pl', text: 'tel. +48 600 987 655' }],
    ['a Message-ID of another domain', { from: 'jan@example.pl', inReplyTo: '<op.10231.shipped.7f3a@other.example>' }],
    [
      'a supplier invoice',
      { from: 'faktury@hurtownia.example', subject: 'Faktura FV/2026/11/10243', text: 'Faktura FV/2026/11/10243 za dostawę.' },
    ],
    ['the shop itself in the recipients', { from: 'stranger@example.org', to: 'anna.kowalska@example.pl', text: 'hi' }],
  ])('claims nothing for %s', async (_label, message) => {
    expect(claims(await match(message))).toEqual([]);
  });
});

describe('teaching the matcher', () => {
  it('links a thread: later messages of it match with "linked by you"', async () => {
    const first = {
      from: 'Office <office@company.example>',
      subject: 'question',
      messageId: '<q1@company.example>',
      text: 'about our purchase',
    };
    expect(claims(await match(first))).toEqual([]);
    const link = await t.call('POST', '/v1/match/links', { orderId: ids['10242'], messageId: '<q1@company.example>' }, { role: 'agent' });
    expect(link.status).toBe(201);
    const reply = await match({
      from: 'Office <office@company.example>',
      subject: 'Re: question',
      references: '<q1@company.example>',
      text: 'any news?',
    });
    expect(claims(reply)).toEqual(['10242']);
    expect(reply.candidates[0]?.reasons[0]).toMatchObject({ signal: 'linked-by-you', confidence: 'high' });
    const journal = await json(await t.call('GET', `/v1/journal?orderId=${ids['10242']}&types=104`), journalPage);
    expect(journal.events).toHaveLength(1);
  });

  it('links a sender, and unlinks a wrong match', async () => {
    // Orders and senders of its own: what it teaches does not change what the other tests match.
    const linked = await order('20243', { buyer: { email: 'linked.buyer@example.pl' } });
    await t.call('POST', '/v1/match/links', { orderId: linked, sender: 'Assistant@Firma.example' }, { role: 'agent' });
    expect(claims(await match({ from: 'assistant@firma.example', text: 'hello' }))).toEqual(['20243']);

    const buyer = { email: 'mark.twain@example.com' };
    const older = await order('20234', { status: 'delivered', orderedAt: '2026-10-20T11:00:00Z', buyer });
    await order('20235', { status: 'shipped', orderedAt: '2026-11-10T16:30:00Z', buyer });
    expect(claims(await match({ from: 'mark.twain@example.com' }))).toEqual(['20235', '20234']);
    const unlink = await t.call('POST', '/v1/match/unlinks', { orderId: older, sender: 'mark.twain@example.com' }, { role: 'agent' });
    expect(unlink.status).toBe(201);
    expect(claims(await match({ from: 'mark.twain@example.com' }))).toEqual(['20235']);
    // Asked about explicitly, the unlinked order still shows.
    expect(claims(await match({ from: 'mark.twain@example.com', subject: 'Order #20234' }))).toEqual(['20234', '20235']);
  });
});

describe('unlinking a sender', () => {
  it('leaves a link made for the conversation standing', async () => {
    const message = {
      from: 'Helper <helper@agency.example>',
      subject: 'Re: parcel',
      references: '<conv-1@agency.example>',
      text: 'still waiting',
    };
    await t.call(
      'POST',
      '/v1/match/links',
      { orderId: ids['10231'], messageId: '<conv-1@agency.example>', sender: 'helper@agency.example' },
      { role: 'agent' },
    );
    const linked = await match(message);
    expect(claims(linked)).toEqual(['10231']);
    expect(linked.candidates[0]?.reasons.map((r) => r.text)).toEqual(['linked by you (this conversation)', 'linked by you (this sender)']);
    await t.call('POST', '/v1/match/unlinks', { orderId: ids['10231'], sender: 'helper@agency.example' }, { role: 'agent' });
    const after = await match(message);
    expect(claims(after)).toEqual(['10231']);
    expect(after.candidates[0]?.reasons.map((r) => r.text)).toEqual(['linked by you (this conversation)']);
    // From that sender in another conversation, nothing is claimed any more.
    expect(claims(await match({ from: 'helper@agency.example', subject: 'hello', text: 'new question' }))).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    ['neither identifiers nor message', {}, 400, 'INVALID_VALUE'],
    ['both', { message: {}, identifiers: { emails: [], messageIds: [], tokens: [], phones: [], logins: [] } }, 400, 'INVALID_VALUE'],
    ['an unknown field', { message: {}, colour: 1 }, 400, 'UNKNOWN_FIELD'],
    ['a limit out of range', { message: {}, limit: 500 }, 400, 'INVALID_VALUE'],
  ])('POST /v1/match with %s', async (_label, body, status, code) => {
    const res = await t.call('POST', '/v1/match', body, { role: 'agent' });
    expect(res.status).toBe(status);
    expect((await errorBody(res)).error.code).toBe(code);
  });

  it.each([
    ['a group inside a group', 'a:b:c@d.e;;'],
    ['two thousand colons', `${':'.repeat(1990)}x@e.io`],
    ['a lone quote', '"'],
  ])('reads a From header with %s without failing', async (_label, from) => {
    const res = await t.call('POST', '/v1/match', { message: { from, subject: 'hi', text: 'x' } }, { role: 'agent' });
    expect(res.status).toBe(200);
    expect((await json(res, matchResult)).candidates).toEqual([]);
  });

  it('is for agents: an integration token gets 403', async () => {
    const res = await t.call('POST', '/v1/match', { message: {} }, { role: 'integration' });
    expect(res.status).toBe(403);
    expect((await errorBody(res)).error.code).toBe('FORBIDDEN_ROLE');
  });

  it.each([
    ['an order that does not exist', { orderId: 999999, sender: 'a@b.example' }, 404, 'ORDER_NOT_FOUND'],
    ['nothing to link', { orderId: 1 }, 400, 'INVALID_VALUE'],
    ['a bad sender', { orderId: 1, sender: 'nope' }, 400, 'INVALID_EMAIL'],
  ])('teaching with %s', async (_label, body, status, code) => {
    const res = await t.call('POST', '/v1/match/links', body, { role: 'agent' });
    expect(res.status).toBe(status);
    expect((await errorBody(res)).error.code).toBe(code);
  });

  it('refuses a Message-ID recorded twice', async () => {
    const body = { messageId: '<dup@shop.example>', subject: 's', sentAt: '2026-11-03T14:00:00Z' };
    expect((await t.call('POST', `/v1/orders/${ids['10243']}/sent-messages`, body)).status).toBe(201);
    const again = await t.call('POST', `/v1/orders/${ids['10243']}/sent-messages`, body);
    expect(again.status).toBe(409);
    expect((await errorBody(again)).error).toMatchObject({ code: 'DUPLICATE_MESSAGE_ID', field: 'messageId' });
    const listed = await json(
      await t.call('GET', `/v1/orders/${ids['10243']}/sent-messages`, undefined, { role: 'agent' }),
      sentMessageList,
    );
    expect(listed.sentMessages.map((m: { messageId: string }) => m.messageId)).toEqual(['dup@shop.example']);
  });
});

describe('a message as large as a request may be', () => {
  it('is read up to its bound: the order named at the top is found', async () => {
    const paragraph = 'Dzień dobry, piszę w sprawie przesyłki, która do dziś nie dotarła do paczkomatu.\n';
    const text = `Zamówienie nr 10242\n${paragraph.repeat(9000)}Zamówienie nr 10243\n`;
    const result = await match({ from: 'someone@example.net', text });
    expect(claims(result)).toEqual(['10242']);
    expect(result.candidates[0]?.reasons.map((r) => r.text)).toEqual(['order number 10242 in the message']);
  });
});

describe('a message over the body limit', () => {
  it('is matched on the identifiers the add-on extracts from it (sent without `rejected`), not refused with 413', async () => {
    const paragraph = 'Tel. 600 111 222, nr 12-34, 2026-11-03, 10,99 zł, https://shop.example/u/10240 ';
    const text = `Zamówienie nr 10242\n${paragraph.repeat(40_000)}`;
    expect(text.length).toBeGreaterThan(t.services.config.BODY_LIMIT_BYTES);
    const whole = await t.call('POST', '/v1/match', { message: { from: 'someone@example.net', text } }, { role: 'agent' });
    expect(whole.status).toBe(413);
    expect((await errorBody(whole)).error.code).toBe('PAYLOAD_TOO_LARGE');

    const {
      rejected: _rejected,
      truncated: _truncated,
      ...identifiers
    } = extractIdentifiers({ from: 'someone@example.net', text }, { defaultCountry: 'PL' });
    const body = { identifiers };
    expect(JSON.stringify(body).length).toBeLessThan(t.services.config.BODY_LIMIT_BYTES);
    const res = await t.call('POST', '/v1/match', body, { role: 'agent' });
    expect(res.status).toBe(200);
    expect(claims(await json(res, matchResult))).toEqual(['10242']);
  });
});
