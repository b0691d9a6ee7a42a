import { historyPage, journalTypes, matchResult, shopSettings } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, json, type TestContext } from '../../../test/context.js';
import { type MailWorld, startMailWorld } from '../../../test/mail-world.js';
import { pageTokenOf, postForm, tinyPng, traces } from '../../../test/page-form.js';
import type { SmtpSink } from '../../../test/smtp-sink.js';
import { journal, orders, sentMessages } from '../../db/schema/index.js';

/**
 * The shop's notification of a customer's message, end to end: the form
 * stores it, the worker sends it to a real SMTP server, mailparser reads what
 * arrived. Also: no address set, the mail server down, and the no-reply footer
 * on the customer's e-mails.
 */
let world: MailWorld;
let t: TestContext;
let sink: SmtpSink;

beforeAll(async () => {
  world = await startMailWorld({
    mailFrom: 'Plant Shop <shop@plants.example>',
    settings: {
      shopName: 'Plant Shop',
      publicBaseUrl: 'https://plants.example',
      replyToEmail: 'care@plants.example',
      notificationEmail: 'owner@plants.example',
      defaultLanguage: 'en',
    },
  });
  ({ t, sink } = world);
});
afterAll(() => world?.close());
afterEach(() => {
  sink.always({ kind: 'accept' });
});

const waitForStatus = (id: number, statuses: string[], timeoutMs?: number) => world.waitForStatus(id, statuses, timeoutMs);

/** The mails that arrived for one recipient since `from` (the sink is shared by the file's tests). */
async function mailsTo(address: string, count: number, from: number) {
  await sink.waitFor(from + count);
  return sink.received.slice(from).filter((mail) => mail.envelope.to.includes(address));
}

describe('the notification e-mail', () => {
  it('reaches the notification address: the order in subject, header and Message-ID, Reply-To the customer, the buyer, links, the message and the file', async () => {
    const order = await createOrder(t, {
      buyer: { name: 'Eve <img src=x onerror=alert(1)>', email: 'eve@example.com', phone: '600 123 456', login: 'eve_<b>' },
    });
    const token = await pageTokenOf(t.services, order.id);
    const before = sink.received.length;
    const text = 'Where is it?\r\n<script>alert("x")</script> <a href="javascript:alert(1)">click</a>\r\nBcc: victim@example.com';
    const res = await postForm(t.app, t.services, token, { message: text, attachment: { name: 'photo.png', content: tinyPng } });
    expect(res.status).toBe(303);

    const { messages } = await traces(t.services, order.id);
    const notification = messages.find((row) => row.kind === 'customer_notification');
    const sent = await waitForStatus(notification?.id ?? -1, ['sent', 'failed']);
    expect(sent).toMatchObject({ status: 'sent', toAddress: 'owner@plants.example', replyTo: 'eve@example.com', lastError: null });

    const [mail] = await mailsTo('owner@plants.example', 1, before);
    if (!mail) throw new Error('no notification arrived');
    const { parsed } = mail;
    expect(mail.envelope.to).toEqual(['owner@plants.example']);
    expect(parsed.subject).toBe(`Order ${order.number}: message from the customer`);
    expect(parsed.headers.get('x-orderpost-order')).toBe(order.number);
    expect(parsed.replyTo?.value).toEqual([{ address: 'eve@example.com', name: '' }]);
    // CR/LF in the message never became a header.
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.bcc).toBeUndefined();
    // The Message-ID is on the shop's domain and recorded for the order, where the matcher looks.
    expect(parsed.messageId).toBe(`<${sent.messageId}>`);
    expect(sent.messageId).toMatch(new RegExp(`^op\\.${order.id}\\.[A-Za-z0-9_-]+@plants\\.example$`));
    const recorded = await t.database.db.select().from(sentMessages).where(eq(sentMessages.orderId, order.id));
    expect(recorded.map((row) => row.messageId)).toContain(sent.messageId);

    const body = parsed.text ?? '';
    for (const expected of [
      'Customer login: eve_<b>',
      'Buyer: Eve <img src=x onerror=alert(1)>',
      'E-mail: eve@example.com',
      'Phone: 600 123 456',
      'Attachment: photo.png (image/png, 70 B)',
      `Order page: https://plants.example/p/${token}`,
      `Order in Orderpost (API): https://plants.example/v1/orders/${order.id}`,
      'Where is it?\n<script>alert("x")</script> <a href="javascript:alert(1)">click</a>\nBcc: victim@example.com',
    ])
      expect(body).toContain(expected);
    // Everything the customer or the order holds is text in the HTML part: no element, handler or link of theirs.
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Eve &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|<img|href="javascript:/i);
    // No tag carries an event handler (the text "onerror=" is there, escaped, as text).
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).toContain(`<a href="https://plants.example/p/${token}">`);
    expect(parsed.attachments.map((file) => [file.filename, file.contentType, file.content.equals(tinyPng)])).toEqual([
      ['photo.png', 'image/png', true],
    ]);

    // The add-on, shown this e-mail (or a reply to it), finds the order by its Message-ID.
    const matched = await t.call(
      'POST',
      '/v1/match',
      { message: { from: 'shop@plants.example', subject: `Re: ${parsed.subject}`, inReplyTo: parsed.messageId, text: 'ok' } },
      { role: 'agent' },
    );
    expect((await json(matched, matchResult)).candidates[0]).toMatchObject({ order: { number: order.number }, confidence: 'high' });

    // In the history as what it is, sent.
    const history = await json(await t.call('GET', `/v1/orders/${order.id}/messages`), historyPage);
    expect(history.messages.find((item) => item.kind === 'customer_notification')).toMatchObject({
      channel: 'email',
      direction: 'internal',
      status: 'sent',
      to: 'owner@plants.example',
      replyTo: 'eve@example.com',
      attachment: { filename: 'photo.png', contentType: 'image/png' },
    });
  });

  it('a buyer name or number holding CR/LF (written around the validation) never reaches a header', async () => {
    const order = await createOrder(t, { buyer: { name: 'Mallory', email: 'mallory@example.com' } });
    await t.database.db
      .update(orders)
      .set({ buyerName: 'Mallory\r\nBcc: victim@example.com', number: `${order.number}\r\nX-Evil: 1` })
      .where(eq(orders.id, order.id));
    const token = await pageTokenOf(t.services, order.id);
    const before = sink.received.length;
    expect((await postForm(t.app, t.services, token)).status).toBe(303);
    const [mail] = await mailsTo('owner@plants.example', 1, before);
    if (!mail) throw new Error('no notification arrived');
    expect(mail.envelope.to).toEqual(['owner@plants.example']);
    expect(mail.parsed.headers.has('bcc')).toBe(false);
    expect(mail.parsed.headers.has('x-evil')).toBe(false);
    expect(mail.parsed.subject).toBe(`Order ${order.number} X-Evil: 1: message from the customer`);
    expect(mail.parsed.headers.get('x-orderpost-order')).toBe(`${order.number} X-Evil: 1`);
  });

  it('is never lost while the mail server is down: queued, retried, delivered once it is back', async () => {
    const order = await createOrder(t);
    const token = await pageTokenOf(t.services, order.id);
    sink.always({ kind: 'reply', code: 421, message: 'Service not available' });
    const before = sink.received.length;
    const attemptsBefore = sink.attempts;
    expect((await postForm(t.app, t.services, token, { message: 'Sent while the server is down' })).status).toBe(303);
    const notification = (await traces(t.services, order.id)).messages.find((row) => row.kind === 'customer_notification');
    const deadline = Date.now() + 15_000;
    while (sink.attempts === attemptsBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sink.attempts).toBeGreaterThan(attemptsBefore);
    const waiting = await waitForStatus(notification?.id ?? -1, ['queued']);
    expect(waiting.lastError).toMatch(/421/);
    sink.always({ kind: 'accept' });
    await waitForStatus(notification?.id ?? -1, ['sent'], 30_000);
    const mails = await mailsTo('owner@plants.example', 1, before);
    expect(mails.map((mail) => mail.parsed.text?.includes('Sent while the server is down'))).toEqual([true]);
  });

  it('without a notification address the message is still stored; the notification shows as failed with the reason', async () => {
    expect((await t.call('PATCH', '/v1/settings', { notificationEmail: null })).status).toBe(200);
    try {
      const order = await createOrder(t);
      const token = await pageTokenOf(t.services, order.id);
      const attempts = sink.attempts;
      expect((await postForm(t.app, t.services, token, { message: 'Anyone there?' })).status).toBe(303);
      const history = await json(await t.call('GET', `/v1/orders/${order.id}/messages`), historyPage);
      expect(history.messages.map((item) => [item.channel, item.kind, item.status, item.text?.slice(0, 13)])).toEqual([
        ['page', null, 'stored', 'Anyone there?'],
        ['email', 'customer_notification', 'failed', expect.stringContaining('The customer')],
      ]);
      expect(history.messages[1]?.lastError).toMatch(/No notification address is set/);
      const rows = await t.database.db.select().from(journal).where(eq(journal.orderId, order.id));
      expect(rows.find((row) => row.type === journalTypes.CUSTOMER_MESSAGE)?.data).toMatchObject({ notified: false });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sink.attempts).toBe(attempts);
    } finally {
      await t.call('PATCH', '/v1/settings', { notificationEmail: 'owner@plants.example' });
    }
  });

  it('goes to the address set when the customer wrote; a later change does not touch it, and pages sent before keep working', async () => {
    const order = await createOrder(t);
    const token = await pageTokenOf(t.services, order.id);
    sink.always({ kind: 'reply', code: 451, message: 'Try later' });
    expect((await postForm(t.app, t.services, token, { message: 'First' })).status).toBe(303);
    await t.call('PATCH', '/v1/settings', { notificationEmail: 'new-owner@plants.example' });
    const before = sink.received.length;
    sink.always({ kind: 'accept' });
    expect((await postForm(t.app, t.services, token, { message: 'Second' })).status).toBe(303);
    await sink.waitFor(before + 2, 30_000);
    const arrived = sink.received
      .slice(before)
      .map((mail) => [mail.envelope.to[0], mail.parsed.text?.includes('First') ? 'First' : 'Second']);
    expect(arrived.sort()).toEqual([
      ['new-owner@plants.example', 'Second'],
      ['owner@plants.example', 'First'],
    ]);
    await t.call('PATCH', '/v1/settings', { notificationEmail: 'owner@plants.example' });
  });
});

describe('the no-reply footer (settings.noReplyFooter)', () => {
  it('is off by default and readable and settable with pageFormEnabled through /v1/settings', async () => {
    const settings = await json(await t.call('GET', '/v1/settings'), shopSettings);
    expect(settings).toMatchObject({ pageFormEnabled: true, noReplyFooter: false });
    expect(JSON.stringify(settings)).not.toMatch(/secret/i);
    const changed = await json(await t.call('PATCH', '/v1/settings', { noReplyFooter: true, pageFormEnabled: false }), shopSettings);
    expect(changed).toMatchObject({ pageFormEnabled: false, noReplyFooter: true });
    await t.call('PATCH', '/v1/settings', { noReplyFooter: false, pageFormEnabled: true });
    expect((await t.call('PATCH', '/v1/settings', { pageFormSecret: 'x' })).status).toBe(400);
  });

  it('ends page + e-mail messages and notices in the order’s language with the page link; e-mail-only ones do not get it', async () => {
    await t.call('PATCH', '/v1/settings', { noReplyFooter: true });
    try {
      const order = await createOrder(t, { language: 'de', buyer: { name: 'Hans', email: 'hans@example.de' } });
      const token = await pageTokenOf(t.services, order.id);
      const before = sink.received.length;
      const send = async (kind: string) => {
        const res = await t.call(
          'POST',
          `/v1/orders/${order.id}/send`,
          { kind, subject: `Kind ${kind}`, text: `Text of ${kind}` },
          { role: 'agent' },
        );
        expect(res.status).toBe(202);
      };
      await send('page_and_email');
      await send('page_and_email_notice');
      await send('email_only');
      await sink.waitFor(before + 3, 30_000);
      const bySubject = new Map(sink.received.slice(before).map((mail) => [mail.parsed.subject ?? '', mail.parsed.text ?? '']));
      const footer = `Nachricht automatisch erstellt, bitte nicht antworten. Bevorzugter Kontakt über das Formular auf der Bestellseite: https://plants.example/p/${token}`;
      expect(bySubject.get('Kind page_and_email')?.trimEnd()).toBe(`Text of page_and_email\n\n-- \n${footer}`);
      const notice = [...bySubject.entries()].find(([subject]) => subject.startsWith('Neue Nachricht'))?.[1] ?? '';
      expect(notice).toContain(footer);
      // The notice's own closing line is replaced by the footer, not repeated.
      expect(notice).not.toContain('bitte antworten Sie nicht darauf');
      expect(bySubject.get('Kind email_only')).not.toContain('Nachricht automatisch erstellt');
    } finally {
      await t.call('PATCH', '/v1/settings', { noReplyFooter: false });
    }
  });
  it('off: a page + e-mail message still points to the order page, unless its text links the page already', async () => {
    const order = await createOrder(t, { language: 'pl', buyer: { name: 'Ewa', email: 'ewa@example.pl' } });
    const token = await pageTokenOf(t.services, order.id);
    const link = `https://plants.example/p/${token}`;
    const before = sink.received.length;
    for (const body of [
      { kind: 'page_and_email', subject: 'Plain', text: 'Paczka wyszła.' },
      { kind: 'page_and_email', subject: 'Linked', text: `Zobacz: ${link}` },
      { kind: 'email_only', subject: 'Only', text: 'Tylko e-mail.' },
    ]) {
      const res = await t.call('POST', `/v1/orders/${order.id}/send`, body, { role: 'agent' });
      expect(res.status).toBe(202);
    }
    const mails = await mailsTo('ewa@example.pl', 3, before);
    const bySubject = new Map(mails.map((mail) => [mail.parsed.subject ?? '', mail.parsed.text?.trimEnd() ?? '']));
    expect(bySubject.get('Plain')).toBe(
      `Paczka wyszła.\n\n-- \nTę wiadomość znajdziesz też na stronie zamówienia, gdzie możesz do nas napisać: ${link}`,
    );
    expect(bySubject.get('Linked')).toBe(`Zobacz: ${link}`);
    expect(bySubject.get('Only')).toBe('Tylko e-mail.');
    const page = await (await t.app.request(`/p/${token}`)).text();
    expect(page).toContain('<p class="text">Paczka wyszła.</p>');
    expect(page).not.toContain('Tę wiadomość znajdziesz');
  });

  it('stays in the e-mail: the order page shows the seller’s message as written, free text or template, without it', async () => {
    await t.call('PATCH', '/v1/settings', { noReplyFooter: true });
    try {
      const order = await createOrder(t, { language: 'en', buyer: { name: 'Ola', email: 'ola@example.pl' } });
      const token = await pageTokenOf(t.services, order.id);
      const template = await t.call('POST', '/v1/templates', {
        name: 'Footer check',
        subject: 'Order [order_number] packed',
        format: 'text',
        content: 'Order [order_number] is packed.',
      });
      expect(template.status).toBe(201);
      const templateId = ((await template.json()) as { id: number }).id;
      const before = sink.received.length;
      for (const body of [
        { kind: 'page_and_email', subject: 'Free text', text: 'Written by the seller' },
        { kind: 'page_and_email', templateId },
      ]) {
        const res = await t.call('POST', `/v1/orders/${order.id}/send`, body, { role: 'agent' });
        expect(res.status).toBe(202);
        await waitForStatus(((await res.json()) as { id: number }).id, ['sent']);
      }
      const mails = await mailsTo('ola@example.pl', 2, before);
      // The e-mails carry the footer …
      expect(mails.map((mail) => mail.parsed.text?.includes('please do not reply'))).toEqual([true, true]);
      // … the page does not: it is where the customer is told to write, and it reads as the seller wrote it.
      const page = await (await t.app.request(`/p/${token}`)).text();
      const conversation = page.slice(page.indexOf('id="conversation"'), page.indexOf('</section>', page.indexOf('id="conversation"')));
      expect(conversation).toContain('<p class="text">Written by the seller</p>');
      expect(conversation).toContain(`<p class="text">Order ${order.number} is packed.</p>`);
      expect(conversation).not.toContain('please do not reply');
      expect(conversation).not.toContain(`/p/${token}`);
    } finally {
      await t.call('PATCH', '/v1/settings', { noReplyFooter: false });
    }
  });
});
