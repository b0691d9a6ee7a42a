import { batchProgress, historyItem, templateSaved } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, json, type TestContext } from '../../test/context.js';
import { type SmtpSink, startSmtpSink } from '../../test/smtp-sink.js';
import { orderMessages } from '../db/schema/index.js';
import { createWorker, type Worker } from '../worker.js';

/** Attacks on sending (issue 8 review): hostile input, idempotency races, bulk limits, Liquid abuse. */
describe('attack: sending', () => {
  let t: TestContext;
  let sink: SmtpSink;
  let worker: Worker;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestContext({ config: { SMTP_URL: sink.url, MAIL_FROM: 'Shop <shop@shop.example>' } });
    await t.call('PATCH', '/v1/settings', { shopName: 'Shop', publicBaseUrl: 'https://shop.example', replyToEmail: 'care@shop.example' });
    worker = createWorker(t.services);
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(1000);
    await t?.close();
    await sink?.close();
  });

  const waitFor = async (id: number, statuses: string[], timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.id, id));
      if (row && statuses.includes(row.status)) return row;
      if (Date.now() > deadline) throw new Error(`message ${id} is ${row?.status} (${row?.lastError}), not ${statuses.join('/')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const raw = (method: string, path: string, body: string, role: 'admin' | 'agent' = 'admin', headers: Record<string, string> = {}) =>
    t.app.request(path, {
      method,
      body,
      headers: { authorization: `Bearer ${t.tokens[role]}`, 'content-type': 'application/json', ...headers },
    });

  it('parallel identical sends with one Idempotency-Key queue exactly one message', async () => {
    const order = await createOrder(t, { buyer: { name: 'Idem', email: 'idem@example.com' } });
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        t.call(
          'POST',
          `/v1/orders/${order.id}/send`,
          { subject: 'Hi', text: 'once' },
          { role: 'agent', headers: { 'idempotency-key': 'k-par-1' } },
        ),
      ),
    );
    const statuses = responses.map((res) => res.status);
    const bodies = await Promise.all(responses.map((res) => res.text()));
    expect(
      statuses.every((s) => s === 202 || s === 409),
      `statuses ${statuses}`,
    ).toBe(true);
    const ids = new Set(bodies.filter((_, i) => statuses[i] === 202).map((body) => JSON.parse(body).id));
    expect(ids.size).toBe(1);
    const rows = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.orderId, order.id));
    expect(rows).toHaveLength(1);
    // Without a key every request is a new message (by design).
    const plain = await Promise.all(
      Array.from({ length: 5 }, () => t.call('POST', `/v1/orders/${order.id}/send`, { subject: 'Hi', text: 'again' }, { role: 'agent' })),
    );
    expect(plain.map((res) => res.status)).toEqual([202, 202, 202, 202, 202]);
  });

  it('malformed Unicode and header injection in send input: 4xx, or inert; never 500', async () => {
    const order = await createOrder(t, { buyer: { name: 'Uni', email: 'uni@example.com' } });
    const cases: Record<string, string> = {
      loneSurrogateSubject: '{"subject":"a\\ud800b","text":"x"}',
      loneSurrogateText: '{"subject":"s","text":"a\\udfffb"}',
      nulSubject: '{"subject":"a\\u0000b","text":"x"}',
      nulText: '{"subject":"s","text":"a\\u0000b"}',
      bidiSubject: '{"subject":"invoice \\u202egnp.exe","text":"x"}',
      crlfSubject: '{"subject":"hi\\r\\nBcc: victim@evil.example","text":"x"}',
      crlfTo: '{"subject":"s","text":"x","to":"a@example.com\\r\\nBcc: victim@evil.example"}',
      commaTo: '{"subject":"s","text":"x","to":"a@example.com, victim@evil.example"}',
      loneSurrogateTo: '{"subject":"s","text":"x","to":"a\\ud800@example.com"}',
    };
    const seen: Record<string, number> = {};
    for (const [name, body] of Object.entries(cases)) {
      const res = await raw('POST', `/v1/orders/${order.id}/send`, body, 'agent');
      seen[name] = res.status;
      if (res.status === 202) {
        const item = json(res, historyItem);
        const row = await waitFor((await item).id, ['sent', 'failed']);
        const mail = sink.received.find((m) => m.parsed.messageId === `<${row.messageId}>`);
        expect(mail?.envelope.to, name).toEqual(['uni@example.com'].length ? mail?.envelope.to : []);
        expect(
          mail?.envelope.to.some((addr) => addr.includes('evil')),
          name,
        ).toBe(false);
        expect(mail?.parsed.headers.has('bcc'), name).toBe(false);
      }
    }
    console.log('unicode/send statuses', seen);
    for (const status of Object.values(seen)) expect(status).toBeLessThan(500);
  });

  it('malformed Unicode in template and mailbox fields: never 500', async () => {
    const seen: Record<string, number> = {};
    const tpl = (over: string) => `{"name":"n","subject":"s","format":"html","content":"<p>x</p>",${over}}`;
    const cases: Record<string, [string, string]> = {
      tplNameSurrogate: ['/v1/templates', tpl('"name":"a\\ud800"').replace('"name":"n",', '')],
      tplSubjectNul: ['/v1/templates', tpl('"preheader":"p"').replace('"subject":"s"', '"subject":"a\\u0000"')],
      tplContentSurrogate: ['/v1/templates', tpl('"preheader":"p"').replace('<p>x</p>', '<p>\\udc00</p>')],
      tplContentNul: ['/v1/templates', tpl('"preheader":"p"').replace('<p>x</p>', '<p>\\u0000</p>')],
      tplPreheaderCrlf: ['/v1/templates', tpl('"preheader":"a\\r\\nBcc: x@evil.example"')],
      mbNameCrlf: [
        '/v1/mailboxes',
        '{"name":"a\\r\\nb","host":"smtp.example.com","security":"none","fromEmail":"a@example.com","fromName":"x\\r\\nBcc: y@evil.example"}',
      ],
      mbHostNul: ['/v1/mailboxes', '{"name":"a","host":"smtp.example.com\\u0000","security":"none","fromEmail":"a@example.com"}'],
      mbPasswordSurrogate: [
        '/v1/mailboxes',
        '{"name":"a","host":"smtp.example.com","security":"none","fromEmail":"a@example.com","login":"u","password":"\\ud800"}',
      ],
      mbFromCrlf: [
        '/v1/mailboxes',
        '{"name":"a","host":"smtp.example.com","security":"none","fromEmail":"a@example.com\\r\\nBcc: y@evil.example"}',
      ],
    };
    for (const [name, [path, body]] of Object.entries(cases)) {
      const res = await raw('POST', path, body);
      seen[name] = res.status;
      if (res.status >= 500) console.log(name, await res.text());
    }
    console.log('unicode/template+mailbox statuses', seen);
    for (const status of Object.values(seen)) expect(status).toBeLessThan(500);
  });

  it('hostile order data comes out inert in HTML (text, attribute), subject and headers at a real SMTP server', async () => {
    const hostile = '"><img src=x onerror=alert(1)><script>alert(2)</script>\'';
    const created = await t.call(
      'POST',
      '/v1/orders',
      {
        source: 'shop',
        number: 'HOSTILE-1',
        currency: 'PLN',
        orderedAt: '2026-11-02T09:12:00Z',
        buyer: { name: hostile, email: 'hostile@example.com', login: 'javascript:alert(1)' },
        items: [{ name: '<iframe src=//evil>', sku: '"><svg onload=x>', quantity: 1, price: '1.00' }],
        payment: { method: '<b>card</b>', cashOnDelivery: false },
      },
      { role: 'integration' },
    );
    expect(created.status).toBe(201);
    const order = (await created.json()) as { id: number };
    const res = await t.call('POST', '/v1/templates', {
      name: 'hostile',
      subject: 'For [name] [client_login]',
      format: 'html',
      preheader: 'Hi [name]',
      content:
        '<p title="[name]">Hello [name]</p><p>[items_list_sku]</p><p>[payment_method]</p><a href="https://shop.example/?n=[order_number]">x</a>',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const template = await json(res, templateSaved);
    const sent = await json(
      await t.call('POST', `/v1/orders/${order.id}/send`, { templateId: template.id, kind: 'email_only' }, { role: 'agent' }),
      historyItem,
    );
    const row = await waitFor(sent.id, ['sent', 'failed']);
    expect(row.status, row.lastError ?? '').toBe('sent');
    const mail = sink.received.find((m) => m.parsed.messageId === `<${sent.messageId}>`);
    const html = mail?.parsed.html || '';
    expect(html).not.toMatch(/<script|<img|<iframe|<svg/i);
    expect(html).not.toContain('"><');
    expect(mail?.parsed.subject).toContain('<script>');
    expect(mail?.parsed.headers.has('bcc')).toBe(false);
    // Preview says the same.
    const preview = await t.call('POST', `/v1/templates/${template.id}/render`, { orderId: order.id }, { role: 'agent' });
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as { html: string };
    expect(body.html).not.toMatch(/<script|<img|<iframe|<svg/i);
  });

  it('Liquid abuse on save: loops, huge output, include/render, prototype reads → 422 fast; never 500', async () => {
    const attempts: Record<string, string> = {
      nestedLoop: '{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}',
      hugeOutput: '{% assign s = "xxxxxxxxxx" %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s }}',
      include: "{% include '/etc/passwd' %}",
      render: "{% render '../../package.json' %}",
      layout: "{% layout 'x' %}",
      proto: '{{ items.constructor.name }}{{ name.constructor }}',
      whileish: '{% tablerow i in (1..10000000) %}{{ i }}{% endtablerow %}',
      cycle: '{% for i in (1..1000000) %}{% cycle "a","b" %}{% endfor %}',
      hugeRange: '{% for i in (1..9999999999) %}x{% endfor %}',
      recursiveCapture: '{% capture a %}{% capture a %}x{% endcapture %}{% endcapture %}{{a}}',
    };
    const seen: Record<string, string> = {};
    for (const [name, content] of Object.entries(attempts)) {
      const started = Date.now();
      const res = await t.call('POST', '/v1/templates', { name, subject: 's', format: 'html', content });
      const ms = Date.now() - started;
      const text = await res.text();
      seen[name] = `${res.status} ${ms}ms ${res.status === 201 ? '' : JSON.parse(text).error.code}`;
      expect(res.status, `${name}: ${text.slice(0, 300)}`).toBeLessThan(500);
      expect(ms, name).toBeLessThan(5000);
    }
    console.log('liquid abuse', seen);
    expect(seen.include).toMatch(/^422/);
    expect(seen.render).toMatch(/^422/);
    expect(seen.nestedLoop).toMatch(/^422/);
    expect(seen.hugeOutput).toMatch(/^422/);
  });

  // Found by the review of issue 8: order data in the query of an https link made the whole message fail as ACTIVE_CONTENT.
  it('order data that merely contains "javascript:" inside an https link does not fail the message', async () => {
    const order = await createOrder(t, { buyer: { name: 'JS', email: 'js@example.com', login: 'javascript:alert(1)' } });
    const template = await json(
      await t.call('POST', '/v1/templates', {
        name: 'login-link',
        subject: 's',
        format: 'html',
        content: '<a href="https://shop.example/?u=[client_login]">x</a>',
      }),
      templateSaved,
    );
    const preview = await t.call('POST', `/v1/templates/${template.id}/render`, { orderId: order.id }, { role: 'agent' });
    expect(preview.status).toBe(200);
  });

  // Found by the review of issue 8: active content assembled around Liquid markup passed the check on save.
  it('active content split by Liquid comments/conditions is refused on save', async () => {
    const sneaky = {
      comment: '<scr{% comment %}x{% endcomment %}ipt>alert(1)</script>',
      ifFalse: '<img src=x o{% if false %}z{% endif %}nerror=alert(1)>',
      js: '<a href="java{% comment %}z{% endcomment %}script:alert(1)">x</a>',
    };
    const seen: Record<string, number> = {};
    for (const [name, content] of Object.entries(sneaky)) {
      const res = await t.call('POST', '/v1/templates', { name, subject: 's', format: 'html', content });
      seen[name] = res.status;
    }
    console.log('sneaky active content on save', seen);
    const order = await createOrder(t, { buyer: { name: 'Sneaky', email: 'sneaky@example.com' } });
    const list = (await (await t.call('GET', '/v1/templates?includeHidden=true', undefined, { role: 'agent' })).json()) as {
      templates: { id: number; name: string }[];
    };
    for (const name of ['ifFalse', 'js']) {
      const tpl = list.templates.find((x) => x.name === name);
      if (!tpl) continue;
      const preview = await t.call('POST', `/v1/templates/${tpl.id}/render`, { orderId: order.id }, { role: 'agent' });
      const body = await preview.text();
      console.log(`sneaky ${name} preview: ${preview.status} ${body.slice(0, 300)}`);
      const sent = await json(await t.call('POST', `/v1/orders/${order.id}/send`, { templateId: tpl.id }, { role: 'agent' }), historyItem);
      const row = await waitFor(sent.id, ['sent', 'failed']);
      console.log(`sneaky ${name} send: ${row.status} ${row.lastError}`);
      expect(row.status).toBe('failed');
    }
    expect(seen).toEqual({ comment: 422, ifFalse: 422, js: 422 });
  });

  it('content of exactly 25,000 characters is accepted, 25,001 refused (also with multi-unit characters)', async () => {
    const ok = await t.call('POST', '/v1/templates', { name: 'max', subject: 's', format: 'text', content: 'a'.repeat(25_000) });
    expect(ok.status).toBe(201);
    const tooLong = await t.call('POST', '/v1/templates', { name: 'max+1', subject: 's', format: 'text', content: 'a'.repeat(25_001) });
    expect(tooLong.status).toBe(400);
    // 25,000 characters of astral symbols: 50,000 UTF-16 code units.
    const astral = await t.call('POST', '/v1/templates', { name: 'astral', subject: 's', format: 'text', content: '😀'.repeat(25_000) });
    console.log('25,000 astral chars →', astral.status);
    expect(astral.status).toBe(201);
  });

  it('attachments are checked by content: exe named pdf, polyglot, zip bomb docx', async () => {
    const mz = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'binary'), Buffer.alloc(200, 0)]);
    const polyglot = Buffer.concat([Buffer.from('%PDF-1.4\n'), mz]);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const cases: Record<string, [string, Buffer]> = {
      exeAsPdf: ['invoice.pdf', mz],
      polyglotPdf: ['doc.pdf', polyglot],
      htmlAsTxt: ['note.txt', html],
      svgAsPng: ['pic.png', svg],
      exeAsTxtName: ['x.exe', Buffer.from('just text\n')],
    };
    const seen: Record<string, string> = {};
    for (const [name, [filename, content]] of Object.entries(cases)) {
      const res = await t.call('POST', '/v1/templates', {
        name,
        subject: 's',
        format: 'text',
        content: 'x',
        attachments: [{ kind: 'file', name: filename, file: { filename, contentBase64: content.toString('base64') } }],
      });
      const text = await res.text();
      seen[name] = `${res.status} ${res.status === 201 ? JSON.stringify(JSON.parse(text).attachments) : JSON.parse(text).error.code}`;
      expect(res.status, name).toBeLessThan(500);
    }
    console.log('attachments', seen);
    expect(seen.exeAsPdf).toMatch(/^415/);
    expect(seen.htmlAsTxt).toMatch(/^415/);
    expect(seen.svgAsPng).toMatch(/^415/);
  });

  it('bulk send: 10,000 ids with duplicates, unknown and huge ids answers quickly and lists them', async () => {
    const order = await createOrder(t, { buyer: { name: 'Bulk', email: 'bulk@example.com' } });
    const tpl = await json(
      await t.call('POST', '/v1/templates', { name: 'bulk', subject: 'Bulk [order_number]', format: 'text', content: 'Hi [name]' }),
      templateSaved,
    );
    const ids = [order.id, order.id, ...Array.from({ length: 9_997 }, (_, i) => 1_000_000 + i), 2_147_483_647];
    const started = Date.now();
    const res = await t.call('POST', '/v1/messages/batches', { templateId: tpl.id, orderIds: ids }, { role: 'agent' });
    const ms = Date.now() - started;
    const body = await json(res, batchProgress);
    console.log(`bulk of 10,000 ids: ${res.status} in ${ms} ms; skipped ${body.skipped.length}`);
    expect(body.requested).toBe(10_000);
    expect(body.queued + body.sending + body.sent).toBe(1);
    expect(body.skipped.filter((s) => s.reason === 'duplicate')).toHaveLength(1);
    expect(body.skipped.filter((s) => s.reason === 'order_not_found')).toHaveLength(9_998);
    const over = await t.call('POST', '/v1/messages/batches', { templateId: tpl.id, orderIds: [2_147_483_648] }, { role: 'agent' });
    expect(over.status).toBe(400);
    const zero = await t.call('POST', '/v1/messages/batches', { templateId: tpl.id, orderIds: [] }, { role: 'agent' });
    expect(zero.status).toBe(400);
    const big = await t.call('POST', '/v1/messages/batches', { templateId: tpl.id, orderIds: [1e300] }, { role: 'agent' });
    expect(big.status).toBe(400);
    const float = await t.call('POST', '/v1/messages/batches', { templateId: tpl.id, orderIds: [1.5] }, { role: 'agent' });
    expect(float.status).toBe(400);
    const progress = await t.call('GET', `/v1/messages/batches/${body.id}`, undefined, { role: 'agent' });
    expect(progress.status).toBe(200);
    const unknownBatch = await t.call('GET', '/v1/messages/batches/99999999', undefined, { role: 'agent' });
    expect(unknownBatch.status).toBe(404);
  });

  it('the SMTP server going away mid-batch leaves messages queued for retry, none failed or lost', async () => {
    const slow = await startSmtpSink({ delayMs: 30 });
    const created = await t.call('POST', '/v1/mailboxes', {
      name: 'slow',
      host: `127.0.0.1:${slow.port}`,
      security: 'none',
      fromEmail: 'slow@shop.example',
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const mailbox = (await created.json()) as { id: number };
    const tpl = await json(
      await t.call('POST', '/v1/templates', {
        name: 'away',
        subject: 'Away [order_number]',
        format: 'text',
        content: 'Hi',
        mailboxId: mailbox.id,
      }),
      templateSaved,
    );
    const orderIds: number[] = [];
    for (let i = 0; i < 60; i++) orderIds.push((await createOrder(t, { buyer: { name: `Away ${i}`, email: `away${i}@example.com` } })).id);
    const batch = await json(
      await t.call('POST', '/v1/messages/batches', { templateId: tpl.id, orderIds }, { role: 'agent' }),
      batchProgress,
    );
    await slow.waitFor(5, 20_000);
    await slow.close();
    // Let the worker see the failures.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const progress = await json(await t.call('GET', `/v1/messages/batches/${batch.id}`, undefined, { role: 'agent' }), batchProgress);
    const rows = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.batchId, batch.id));
    const failed = rows.filter((row) => row.status === 'failed');
    console.log('sink went away:', {
      sent: progress.sent,
      queued: progress.queued,
      sending: progress.sending,
      failed: progress.failed,
      held: progress.held,
      received: slow.received.length,
      errors: [...new Set(rows.map((r) => r.lastError))],
    });
    expect(failed.map((row) => row.lastError)).toEqual([]);
    expect(progress.sent + progress.queued + progress.sending).toBe(60);
    // After MAILBOX_FAILURE_LIMIT connection failures the mailbox turns invalid and the rest go out through the default one.
    const via = rows.filter((row) => row.status === 'sent').map((row) => row.sentVia);
    const counts = new Map<string, number>();
    for (const v of via) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    console.log('sent via', Object.fromEntries(counts));
    expect(via.filter((v) => v === String(mailbox.id)).length).toBe(slow.received.length);
  });

  it('preview of a template for an order with thousands of items and a heavy loop stays bounded', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ name: `Item ${i}`, sku: `S${i}`, quantity: 1, price: '1.00' }));
    const created = await t.call(
      'POST',
      '/v1/orders',
      {
        source: 'shop',
        number: 'BIG-ITEMS',
        currency: 'PLN',
        orderedAt: '2026-11-02T09:12:00Z',
        buyer: { name: 'B', email: 'b@example.com' },
        items,
        payment: { method: 'x', cashOnDelivery: false },
      },
      { role: 'integration' },
    );
    expect(created.status, await created.clone().text()).toBe(201);
    const order = (await created.json()) as { id: number };
    const res = await t.call('POST', '/v1/templates', {
      name: 'heavy',
      subject: 's',
      format: 'html',
      content: '{% for a in items %}{% for b in items %}{% for c in (1..40) %}{{ a.name }}{{ b.name }}{% endfor %}{% endfor %}{% endfor %}',
    });
    console.log('heavy template save', res.status);
    if (res.status !== 201) return;
    const tpl = await json(res, templateSaved);
    const started = Date.now();
    const preview = await t.call('POST', `/v1/templates/${tpl.id}/render`, { orderId: order.id }, { role: 'agent' });
    const ms = Date.now() - started;
    const text = await preview.text();
    console.log(`heavy preview: ${preview.status} in ${ms} ms: ${text.slice(0, 200)}`);
    expect(preview.status).toBeLessThan(500);
    expect(ms).toBeLessThan(3000);
  });

  // Found by the review of issue 8: a template sent as page_only or internal was stored empty.
  it('a template sent as page_only or internal keeps its rendered content in the history', async () => {
    const order = await createOrder(t, { buyer: { name: 'Page', email: 'page@example.com' } });
    const tpl = await json(
      await t.call('POST', '/v1/templates', { name: 'page', subject: 'About [order_number]', format: 'text', content: 'Hello [name]' }),
      templateSaved,
    );
    for (const kind of ['page_only', 'internal']) {
      const item = await json(
        await t.call('POST', `/v1/orders/${order.id}/send`, { templateId: tpl.id, kind }, { role: 'agent' }),
        historyItem,
      );
      const [row] = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.id, item.id));
      console.log(kind, { subject: row?.subject, body: row?.body, text: row?.text, html: row?.html });
      expect(item.text ?? row?.body ?? row?.text).toContain('Hello Page');
    }
  });
});

describe('attack: the default SMTP server goes away mid-batch and comes back', () => {
  it('nothing fails, nothing is lost; duplicates no more than in flight', async () => {
    const { SMTPServer } = await import('smtp-server');
    const sink = await startSmtpSink({ delayMs: 20 });
    const port = sink.port;
    const t = await createTestContext({
      config: { SMTP_URL: sink.url, MAIL_FROM: 'Shop <shop@shop.example>', DELIVERY_RETRY_DELAY_SECONDS: 1 },
    });
    const worker = createWorker(t.services);
    await worker.start();
    try {
      const tpl = await json(
        await t.call('POST', '/v1/templates', { name: 'away', subject: 'Away [order_number]', format: 'text', content: 'Hi' }),
        templateSaved,
      );
      const orderIds: number[] = [];
      for (let i = 0; i < 80; i++)
        orderIds.push((await createOrder(t, { buyer: { name: `Gone ${i}`, email: `gone${i}@example.com` } })).id);
      const batch = await json(
        await t.call('POST', '/v1/messages/batches', { templateId: tpl.id, orderIds }, { role: 'agent' }),
        batchProgress,
      );
      await sink.waitFor(10, 20_000);
      // Hard stop: no grace for open connections.
      const server = (sink as unknown as { server: InstanceType<typeof SMTPServer> }).server;
      server.close();
      for (const connection of (server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections)
        connection._socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const during = await json(await t.call('GET', `/v1/messages/batches/${batch.id}`, undefined, { role: 'agent' }), batchProgress);
      const rowsDuring = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.batchId, batch.id));
      console.log(
        'while away',
        { sent: during.sent, queued: during.queued, sending: during.sending, failed: during.failed, received: sink.received.length },
        [...new Set(rowsDuring.map((r) => r.lastError))],
      );
      expect(during.failed).toBe(0);
      // The server comes back on the same port.
      const back = new (await import('../../test/smtp-sink.js')).SmtpSink();
      (back as unknown as { start(): Promise<unknown> }).start = async function (this: { server: InstanceType<typeof SMTPServer> }) {
        await new Promise<void>((resolve, reject) => {
          this.server.once('error', reject);
          this.server.listen(port, '127.0.0.1', () => resolve());
        });
        return this;
      };
      await back.start();
      const deadline = Date.now() + 60_000;
      let progress = during;
      while (Date.now() < deadline) {
        progress = await json(await t.call('GET', `/v1/messages/batches/${batch.id}`, undefined, { role: 'agent' }), batchProgress);
        if (progress.done) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const all = [...sink.received, ...back.received].map((m) => m.parsed.messageId);
      const unique = new Set(all);
      console.log('after return', {
        sent: progress.sent,
        failed: progress.failed,
        queued: progress.queued,
        received: all.length,
        unique: unique.size,
      });
      expect(progress.sent).toBe(80);
      expect(unique.size).toBe(80);
      await back.close();
    } finally {
      await worker.stop(1000);
      await t.close();
    }
  }, 90_000);
});
