import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMailbox, mailbox, mailboxTestResult } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, json, type TestContext } from '../../../test/context.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { mailboxes } from '../../db/schema/index.js';

const login = 'sklep@example.pl';
const password = 'dobre-hasło';
const accessAuth = { user: login, accessToken: 'access-1' };

let t: TestContext;
let sink: SmtpSink;
let authSink: SmtpSink;
let oauthSink: SmtpSink;
let silent: Server;
const silentSockets = new Set<Socket>();
let closedPort: number;
let tokenEndpoint: HttpServer;
let tokenUrl: string;
const tokenRequests: Record<string, string>[] = [];
/** What the local token endpoint answers next: an access token, or an OAuth2 error. */
type TokenAnswer = { status: number; body: Record<string, unknown> };
let tokenAnswer: TokenAnswer = { status: 200, body: { access_token: 'access-1', expires_in: 3600 } };
/** Answers given once each, before `tokenAnswer`. */
const tokenAnswers: TokenAnswer[] = [];

async function listen<S extends Server | HttpServer>(server: S): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

function formOf(request: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
  });
}

beforeAll(async () => {
  // One second per connection step, so the timeout case stays short.
  t = await createTestContext({ config: { SMTP_TIMEOUT_SECONDS: 1 } });
  sink = await startSmtpSink();
  authSink = await startSmtpSink({ auth: { user: login, pass: password } });
  oauthSink = await startSmtpSink({ auth: accessAuth });
  // Accepts connections and never says a word: the greeting times out.
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('error', () => undefined);
  });
  await listen(silent);
  // A port that was just free: nothing listens there.
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  tokenEndpoint = createHttpServer(async (request, response) => {
    tokenRequests.push(await formOf(request));
    const answer = tokenAnswers.shift() ?? tokenAnswer;
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  tokenUrl = `http://127.0.0.1:${await listen(tokenEndpoint)}/token`;
});
afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await Promise.all([
    t.close(),
    sink.close(),
    authSink.close(),
    oauthSink.close(),
    new Promise((resolve) => silent.close(resolve)),
    new Promise((resolve) => tokenEndpoint.close(resolve)),
  ]);
});

async function create(input: Record<string, unknown>) {
  const res = await t.call('POST', '/v1/mailboxes', { name: 'Test', security: 'none', fromEmail: login, ...input });
  expect(res.status, await res.clone().text()).toBe(201);
  return json(res, mailbox);
}

async function test(id: number) {
  const res = await t.call('POST', `/v1/mailboxes/${id}/test`);
  expect(res.status).toBe(200);
  return json(res, mailboxTestResult);
}

async function storedRow(id: number) {
  const [row] = await t.database.db.select().from(mailboxes).where(eq(mailboxes.id, id));
  if (!row) throw new Error(`mailbox ${id} is not stored`);
  return row;
}

describe('testing a mailbox connection', () => {
  it('passes with the right login and password', async () => {
    const created = await create({ host: `127.0.0.1:${authSink.port}`, login, password });
    expect(await test(created.id)).toEqual({ ok: true, reason: null, message: 'Connected and logged in' });
  });

  it('passes against a server that asks for no login', async () => {
    const created = await create({ host: `127.0.0.1:${sink.port}` });
    expect((await test(created.id)).ok).toBe(true);
  });

  it('says auth, with the server reply, for a wrong password', async () => {
    const created = await create({ host: `127.0.0.1:${authSink.port}`, login, password: 'wrong' });
    const result = await test(created.id);
    expect(result).toMatchObject({ ok: false, reason: 'auth', responseCode: 535 });
    expect(result.message).toMatch(/^Login failed/);
    expect(result.message).toContain('535');
    expect(result.message).not.toContain('wrong');
  });

  it('says refused for a port nothing listens on', async () => {
    const created = await create({ host: `127.0.0.1:${closedPort}` });
    const result = await test(created.id);
    expect(result).toMatchObject({ ok: false, reason: 'refused' });
    expect(result.message).toContain('ECONNREFUSED');
  });

  it('says dns for a server name that does not exist', async () => {
    const created = await create({ host: 'smtp.orderpost-test.invalid:25' });
    const result = await test(created.id);
    expect(result).toMatchObject({ ok: false, reason: 'dns' });
    expect(result.message).toMatch(/^The server name was not found/);
  });

  it('says timeout when the server never greets', async () => {
    const port = (silent.address() as AddressInfo).port;
    const created = await create({ host: `127.0.0.1:${port}` });
    const started = Date.now();
    const result = await test(created.id);
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says tls when security is TLS but the server speaks plain SMTP', async () => {
    const created = await create({ host: `127.0.0.1:${sink.port}`, security: 'tls' });
    expect(await test(created.id)).toMatchObject({ ok: false, reason: 'tls' });
  });

  it('says tls when STARTTLS is required and the server does not offer it', async () => {
    const created = await create({ host: `127.0.0.1:${sink.port}`, security: 'starttls' });
    expect(await test(created.id)).toMatchObject({ ok: false, reason: 'tls' });
  });

  const haveOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!haveOpenssl)('says tls for a server whose certificate is self-signed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'orderpost-tls-'));
    const [keyPath, certPath] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1'],
      {
        stdio: 'ignore',
      },
    );
    const tlsSink = await startSmtpSink({ server: { secure: true, key: readFileSync(keyPath), cert: readFileSync(certPath) } });
    try {
      const created = await create({ host: `127.0.0.1:${tlsSink.port}`, security: 'tls' });
      const result = await test(created.id);
      expect(result).toMatchObject({ ok: false, reason: 'tls' });
      expect(result.message).toMatch(/certificate/i);
    } finally {
      await tlsSink.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a failing test records the error but does not count toward turning the mailbox invalid', async () => {
    const created = await create({ host: `127.0.0.1:${closedPort}` });
    for (let i = 0; i < 4; i++) await test(created.id);
    const row = await storedRow(created.id);
    expect(row).toMatchObject({ valid: true, consecutiveFailures: 0 });
    expect(row.lastError).toMatch(/^The server refused the connection/);
    expect(row.lastErrorAt).not.toBeNull();
  });

  it('a passing test makes an invalid mailbox valid again', async () => {
    const created = await create({ host: `127.0.0.1:${authSink.port}`, login, password });
    await t.database.db
      .update(mailboxes)
      .set({ valid: false, consecutiveFailures: 3, invalidNotifiedAt: new Date() })
      .where(eq(mailboxes.id, created.id));
    expect((await test(created.id)).ok).toBe(true);
    expect(await storedRow(created.id)).toMatchObject({ valid: true, consecutiveFailures: 0, invalidNotifiedAt: null });
  });
});

describe('OAuth2 (XOAUTH2) mailboxes', () => {
  const oauth2 = () => ({ clientId: 'orderpost-client', clientSecret: 'client-secret', refreshToken: 'refresh-1', tokenUrl });

  it('fetches an access token from the token endpoint with the refresh token and logs in with it', async () => {
    tokenAnswer = { status: 200, body: { access_token: 'access-1', expires_in: 3600 } };
    tokenRequests.length = 0;
    const created = await create({ host: `127.0.0.1:${oauthSink.port}`, login, oauth2: oauth2() });
    expect(await test(created.id)).toMatchObject({ ok: true });
    expect(tokenRequests).toEqual([
      expect.objectContaining({
        grant_type: 'refresh_token',
        refresh_token: 'refresh-1',
        client_id: 'orderpost-client',
        client_secret: 'client-secret',
      }),
    ]);
  });

  it('says auth with the endpoint’s error when the refresh token is refused', async () => {
    tokenAnswer = { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
    const created = await create({ host: `127.0.0.1:${oauthSink.port}`, login, oauth2: oauth2() });
    const result = await test(created.id);
    expect(result).toMatchObject({ ok: false, reason: 'auth' });
    expect(result.message).toContain('invalid_grant');
    expect(result.message).not.toContain('refresh-1');
  });

  it('renews an access token the server does not accept, and sends with it', async () => {
    // The first token the endpoint hands out is stale (revoked at the provider); the server answers it with a 334 challenge.
    tokenAnswers.push({ status: 200, body: { access_token: 'stale-token', expires_in: 3600 } });
    tokenAnswer = { status: 200, body: { access_token: 'access-1', expires_in: 3600 } };
    tokenRequests.length = 0;
    const created = await create({ host: `127.0.0.1:${oauthSink.port}`, login, oauth2: oauth2() });
    const sender = await t.services.mail.resolve(created.id);
    expect(sender?.via).toBe(created.id);
    await sender?.transporter.sendMail({ from: login, to: 'a@example.com', subject: 'through OAuth2', text: 'x' });
    const [received] = await oauthSink.waitFor(1);
    expect(received?.parsed.subject).toBe('through OAuth2');
    expect(received?.user).toBe(login);
    expect(tokenRequests).toHaveLength(2);
  });
});

describe('the default mailbox', () => {
  it('is reported as not set, and its test says not_configured, without SMTP_URL and MAIL_FROM', async () => {
    expect(await json(await t.call('GET', '/v1/mailboxes/default'), defaultMailbox)).toEqual({
      configured: false,
      host: null,
      port: null,
      from: null,
      replyTo: null,
      dkim: false,
    });
    const res = await t.call('POST', '/v1/mailboxes/default/test');
    expect(res.status).toBe(200);
    expect(await json(res, mailboxTestResult)).toMatchObject({ ok: false, reason: 'not_configured' });
  });

  it('shows its From and the seller’s reply-to, and passes its test', async () => {
    const withDefault = await createTestContext({ config: { SMTP_URL: authSink.url, MAIL_FROM: 'Orderpost <noreply@orderpost.example>' } });
    try {
      await withDefault.call('PATCH', '/v1/settings', { replyToEmail: 'sklep@example.pl', replyToName: 'Kawiarnia Online' });
      const info = await json(await withDefault.call('GET', '/v1/mailboxes/default'), defaultMailbox);
      expect(info).toEqual({
        configured: true,
        host: '127.0.0.1',
        port: authSink.port,
        from: { name: 'Kawiarnia Online', address: 'noreply@orderpost.example' },
        replyTo: { name: 'Kawiarnia Online', address: 'sklep@example.pl' },
        dkim: false,
      });
      expect(JSON.stringify(info)).not.toContain(password);
      expect(await json(await withDefault.call('POST', '/v1/mailboxes/default/test'), mailboxTestResult)).toMatchObject({ ok: true });
    } finally {
      await withDefault.close();
    }
  });

  it('fails its test with auth when SMTP_URL has the wrong password', async () => {
    const wrong = await createTestContext({
      config: { SMTP_URL: `smtp://${encodeURIComponent(login)}:nope@127.0.0.1:${authSink.port}`, MAIL_FROM: 'noreply@orderpost.example' },
    });
    try {
      expect(await json(await wrong.call('POST', '/v1/mailboxes/default/test'), mailboxTestResult)).toMatchObject({
        ok: false,
        reason: 'auth',
      });
    } finally {
      await wrong.close();
    }
  });
});
