import { randomBytes } from 'node:crypto';
import { customerMessageFields, journalTypes } from '@orderpost/shared';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, type TestContext } from '../../test/context.js';
import { testDatabaseKind } from '../../test/database.js';
import { pageTokenOf, postForm, tinyPng, traces } from '../../test/page-form.js';
import { files, orders } from '../db/schema/index.js';
import { issueFormToken } from '../features/order-page/form.token.js';

/**
 * Attacks on the public order page's form (issue 10 review): requests that
 * stall the event loop, 500s from hostile headers, a post racing a token
 * rotation, posts racing each other and a database whose connections are cut.
 */
let t: TestContext;
const onPostgres = testDatabaseKind() === 'postgres';

beforeAll(async () => {
  t = await createTestContext({ config: { TRUST_PROXY: true, PAGE_FORM_ORDER_LIMIT: 10 } });
  await t.call('PATCH', '/v1/settings', { publicBaseUrl: 'https://shop.example', notificationEmail: 'owner@shop.example' });
});
afterAll(() => t.close());

async function newPage() {
  const order = await createOrder(t);
  return { order, token: await pageTokenOf(t.services, order.id) };
}

/** The longest the event loop was held while `work` ran (a 5 ms ticker's worst lateness). */
async function maxLoopLag<T>(work: () => Promise<T> | T): Promise<{ result: T; lagMs: number }> {
  let lag = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last - 5);
    last = now;
  }, 5);
  try {
    const result = await work();
    return { result, lagMs: lag };
  } finally {
    clearInterval(ticker);
  }
}

/** The customer's messages (channel page) and what must come with each: a notification and a journal row. */
async function pageMessages(orderId: number) {
  const { messages, journalTypes: types } = await traces(t.services, orderId);
  const page = messages.filter((row) => row.channel === 'page');
  const notifications = messages.filter((row) => row.kind === 'customer_notification');
  const journalled = types.filter((type) => type === journalTypes.CUSTOMER_MESSAGE).length;
  return { page, notifications, journalled };
}

describe('attack: hostile form bodies', () => {
  it('a 5 MB urlencoded form of half a million fields is refused without holding the event loop', async () => {
    const { order, token } = await newPage();
    const formToken = await issueFormToken(t.services, token);
    const fields = Array.from({ length: 560_000 }, (_, n) => `k${n}=`).join('&');
    const body = `${fields}&${customerMessageFields.message}=hi&${customerMessageFields.formToken}=${formToken}`;
    expect(body.length).toBeLessThan(5 * 1024 * 1024);
    const { result: res, lagMs } = await maxLoopLag(() =>
      t.app.request(`/p/${token}/messages`, {
        method: 'POST',
        body,
        headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.10' },
      }),
    );
    // Before the fix: 303 after holding the loop ~1.4 s (every other request of the process waited).
    expect(res.status).toBe(400);
    expect(res.headers.get('x-error-code')).toBe('VALIDATION_FAILED');
    expect(lagMs).toBeLessThan(300);
    expect((await pageMessages(order.id)).page).toHaveLength(0);
  });

  it('a multipart form of sixty thousand parts is refused the same way', async () => {
    const { order, token } = await newPage();
    const formToken = await issueFormToken(t.services, token);
    const boundary = 'AttackBoundary';
    const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = `${Array.from({ length: 60_000 }, (_, n) => part(`k${n}`, '')).join('')}${part('message', 'hi')}${part('formToken', formToken)}--${boundary}--\r\n`;
    const { result: res, lagMs } = await maxLoopLag(() =>
      t.app.request(`/p/${token}/messages`, {
        method: 'POST',
        body,
        headers: {
          origin: 'http://localhost',
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'x-forwarded-for': '198.51.100.11',
        },
      }),
    );
    expect(res.status).toBe(400);
    expect(lagMs).toBeLessThan(300);
    expect((await pageMessages(order.id)).page).toHaveLength(0);
  });

  it('a body over the limit without Content-Length (streamed) is 413 with the page, nothing stored', async () => {
    const { order, token } = await newPage();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let n = 0; n < 7; n++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const res = await t.app.request(`/p/${token}/messages`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { origin: 'http://localhost', 'content-type': 'multipart/form-data; boundary=x', 'x-forwarded-for': '198.51.100.12' },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('x-error-code')).toBe('FILE_TOO_LARGE');
    expect((await pageMessages(order.id)).page).toHaveLength(0);
  });

  it('an attachment name with bidi overrides, CR/LF and a path keeps none of them', async () => {
    const { order, token } = await newPage();
    const res = await postForm(t.app, t.services, token, {
      attachment: { name: '../../etc/invoice\u202Efdp.exe\r\nBcc: x@evil.example\u2066', content: tinyPng },
      headers: { 'x-forwarded-for': '198.51.100.13' },
    });
    expect(res.status).toBe(303);
    const { notifications } = await pageMessages(order.id);
    const [fileRow] = await t.database.db
      .select({ filename: files.filename })
      .from(files)
      .where(eq(files.id, notifications[0]?.attachmentFileId ?? -1));
    const filename = fileRow?.filename ?? '';
    // Shown reversed, "invoice‮fdp.exe….png" reads as "…exe.pdf" in the seller's mail client.
    expect(filename).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\r\n/\\]/);
    expect(filename.endsWith('.png')).toBe(true);
  });
});

describe('attack: the client address from X-Forwarded-For', () => {
  it('a forwarded "address" of 12,000 characters is not a 500 (it is no address: the socket is the client)', async () => {
    const { token } = await newPage();
    for (const forwarded of [randomBytes(6000).toString('hex'), `${randomBytes(3000).toString('hex')}::1`, 'evil\u00e9, 203.0.113.9 x']) {
      const res = await postForm(t.app, t.services, token, { headers: { 'x-forwarded-for': forwarded } });
      // Before the fix: the text became the rate-limit key, too large for its index → 500 INTERNAL_ERROR.
      expect(res.status, forwarded.slice(0, 20)).toBe(303);
    }
    // The bearer-token failure limiter keys by the same address.
    const api = await t.app.request('/v1/orders', {
      headers: { authorization: 'Bearer op_wrong', 'x-forwarded-for': randomBytes(6000).toString('hex') },
    });
    expect(api.status).toBe(401);
  });
});

describe('attack: races', () => {
  it('twenty identical posts at once (one form token, one body): no 500, the order limit holds, the message is stored once', async () => {
    const { order, token } = await newPage();
    const formToken = await issueFormToken(t.services, token);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        postForm(t.app, t.services, token, { message: 'Same message', formToken, headers: { 'x-forwarded-for': '198.51.100.20' } }),
      ),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses.filter((status) => status === 303)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    const { page, notifications, journalled } = await pageMessages(order.id);
    expect(page).toHaveLength(1);
    expect(notifications).toHaveLength(1);
    expect(journalled).toBe(1);
  });

  it.runIf(onPostgres)('a post that reaches the order after its page token was rotated is the 404, nothing stored', async () => {
    const { order, token } = await newPage();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // An admin's rotation holds the order's row while the customer posts with the old token.
    const rotation = t.database.db.transaction(async (tx) => {
      await tx.execute(sql`select id from orders where id = ${order.id} for update`);
      await gate;
      await tx
        .update(orders)
        .set({ pageToken: randomBytes(16).toString('base64url') })
        .where(eq(orders.id, order.id));
    });
    const posting = postForm(t.app, t.services, token, { message: 'Racing the rotation', headers: { 'x-forwarded-for': '198.51.100.21' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    release();
    await rotation;
    const res = await posting;
    // Before the fix: 303 — stored, and the shop's notification linked the rotated (dead) page.
    expect(res.status).toBe(404);
    expect(res.headers.get('x-error-code')).toBe('ORDER_NOT_FOUND');
    expect((await pageMessages(order.id)).page).toHaveLength(0);
  });

  it.runIf(onPostgres)(
    'connections cut mid-post (pg_terminate_backend): 303 or 503, never 500, never half a message; then it recovers',
    async () => {
      const { order, token } = await newPage();
      const admin = postgres(t.database.url ?? '', { max: 1, onnotice: () => undefined });
      try {
        const posting = Promise.all(
          Array.from({ length: 8 }, (_, n) =>
            postForm(t.app, t.services, token, {
              message: `Cut ${n}`,
              attachment: { name: 'p.png', content: tinyPng },
              headers: { 'x-forwarded-for': `198.51.100.${30 + n}` },
            }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 15));
        await admin.unsafe(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        );
        const statuses = (await posting).map((res) => res.status);
        for (const status of statuses) expect([303, 503]).toContain(status);
        const { page, notifications, journalled } = await pageMessages(order.id);
        expect(page).toHaveLength(statuses.filter((status) => status === 303).length);
        expect(notifications).toHaveLength(page.length);
        expect(journalled).toBe(page.length);
        const after = await postForm(t.app, t.services, token, { message: 'After', headers: { 'x-forwarded-for': '198.51.100.40' } });
        expect(after.status).toBe(303);
      } finally {
        await admin.end();
      }
    },
  );
});

describe('attack: page addresses', () => {
  it('malformed, encoded and variant paths are all the one 404 page with the page headers, never a 500 or a redirect', async () => {
    const { token } = await newPage();
    const reference = await t.app.request(`/p/${randomBytes(16).toString('base64url')}`);
    const variants = [
      '/p/%FF',
      '/p/%ED%A0%80/messages',
      `/p/${token}%00`,
      `/p/${token}/`,
      `/p//${token}`,
      `/p/${token}%2F`,
      `/p/${token.toLowerCase()}`,
      `/p/${token}/files/99999999999999999999`,
      `/p/${token}/files/%FF`,
      '/p/assets/logo/%FF',
      '/p/assets/%00',
    ];
    for (const path of variants) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('x-error-code'), path).toBe('ORDER_NOT_FOUND');
      for (const name of ['content-security-policy', 'cache-control', 'referrer-policy', 'x-frame-options'])
        expect(res.headers.get(name), `${path} ${name}`).toBe(reference.headers.get(name));
    }
    const post = await t.app.request('/p/%FF/messages', {
      method: 'POST',
      body: 'message=x',
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(404);
  });
});
