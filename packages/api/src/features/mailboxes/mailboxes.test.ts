import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { mailbox, mailboxList } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, errorBody, json, type TestContext } from '../../../test/context.js';
import { mailboxes, templates } from '../../db/schema/index.js';

let t: TestContext;
let now = new Date('2027-02-01T10:00:00Z');
beforeAll(async () => {
  t = await createTestContext({ clock: () => now });
});
afterAll(() => t.close());

const password = 'Sekret-hasło-42!';
const baseInput = {
  name: 'Sklep Gmail',
  host: 'smtp.example.pl',
  security: 'starttls',
  login: 'sklep@example.pl',
  password,
  fromEmail: 'sklep@example.pl',
  fromName: 'Kawiarnia Online',
};

async function create(overrides: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/v1/mailboxes', { ...baseInput, ...overrides });
  expect(res.status, await res.clone().text()).toBe(201);
  return json(res, mailbox);
}

async function storedRow(id: number) {
  const [row] = await t.database.db.select().from(mailboxes).where(eq(mailboxes.id, id));
  if (!row) throw new Error(`mailbox ${id} is not stored`);
  return row;
}

describe('creating, reading, changing and deleting mailboxes', () => {
  it('creates a mailbox and shows it without its password', async () => {
    const created = await create();
    expect(created).toMatchObject({
      name: 'Sklep Gmail',
      host: 'smtp.example.pl',
      port: 587,
      security: 'starttls',
      login: 'sklep@example.pl',
      authKind: 'password',
      hasPassword: true,
      oauth2: null,
      fromEmail: 'sklep@example.pl',
      fromName: 'Kawiarnia Online',
      valid: true,
      consecutiveFailures: 0,
      lastError: null,
      createdAt: now.toISOString(),
    });
    const read = await json(await t.call('GET', `/v1/mailboxes/${created.id}`), mailbox);
    expect(read).toEqual(created);
    const list = await json(await t.call('GET', '/v1/mailboxes'), mailboxList);
    expect(list.mailboxes.map((m) => m.id)).toContain(created.id);
  });

  it('never sends a secret back, in any answer', async () => {
    const oauth = await create({
      name: 'OAuth',
      password: undefined,
      oauth2: {
        clientId: 'client-1',
        clientSecret: 'client-secret-xyz',
        refreshToken: 'refresh-token-xyz',
        tokenUrl: 'https://oauth.example/token',
      },
    });
    const plain = await create({ name: 'Plain' });
    const answers = [
      await t.call('GET', '/v1/mailboxes'),
      await t.call('GET', `/v1/mailboxes/${oauth.id}`),
      await t.call('GET', `/v1/mailboxes/${plain.id}`),
      await t.call('PATCH', `/v1/mailboxes/${plain.id}`, { name: 'Plain 2' }),
      await t.call('PATCH', `/v1/mailboxes/${oauth.id}`, { oauth2: { clientId: 'client-2', tokenUrl: 'https://oauth.example/token' } }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const secret of [password, 'client-secret-xyz', 'refresh-token-xyz']) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/"(password|secret|clientSecret|refreshToken)":/);
    }
    expect(oauth).toMatchObject({
      authKind: 'oauth2',
      hasPassword: false,
      oauth2: { clientId: 'client-1', tokenUrl: 'https://oauth.example/token' },
    });
  });

  it('stores the password encrypted, not as written', async () => {
    const created = await create({ name: 'Encrypted' });
    const row = await storedRow(created.id);
    expect(row.secret).toBeTruthy();
    expect(row.secret).not.toContain(password);
    expect(row.secret).not.toContain(Buffer.from(password).toString('base64'));
    expect(row.secret).toMatch(/^v1\./);
    // Two saves of the same password differ (a fresh IV each time).
    const again = await create({ name: 'Encrypted again' });
    expect((await storedRow(again.id)).secret).not.toBe(row.secret);
    expect(JSON.parse(t.services.secrets.decrypt(row.secret ?? ''))).toEqual({ password });
  });

  it('keeps the password when a change leaves it out, replaces it when one is sent, removes it with null', async () => {
    const created = await create({ name: 'Keep' });
    const before = (await storedRow(created.id)).secret;
    const renamed = await json(await t.call('PATCH', `/v1/mailboxes/${created.id}`, { name: 'Kept', fromName: null }), mailbox);
    expect(renamed).toMatchObject({ name: 'Kept', fromName: null, hasPassword: true });
    expect((await storedRow(created.id)).secret).toBe(before);

    await t.call('PATCH', `/v1/mailboxes/${created.id}`, { password: 'another one' });
    expect(JSON.parse(t.services.secrets.decrypt((await storedRow(created.id)).secret ?? ''))).toEqual({ password: 'another one' });

    const cleared = await json(await t.call('PATCH', `/v1/mailboxes/${created.id}`, { password: null }), mailbox);
    expect(cleared).toMatchObject({ authKind: 'none', hasPassword: false });
    expect((await storedRow(created.id)).secret).toBeNull();
  });

  it('keeps the OAuth2 secrets when only the client id changes, and drops them when switching to a password', async () => {
    const created = await create({
      name: 'OAuth keep',
      password: undefined,
      oauth2: { clientId: 'a', clientSecret: 'cs', refreshToken: 'rt', tokenUrl: 'https://oauth.example/token' },
    });
    await t.call('PATCH', `/v1/mailboxes/${created.id}`, { oauth2: { clientId: 'b', tokenUrl: 'https://oauth.example/token2' } });
    const row = await storedRow(created.id);
    expect(row).toMatchObject({ oauthClientId: 'b', oauthTokenUrl: 'https://oauth.example/token2', authKind: 'oauth2' });
    expect(JSON.parse(t.services.secrets.decrypt(row.secret ?? ''))).toEqual({ clientSecret: 'cs', refreshToken: 'rt' });

    const switched = await json(await t.call('PATCH', `/v1/mailboxes/${created.id}`, { password: 'pw' }), mailbox);
    expect(switched).toMatchObject({ authKind: 'password', hasPassword: true, oauth2: null });
    expect(await storedRow(created.id)).toMatchObject({ oauthClientId: null, oauthTokenUrl: null });
  });

  it('makes an invalid mailbox valid again when it is saved, and resets its failure count', async () => {
    const created = await create({ name: 'Broken' });
    await t.database.db
      .update(mailboxes)
      .set({ valid: false, consecutiveFailures: 5, invalidNotifiedAt: now, lastError: 'refused' })
      .where(eq(mailboxes.id, created.id));
    now = new Date('2027-02-01T11:00:00Z');
    const saved = await json(await t.call('PATCH', `/v1/mailboxes/${created.id}`, {}), mailbox);
    expect(saved).toMatchObject({ valid: true, consecutiveFailures: 0, updatedAt: now.toISOString() });
    expect((await storedRow(created.id)).invalidNotifiedAt).toBeNull();
  });

  it('deletes a mailbox; templates that used it fall back to the default one', async () => {
    const created = await create({ name: 'Going' });
    const [template] = await t.database.db
      .insert(templates)
      .values({ name: 'T', subject: 'S', format: 'text', content: 'C', mailboxId: created.id })
      .returning();
    const res = await t.call('DELETE', `/v1/mailboxes/${created.id}`);
    expect(res.status).toBe(204);
    expect((await t.call('GET', `/v1/mailboxes/${created.id}`)).status).toBe(404);
    const [after] = await t.database.db
      .select()
      .from(templates)
      .where(eq(templates.id, template?.id ?? 0));
    expect(after?.mailboxId).toBeNull();
  });

  it.each([
    ['GET', '/v1/mailboxes/999999'],
    ['PATCH', '/v1/mailboxes/999999'],
    ['DELETE', '/v1/mailboxes/999999'],
    ['POST', '/v1/mailboxes/999999/test'],
  ])('%s %s of a mailbox that does not exist answers 404 MAILBOX_NOT_FOUND', async (method, path) => {
    const res = await t.call(method, path, method === 'PATCH' ? { name: 'x' } : undefined);
    expect(res.status).toBe(404);
    expect((await errorBody(res)).error.code).toBe('MAILBOX_NOT_FOUND');
  });
});

describe('host and port', () => {
  it.each([
    ['smtp.example.pl', 'starttls', undefined, 'smtp.example.pl', 587],
    ['smtp.example.pl', 'tls', undefined, 'smtp.example.pl', 465],
    ['smtp.example.pl', 'none', undefined, 'smtp.example.pl', 25],
    ['smtp.example.pl:2525', 'starttls', undefined, 'smtp.example.pl', 2525],
    ['SMTP.Example.PL:2525', 'starttls', 587, 'smtp.example.pl', 2525],
    ['smtp.example.pl', 'starttls', 2526, 'smtp.example.pl', 2526],
    ['127.0.0.1:1025', 'none', undefined, '127.0.0.1', 1025],
    ['[2001:db8::1]:587', 'starttls', undefined, '2001:db8::1', 587],
    ['2001:db8::1', 'tls', undefined, '2001:db8::1', 465],
    ['poczta.zażółć.pl:465', 'tls', undefined, 'poczta.xn--za-6ja4f8n1l.pl', 465],
  ])('reads %s (%s, port %s) as %s port %i', async (host, security, port, storedHost, storedPort) => {
    const created = await create({ host, security, port });
    expect(created).toMatchObject({ host: storedHost, port: storedPort });
  });

  it('a port in the host wins when the host changes; a separate port alone changes only the port', async () => {
    const created = await create({ host: 'smtp.example.pl:2525' });
    const moved = await json(await t.call('PATCH', `/v1/mailboxes/${created.id}`, { host: 'mail.example.pl:587', port: 25 }), mailbox);
    expect(moved).toMatchObject({ host: 'mail.example.pl', port: 587 });
    const portOnly = await json(await t.call('PATCH', `/v1/mailboxes/${created.id}`, { port: 465 }), mailbox);
    expect(portOnly).toMatchObject({ host: 'mail.example.pl', port: 465 });
    const hostOnly = await json(await t.call('PATCH', `/v1/mailboxes/${created.id}`, { host: 'smtp2.example.pl' }), mailbox);
    expect(hostOnly).toMatchObject({ host: 'smtp2.example.pl', port: 465 });
  });

  it.each([
    ['a URL', 'smtp://smtp.example.pl'],
    ['a port that is no number', 'smtp.example.pl:abc'],
    ['port 0', 'smtp.example.pl:0'],
    ['a port above 65535', 'smtp.example.pl:70000'],
    ['a space', 'smtp example.pl'],
    ['a slash', 'smtp.example.pl/x'],
    ['an empty host', ''],
    ['only a port', ':587'],
    ['brackets around a name', '[smtp.example.pl]:25'],
  ])('refuses %s as host with 400 and the field', async (_label, host) => {
    const res = await t.call('POST', '/v1/mailboxes', { ...baseInput, host });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.field).toBe('host');
  });
});

describe('bad input', () => {
  it.each([
    ['no name', { name: undefined }, 'REQUIRED_FIELD', 'name'],
    ['an unknown security', { security: 'ssl' }, 'INVALID_VALUE', 'security'],
    // zod reports a missing enum as a value outside it.
    ['no security', { security: undefined }, 'INVALID_VALUE', 'security'],
    ['a From that is no address', { fromEmail: 'sklep(at)example.pl' }, 'INVALID_EMAIL', 'fromEmail'],
    ['a port out of range', { port: 65536 }, 'INVALID_VALUE', 'port'],
    ['a password without login', { login: undefined }, 'REQUIRED_FIELD', 'login'],
    ['a login without password', { password: undefined }, 'REQUIRED_FIELD', 'password'],
    [
      'a password and OAuth2 at once',
      { oauth2: { clientId: 'a', refreshToken: 'r', tokenUrl: 'https://oauth.example/token' } },
      'INVALID_VALUE',
      'oauth2',
    ],
    [
      'OAuth2 without a refresh token',
      { password: undefined, oauth2: { clientId: 'a', tokenUrl: 'https://oauth.example/token' } },
      'REQUIRED_FIELD',
      'oauth2.refreshToken',
    ],
    [
      'an http token URL to another machine',
      { password: undefined, oauth2: { clientId: 'a', refreshToken: 'r', tokenUrl: 'http://oauth.example/token' } },
      'INVALID_VALUE',
      'oauth2.tokenUrl',
    ],
    ['an unknown field', { colour: 'red' }, 'UNKNOWN_FIELD', 'colour'],
    ['the encrypted column as a field', { secret: 'x' }, 'UNKNOWN_FIELD', 'secret'],
  ])('refuses %s with 400, code and field', async (_label, overrides, code, field) => {
    const before = await json(await t.call('GET', '/v1/mailboxes'), mailboxList);
    const res = await t.call('POST', '/v1/mailboxes', { ...baseInput, ...overrides });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error).toMatchObject({ code, field });
    expect(await json(await t.call('GET', '/v1/mailboxes'), mailboxList)).toEqual(before);
  });
});

describe('hostile input', () => {
  it.each([
    ['CR LF in the display name', { fromName: 'Shop\r\nBcc: victim@example.com' }, 'fromName'],
    ['LF in the display name', { fromName: 'Shop\nBcc: victim@example.com' }, 'fromName'],
    ['CR LF in the host', { host: 'smtp.example.pl\r\nRCPT TO:<x@evil.pl>' }, 'host'],
    ['LF in the login', { login: 'sklep@example.pl\nAUTH' }, 'login'],
    ['CR LF in the password', { password: 'pw\r\nQUIT' }, 'password'],
    ['CR LF in the From address', { fromEmail: 'sklep@example.pl\r\nBcc: x@evil.pl' }, 'fromEmail'],
    ['a text-direction override in the name', { name: 'Shop \u202egnp.exe' }, 'name'],
    ['a lone surrogate in the display name', { fromName: 'Shop \ud800' }, 'fromName'],
  ])('refuses %s with 400 and the field', async (_label, overrides, field) => {
    const res = await t.call('POST', '/v1/mailboxes', { ...baseInput, ...overrides });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.field).toBe(field);
  });

  it('refuses CR/LF in a changed display name too, and keeps the old one', async () => {
    const created = await create({ name: 'Hostile patch' });
    const res = await t.call('PATCH', `/v1/mailboxes/${created.id}`, { fromName: 'x\r\nBcc: y@evil.pl' });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.field).toBe('fromName');
    expect((await storedRow(created.id)).fromName).toBe('Kawiarnia Online');
  });
});

describe('roles', () => {
  it.each(['agent', 'integration'] as const)('%s may not list, create or test mailboxes (403)', async (role) => {
    for (const [method, path, body] of [
      ['GET', '/v1/mailboxes', undefined],
      ['POST', '/v1/mailboxes', baseInput],
      ['GET', '/v1/mailboxes/default', undefined],
      ['POST', '/v1/mailboxes/default/test', undefined],
    ] as const) {
      const res = await t.call(method, path, body, { role });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await errorBody(res)).error.code).toBe('FORBIDDEN_ROLE');
    }
  });
});

describe('without SECRET_KEY', () => {
  it('PostgreSQL refuses to store a password (503 SECRET_KEY_MISSING); the embedded database makes its key file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orderpost-keyless-'));
    const keyless = await createTestContext({ config: { SECRET_KEY: undefined, DATA_DIR: dataDir } });
    try {
      const withPassword = await keyless.call('POST', '/v1/mailboxes', baseInput);
      const withoutPassword = await keyless.call('POST', '/v1/mailboxes', { ...baseInput, login: undefined, password: undefined });
      expect(withoutPassword.status).toBe(201);
      if (keyless.database.kind === 'postgres') {
        expect(withPassword.status).toBe(503);
        expect((await errorBody(withPassword)).error.code).toBe('SECRET_KEY_MISSING');
        expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
      } else {
        expect(withPassword.status).toBe(201);
        expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
      }
    } finally {
      await keyless.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
