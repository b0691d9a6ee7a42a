import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mailbox } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, json, type TestContext } from '../../../test/context.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { mailboxes } from '../../db/schema/index.js';
import { createServices } from '../../services.js';
import { silentLogger } from '../../logger.js';
import type { MailTransports } from './mail-transports.js';
import { classifySmtpError } from './smtp-errors.js';

const login = 'sklep@example.pl';
const password = 'dobre-hasło';

let t: TestContext;
/** The default mailbox's server (SMTP_URL). */
let defaultSink: SmtpSink;
/** The seller's own server. */
let ownSink: SmtpSink;
let closedPort: number;

beforeAll(async () => {
  defaultSink = await startSmtpSink();
  ownSink = await startSmtpSink({ auth: { user: login, pass: password } });
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  t = await createTestContext({
    config: { SMTP_URL: defaultSink.url, MAIL_FROM: 'Orderpost <noreply@orderpost.example>', SMTP_TIMEOUT_SECONDS: 2 },
  });
  await t.call('PATCH', '/v1/settings', {
    replyToEmail: 'sklep@example.pl',
    replyToName: 'Kawiarnia Online',
    notificationEmail: 'wlasciciel@example.pl',
  });
});
afterAll(async () => {
  await Promise.all([t.close(), defaultSink.close(), ownSink.close()]);
});
beforeEach(() => {
  defaultSink.received.length = 0;
  ownSink.received.length = 0;
});

async function createMailbox(input: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/v1/mailboxes', {
    name: 'Own',
    host: `127.0.0.1:${ownSink.port}`,
    security: 'none',
    login,
    password,
    fromEmail: 'sklep@example.pl',
    fromName: 'Kawiarnia (own)',
    ...input,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json(res, mailbox);
}

/** What the delivery worker does for one message: resolve the sender, send, record the outcome. */
async function deliver(mail: MailTransports, mailboxId: number | null, subject: string) {
  const sender = await mail.resolve(mailboxId);
  if (!sender) return { via: null, ok: false };
  try {
    await sender.transporter.sendMail({ from: sender.from, replyTo: sender.replyTo, to: 'anna@example.com', subject, text: 'Dzień dobry' });
    if (typeof sender.via === 'number') await mail.recordOutcome(sender.via, { ok: true });
    return { via: sender.via, ok: true };
  } catch (error) {
    if (typeof sender.via === 'number') await mail.recordOutcome(sender.via, { ok: false, failure: classifySmtpError(error) });
    return { via: sender.via, ok: false };
  }
}

async function storedRow(id: number) {
  const [row] = await t.database.db.select().from(mailboxes).where(eq(mailboxes.id, id));
  if (!row) throw new Error(`mailbox ${id} is not stored`);
  return row;
}

const notifications = () => defaultSink.received.filter((mail) => mail.envelope.to.includes('wlasciciel@example.pl'));

describe('which mailbox sends', () => {
  it('sends through a valid own mailbox with its From and no Reply-To', async () => {
    const own = await createMailbox();
    expect(await deliver(t.services.mail, own.id, 'own mailbox')).toEqual({ via: own.id, ok: true });
    const [received] = await ownSink.waitFor(1);
    expect(received?.user).toBe(login);
    expect(received?.parsed.from?.value).toEqual([{ name: 'Kawiarnia (own)', address: 'sklep@example.pl' }]);
    expect(received?.parsed.replyTo).toBeUndefined();
  });

  it('sends mail without a mailbox through the default one, with the seller’s reply-to', async () => {
    expect(await deliver(t.services.mail, null, 'default mailbox')).toEqual({ via: 'default', ok: true });
    const [received] = await defaultSink.waitFor(1);
    expect(received?.parsed.from?.value).toEqual([{ name: 'Kawiarnia Online', address: 'noreply@orderpost.example' }]);
    expect(received?.parsed.replyTo?.value).toEqual([{ name: 'Kawiarnia Online', address: 'sklep@example.pl' }]);
  });

  it('uses the default mailbox for a mailbox that no longer exists', async () => {
    const own = await createMailbox();
    await t.call('DELETE', `/v1/mailboxes/${own.id}`);
    expect((await t.services.mail.resolve(own.id))?.via).toBe('default');
  });

  it('resolves to nothing when there is neither a valid mailbox nor a default one', async () => {
    const bare = await createTestContext();
    try {
      expect(await bare.services.mail.resolve(null)).toBeNull();
      expect(await bare.services.mail.resolve(12345)).toBeNull();
    } finally {
      await bare.close();
    }
  });

  it('keeps one pooled transporter per mailbox, and builds a new one after the mailbox is saved', async () => {
    const own = await createMailbox();
    const first = await t.services.mail.resolve(own.id);
    const second = await t.services.mail.resolve(own.id);
    expect(second?.transporter).toBe(first?.transporter);
    const otherSink = await startSmtpSink({ auth: { user: login, pass: 'inne' } });
    try {
      await t.call('PATCH', `/v1/mailboxes/${own.id}`, { host: `127.0.0.1:${otherSink.port}`, password: 'inne' });
      const third = await t.services.mail.resolve(own.id);
      expect(third?.transporter).not.toBe(first?.transporter);
      expect(await deliver(t.services.mail, own.id, 'after the change')).toEqual({ via: own.id, ok: true });
      expect((await otherSink.waitFor(1))[0]?.parsed.subject).toBe('after the change');
    } finally {
      await otherSink.close();
    }
  });
});

describe('falling back after connection failures', () => {
  it('turns a mailbox invalid after 3 connection failures in a row, falls back with the seller’s reply-to, and tells the seller once', async () => {
    const own = await createMailbox({ name: 'Broken box', host: `127.0.0.1:${closedPort}` });
    for (const attempt of [1, 2]) {
      expect(await deliver(t.services.mail, own.id, `attempt ${attempt}`)).toEqual({ via: own.id, ok: false });
      expect(await storedRow(own.id)).toMatchObject({ valid: true, consecutiveFailures: attempt });
    }
    expect(await deliver(t.services.mail, own.id, 'attempt 3')).toEqual({ via: own.id, ok: false });
    const row = await storedRow(own.id);
    expect(row).toMatchObject({ valid: false, consecutiveFailures: 3 });
    expect(row.lastError).toMatch(/^The server refused the connection.*ECONNREFUSED/);
    expect(row.invalidNotifiedAt).not.toBeNull();

    // The seller hears about it, once, through the default mailbox.
    await defaultSink.waitFor(1);
    const [notice] = notifications();
    expect(notice?.parsed.subject).toBe('Mailbox "Broken box" stopped working: e-mail goes out from the default mailbox');
    expect(notice?.parsed.text).toContain('ECONNREFUSED');
    expect(notice?.parsed.text).not.toContain(password);

    // Mail for it now goes out from the default mailbox, replies going to the seller.
    expect(await deliver(t.services.mail, own.id, 'after the fallback')).toEqual({ via: 'default', ok: true });
    const fallback = (await defaultSink.waitFor(2)).find((mail) => mail.parsed.subject === 'after the fallback');
    expect(fallback?.parsed.from?.value[0]?.address).toBe('noreply@orderpost.example');
    expect(fallback?.parsed.replyTo?.value).toEqual([{ name: 'Kawiarnia Online', address: 'sklep@example.pl' }]);

    // More failures (messages that were in flight) tell nobody again.
    await t.services.mail.recordOutcome(own.id, {
      ok: false,
      failure: classifySmtpError(Object.assign(new Error('x'), { code: 'ETIMEDOUT' })),
    });
    expect(notifications()).toHaveLength(1);

    // Saving makes it valid; a new invalid spell is told again.
    await t.call('PATCH', `/v1/mailboxes/${own.id}`, { name: 'Broken box' });
    expect(await storedRow(own.id)).toMatchObject({ valid: true, consecutiveFailures: 0, invalidNotifiedAt: null });
    expect((await t.services.mail.resolve(own.id))?.via).toBe(own.id);
    for (let i = 0; i < 3; i++) await deliver(t.services.mail, own.id, `again ${i}`);
    await defaultSink.waitFor(3);
    expect(notifications()).toHaveLength(2);
  });

  it('a success or an answer about the message ends the run of failures; other failures do not count', async () => {
    const own = await createMailbox();
    const refused = classifySmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }));
    const rejected = classifySmtpError(
      Object.assign(new Error('Message failed: 550 no such user'), { code: 'EMESSAGE', responseCode: 550 }),
    );
    const record = (result: Parameters<MailTransports['recordOutcome']>[1]) => t.services.mail.recordOutcome(own.id, result);
    await record({ ok: false, failure: refused });
    await record({ ok: false, failure: refused });
    await record({ ok: true });
    expect((await storedRow(own.id)).consecutiveFailures).toBe(0);
    await record({ ok: false, failure: refused });
    await record({ ok: false, failure: refused });
    await record({ ok: false, failure: rejected });
    await record({ ok: false, failure: refused });
    expect(await storedRow(own.id)).toMatchObject({ valid: true, consecutiveFailures: 1 });
  });

  it('counts failures from several processes together and tells the seller once', async () => {
    const own = await createMailbox({ name: 'Shared', host: `127.0.0.1:${closedPort}` });
    const other = createServices({ database: t.database, logger: silentLogger, config: t.services.config });
    try {
      const refused = classifySmtpError(
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }),
      );
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? t.services.mail : other.mail).recordOutcome(own.id, { ok: false, failure: refused }),
        ),
      );
      expect(await storedRow(own.id)).toMatchObject({ valid: false, consecutiveFailures: 8 });
      await defaultSink.waitFor(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(notifications().filter((mail) => mail.parsed.subject?.includes('"Shared"'))).toHaveLength(1);
    } finally {
      await other.mail.close();
    }
  });

  it('without a notification address the spell is logged, not mailed', async () => {
    await t.call('PATCH', '/v1/settings', { notificationEmail: null });
    try {
      const own = await createMailbox({ name: 'Quiet' });
      const timeout = classifySmtpError(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }));
      for (let i = 0; i < 3; i++) await t.services.mail.recordOutcome(own.id, { ok: false, failure: timeout });
      expect(await storedRow(own.id)).toMatchObject({ valid: false });
      expect((await storedRow(own.id)).invalidNotifiedAt).not.toBeNull();
      expect(notifications()).toHaveLength(0);
    } finally {
      await t.call('PATCH', '/v1/settings', { notificationEmail: 'wlasciciel@example.pl' });
    }
  });

  it('a mailbox whose password cannot be decrypted any more falls back and turns invalid', async () => {
    const own = await createMailbox({ name: 'Unreadable' });
    const row = await storedRow(own.id);
    const [version, iv, tag] = (row.secret ?? '').split('.');
    const altered = `${version}.${iv}.${tag}.${Buffer.from('something else').toString('base64url')}`;
    await t.database.db.update(mailboxes).set({ secret: altered, updatedAt: new Date() }).where(eq(mailboxes.id, own.id));
    t.services.mail.forget(own.id);
    expect((await t.services.mail.resolve(own.id))?.via).toBe('default');
    const after = await storedRow(own.id);
    expect(after.valid).toBe(false);
    expect(after.lastError).toMatch(/cannot be read/);
  });
});

describe('DKIM on the default mailbox', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const folder = mkdtempSync(join(tmpdir(), 'orderpost-dkim-'));
  const keyFile = join(folder, 'dkim.pem');
  writeFileSync(keyFile, pem);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each([
    ['a PEM key', pem],
    ['a path to a key file', keyFile],
  ])('signs with %s', async (_label, key) => {
    const signed = await createTestContext({
      config: {
        SMTP_URL: defaultSink.url,
        MAIL_FROM: 'noreply@orderpost.example',
        DKIM_DOMAIN: 'orderpost.example',
        DKIM_SELECTOR: 'mail2027',
        DKIM_PRIVATE_KEY: key,
      },
    });
    try {
      expect(await deliver(signed.services.mail, null, 'signed')).toEqual({ via: 'default', ok: true });
      const received = (await defaultSink.waitFor(1)).find((mail) => mail.parsed.subject === 'signed');
      const header = /^DKIM-Signature:.*$/m.exec((received?.raw.toString() ?? '').replace(/\r?\n[ \t]+/g, ' '))?.[0] ?? '';
      expect(header).toContain('d=orderpost.example;');
      expect(header).toContain('s=mail2027;');
      expect(header).toMatch(/a=rsa-sha256;/);
    } finally {
      await signed.close();
    }
  });

  it('does not sign without DKIM settings', async () => {
    await deliver(t.services.mail, null, 'unsigned');
    const received = (await defaultSink.waitFor(1)).find((mail) => mail.parsed.subject === 'unsigned');
    expect(received?.raw.toString()).not.toMatch(/^DKIM-Signature:/m);
  });
});
