import { batchProgress, historyItem, historyPage, journalTypes, mailbox, templateSaved, testSendResult } from '@orderpost/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, json, type TestContext } from '../../../test/context.js';
import { type MailWorld, startMailWorld } from '../../../test/mail-world.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { journal, mailboxes, orderMessages } from '../../db/schema/index.js';
import { createServices } from '../../services.js';
import { silentLogger } from '../../logger.js';
import { startSmtpSink as startSink } from '../../../test/smtp-sink.js';
import { createWorker, type Worker } from '../../worker.js';

/**
 * Sending end to end: the API queues, the worker renders and sends to a real
 * SMTP server (smtp-server), mailparser reads what arrived, and the history
 * says what happened.
 */
describe('delivery through the default mailbox', () => {
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
        replyToName: 'Plant Shop care',
      },
    });
    ({ t, sink } = world);
  });
  afterAll(() => world?.close());
  afterEach(() => {
    sink.always({ kind: 'accept' });
  });

  const createTemplate = async (body: Record<string, unknown>) => {
    const res = await t.call('POST', '/v1/templates', body);
    if (res.status !== 201) throw new Error(`template: ${res.status} ${await res.text()}`);
    return json(res, templateSaved);
  };

  const waitForMessage = (id: number, statuses: string[], timeoutMs?: number) => world.waitForStatus(id, statuses, timeoutMs);

  const journalTypesOf = async (orderId: number) =>
    (await t.services.database.db.select().from(journal).where(eq(journal.orderId, orderId))).map((row) => row.type);

  it('renders a template with the order at send time and the customer gets it: From, Reply-To, subject, both bodies, preheader, attachment, Message-ID', async () => {
    const order = await createOrder(t, {
      buyer: { name: 'Ola <script>alert(1)</script> Nowak', email: 'ola@example.com' },
      items: [{ name: 'Monstera <b>deliciosa</b>', sku: 'MON-1', quantity: 2, price: '45.00' }],
    });
    const template = await createTemplate({
      name: 'Order confirmed (internal name)',
      subject: 'Order [order_number] for [name]',
      format: 'html',
      preheader: 'Thank you, [first_name]!',
      content: '<p>Hello [first_name],</p><p>[items_list]</p><p>Total: [order_price]</p><p><a href="[order_link]">Your order</a></p>',
      attachments: [
        {
          kind: 'file',
          name: 'care.csv',
          file: { filename: 'care.csv', contentBase64: Buffer.from('plant;water\nmonstera;weekly\n').toString('base64') },
        },
      ],
    });
    const sent = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { templateId: template.id, kind: 'email_only' }, { role: 'agent' }),
      historyItem,
    );
    const row = await waitForMessage(sent.id, ['sent']);
    const mail = sink.received.find((received) => received.parsed.messageId === `<${sent.messageId}>`);
    expect(mail, 'the message reached the SMTP server with the Message-ID the API gave').toBeDefined();
    const parsed = mail?.parsed;
    expect(parsed?.from?.value[0]).toMatchObject({ address: 'shop@plants.example' });
    expect(parsed?.replyTo?.value[0]).toMatchObject({ address: 'care@plants.example', name: 'Plant Shop care' });
    expect(mail?.envelope.to).toEqual(['ola@example.com']);
    expect(parsed?.subject).toBe(`Order ${order.number} for Ola <script>alert(1)</script> Nowak`);
    // Order data is escaped in the HTML part: the buyer's "script" is text, not an element.
    expect(parsed?.html).toContain('Ola');
    expect(parsed?.html).not.toContain('<script>');
    expect(parsed?.html).toContain('&lt;b&gt;deliciosa&lt;/b&gt;');
    expect(parsed?.html).toContain('Thank you, Ola!');
    expect(parsed?.text).toContain('Monstera <b>deliciosa</b>');
    expect(parsed?.text).not.toContain('Thank you, Ola!');
    expect(parsed?.attachments.map((file) => file.filename)).toEqual(['care.csv']);
    expect(parsed?.attachments[0]?.content.toString()).toContain('monstera;weekly');
    // The history holds what was sent, and the journal says so.
    expect(row).toMatchObject({ status: 'sent', attempts: 1, sentVia: 'default', templateName: 'Order confirmed (internal name)' });
    expect(row.html).toBe(parsed?.html);
    const page = await json(await t.call('GET', `/v1/orders/${order.id}/messages`, undefined, { role: 'agent' }), historyPage);
    expect(page.messages.at(-1)).toMatchObject({ status: 'sent', subject: parsed?.subject, replyTo: 'care@plants.example' });
    expect(await journalTypesOf(order.id)).toContain(journalTypes.EMAIL_SENT);
  });

  it('free text goes out as written, tags and all; the notice kind links to the order page', async () => {
    const order = await createOrder(t, { buyer: { name: 'Tom', email: 'tom@example.com' }, language: 'de' });
    const free = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { subject: 'Re: [order_number]', text: 'Use [tags] freely.' }, { role: 'agent' }),
      historyItem,
    );
    const notice = await json(
      await t.call(
        'POST',
        `/v1/orders/${order.id}/send`,
        { kind: 'page_and_email_notice', subject: 'x', text: 'On the page only' },
        { role: 'agent' },
      ),
      historyItem,
    );
    await waitForMessage(free.id, ['sent']);
    await waitForMessage(notice.id, ['sent']);
    const freeMail = sink.received.find((received) => received.parsed.messageId === `<${free.messageId}>`)?.parsed;
    expect(freeMail?.subject).toBe('Re: [order_number]');
    // Written as sent; a page + e-mail message (the default kind) then says where the page is, in the order's language.
    expect(freeMail?.text?.trim()).toMatch(
      /^Use \[tags\] freely\.\n\n-- \nDiese Nachricht finden Sie auch auf Ihrer Bestellseite, dort können Sie uns schreiben: https:\/\/plants\.example\/p\/[A-Za-z0-9_-]{22}$/,
    );
    const noticeMail = sink.received.find((received) => received.parsed.messageId === `<${notice.messageId}>`)?.parsed;
    expect(noticeMail?.subject).toBe(`Neue Nachricht zu Ihrer Bestellung ${order.number}`);
    expect(noticeMail?.text).toMatch(/https:\/\/plants\.example\/p\/[A-Za-z0-9_-]{22}/);
    expect(noticeMail?.text).not.toContain('On the page only');
  });

  it('retries a 451 and a dropped connection, then sends; attempts are counted', async () => {
    const order = await createOrder(t, { buyer: { name: 'Retry', email: 'retry@example.com' } });
    sink.next({ kind: 'reply', code: 451, message: 'Try again later' }, { kind: 'drop' });
    const sent = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { subject: 'Hi', text: 'x' }, { role: 'agent' }),
      historyItem,
    );
    const row = await waitForMessage(sent.id, ['sent'], 30_000);
    expect(row.attempts).toBe(3);
    expect(row.lastError).toBeNull();
  });

  it('marks a 550 failed at once, with the server reply, in the history and the journal', async () => {
    const order = await createOrder(t, { buyer: { name: 'Bounce', email: 'nobody@example.com' } });
    sink.next({ kind: 'reply', code: 550, message: 'No such user here' });
    const sent = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { subject: 'Hi', text: 'x' }, { role: 'agent' }),
      historyItem,
    );
    const row = await waitForMessage(sent.id, ['failed']);
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/550.*No such user here/);
    expect(await journalTypesOf(order.id)).toContain(journalTypes.EMAIL_FAILED);
  });

  it('a bulk send of 60 orders reports its progress until all are sent', async () => {
    const orders = await Promise.all(
      Array.from({ length: 60 }, (_, i) => createOrder(t, { buyer: { name: `Bulk ${i}`, email: `bulk${i}@example.com` } })),
    );
    const template = await createTemplate({ name: 'Bulk', subject: 'News for [first_name]', format: 'text', content: 'Hello [name]' });
    const started = await json(
      await t.call('POST', '/v1/messages/batches', { templateId: template.id, orderIds: orders.map((o) => o.id) }, { role: 'agent' }),
      batchProgress,
    );
    const deadline = Date.now() + 30_000;
    let progress = started;
    while (!progress.done && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      progress = await json(await t.call('GET', `/v1/messages/batches/${started.id}`, undefined, { role: 'agent' }), batchProgress);
    }
    expect(progress).toMatchObject({ requested: 60, sent: 60, failed: 0, queued: 0, done: true });
    const subjects = sink.received.filter((mail) => mail.parsed.subject?.startsWith('News for Bulk')).length;
    expect(subjects).toBe(60);
  });

  it('sends through the mailbox asked for: the request > the template > the default', async () => {
    const own = await startSmtpSink({ auth: { user: 'seller@own.example', pass: 'secret-1' } });
    try {
      const created = await json(
        await t.call('POST', '/v1/mailboxes', {
          name: 'Own',
          host: `127.0.0.1:${own.port}`,
          security: 'none',
          login: 'seller@own.example',
          password: 'secret-1',
          fromEmail: 'seller@own.example',
          fromName: 'Seller',
        }),
        mailbox,
      );
      const template = await createTemplate({
        name: 'Own box',
        subject: 'From own',
        format: 'text',
        content: 'Hello',
        mailboxId: created.id,
      });
      const order = await createOrder(t, { buyer: { name: 'Own', email: 'own@example.com' } });
      const viaTemplate = await json(
        await t.call('POST', `/v1/orders/${order.id}/send`, { templateId: template.id }, { role: 'agent' }),
        historyItem,
      );
      const row = await waitForMessage(viaTemplate.id, ['sent']);
      expect(row.sentVia).toBe(String(created.id));
      expect(own.received[0]?.user).toBe('seller@own.example');
      expect(own.received[0]?.parsed.from?.value[0]?.address).toBe('seller@own.example');
      expect(own.received[0]?.parsed.replyTo).toBeUndefined();
      // The request's mailbox wins over the template's: here the default one has no id, so use a second own box.
      const other = await json(
        await t.call('POST', '/v1/mailboxes', {
          name: 'Other',
          host: `127.0.0.1:${sink.port}`,
          security: 'none',
          fromEmail: 'other@plants.example',
        }),
        mailbox,
      );
      const viaRequest = await json(
        await t.call('POST', `/v1/orders/${order.id}/send`, { templateId: template.id, mailboxId: other.id }, { role: 'agent' }),
        historyItem,
      );
      expect((await waitForMessage(viaRequest.id, ['sent'])).sentVia).toBe(String(other.id));
    } finally {
      await own.close();
    }
  });

  it('an own mailbox that keeps failing to connect turns invalid; its mail goes out through the default one and the seller is told once', async () => {
    await t.call('PATCH', '/v1/settings', { notificationEmail: 'owner@plants.example' });
    const dead = await startSmtpSink();
    const deadPort = dead.port;
    await dead.close();
    const created = await json(
      await t.call('POST', '/v1/mailboxes', {
        name: 'Dead',
        host: `127.0.0.1:${deadPort}`,
        security: 'none',
        fromEmail: 'dead@own.example',
      }),
      mailbox,
    );
    const order = await createOrder(t, { buyer: { name: 'Fallback', email: 'fallback@example.com' } });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const sent = await json(
        await t.call('POST', `/v1/orders/${order.id}/send`, { subject: `Try ${i}`, text: 'x', mailboxId: created.id }, { role: 'agent' }),
        historyItem,
      );
      ids.push(sent.id);
    }
    // Each fails to connect (refused) and is retried; after three failures the mailbox is invalid and the retries go through the default.
    for (const id of ids) {
      const row = await waitForMessage(id, ['sent'], 30_000);
      expect(row.sentVia).toBe('default');
      expect(row.replyTo).toBe('care@plants.example');
    }
    const [box] = await t.services.database.db.select().from(mailboxes).where(eq(mailboxes.id, created.id));
    expect(box?.valid).toBe(false);
    const notices = sink.received.filter((mail) => mail.envelope.to.includes('owner@plants.example'));
    expect(notices).toHaveLength(1);
  });

  it('a test send delivers the template rendered for an order to any address at once, and records nothing', async () => {
    const order = await createOrder(t, { buyer: { name: 'Testy', email: 'testy@example.com' } });
    const template = await createTemplate({ name: 'Try me', subject: 'Order [order_number]', format: 'text', content: 'Hi [first_name]' });
    const before = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.orderId, order.id));
    const res = await t.call(
      'POST',
      `/v1/templates/${template.id}/test-send`,
      { to: 'seller@plants.example', orderId: order.id },
      { role: 'agent' },
    );
    const result = await json(res, testSendResult);
    expect(result).toMatchObject({ ok: true, via: 'default', error: null });
    const mail = sink.received.find((received) => received.parsed.messageId === `<${result.messageId}>`);
    expect(mail?.envelope.to).toEqual(['seller@plants.example']);
    expect(mail?.parsed.subject).toBe(`Order ${order.number}`);
    expect(mail?.parsed.text?.trim()).toBe('Hi Testy');
    const after = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.orderId, order.id));
    expect(after).toHaveLength(before.length);
    sink.next({ kind: 'reply', code: 550, message: 'Mailbox unavailable' });
    const refused = await json(
      await t.call('POST', `/v1/templates/${template.id}/test-send`, { to: 'nobody@plants.example', orderId: order.id }, { role: 'agent' }),
      testSendResult,
    );
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/550.*Mailbox unavailable/);
    expect((await t.call('POST', '/v1/templates/999999/test-send', { to: 'a@b.example' }, { role: 'agent' })).status).toBe(404);
  });

  it('a message still failing after DELIVERY_MAX_AGE_HOURS is given up as failed', async () => {
    const order = await createOrder(t, { buyer: { name: 'Old', email: 'old@example.com' } });
    sink.always({ kind: 'reply', code: 421, message: 'Service not available' });
    const sent = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { subject: 'Hi', text: 'x' }, { role: 'agent' }),
      historyItem,
    );
    // As if it had been queued three days ago and the server keeps answering 421.
    await t.services.database.db
      .update(orderMessages)
      .set({ createdAt: new Date(Date.now() - 72 * 3600 * 1000) })
      .where(and(eq(orderMessages.id, sent.id)));
    const row = await waitForMessage(sent.id, ['failed'], 30_000);
    expect(row.lastError).toMatch(/Gave up after \d+ attempt.*421/);
  });
});

describe('with no mailbox that can send', () => {
  let t: TestContext;
  let worker: Worker;
  beforeAll(async () => {
    t = await createTestContext();
    worker = createWorker(t.services);
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(1000);
    await t?.close();
  });

  it('keeps the message held instead of failing it, and a worker with a default mailbox sends it later', async () => {
    const order = await createOrder(t, { buyer: { name: 'Held', email: 'held@example.com' } });
    const sent = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { subject: 'Hi', text: 'x' }, { role: 'agent' }),
      historyItem,
    );
    const deadline = Date.now() + 20_000;
    let status = '';
    while (status !== 'held' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [{ status = '' } = { status: '' }] = await t.services.database.db
        .select({ status: orderMessages.status })
        .from(orderMessages)
        .where(eq(orderMessages.id, sent.id));
    }
    expect(status).toBe('held');

    // Another start, now with a default mailbox: held messages are queued again and sent.
    await worker.stop(1000);
    const sink = await startSink();
    const configured = createServices({
      database: t.database,
      logger: silentLogger,
      config: { ...t.services.config, SMTP_URL: sink.url, MAIL_FROM: 'shop@plants.example' },
    });
    const second = createWorker(configured);
    try {
      await second.start();
      await sink.waitFor(1);
      expect(sink.received[0]?.parsed.messageId).toBe(`<${sent.messageId}>`);
    } finally {
      await second.stop(1000);
      await configured.mail.close();
      await sink.close();
    }
  });
});
