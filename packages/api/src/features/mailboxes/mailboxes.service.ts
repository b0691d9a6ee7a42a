import { domainToASCII } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import {
  type DefaultMailbox,
  defaultSmtpPort,
  type Mailbox,
  type MailboxInput,
  type MailboxPatch,
  type MailboxTestResult,
} from '@orderpost/shared';
import nodemailer, { type SMTPTransportOptions } from 'nodemailer';
import { SecretUnreadableError } from '../../crypto/secrets.js';
import { mailboxes } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import type { MailboxRow, MailboxSecret } from './mail-transports.js';
import { classifySmtpError } from './smtp-errors.js';

export function mailboxView(row: MailboxRow): Mailbox {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    security: row.security,
    login: row.login,
    authKind: row.authKind,
    hasPassword: row.authKind === 'password' && row.secret !== null,
    oauth2: row.authKind === 'oauth2' ? { clientId: row.oauthClientId ?? '', tokenUrl: row.oauthTokenUrl ?? '' } : null,
    fromEmail: row.fromEmail,
    fromName: row.fromName,
    valid: row.valid,
    consecutiveFailures: row.consecutiveFailures,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listMailboxes(services: Services): Promise<Mailbox[]> {
  const rows = await services.database.db.select().from(mailboxes).orderBy(asc(mailboxes.id));
  return rows.map(mailboxView);
}

export async function getMailbox(services: Services, id: number): Promise<Mailbox> {
  return mailboxView(await findMailbox(services, id));
}

async function findMailbox(services: Services, id: number): Promise<MailboxRow> {
  const [row] = await services.database.db.select().from(mailboxes).where(eq(mailboxes.id, id));
  if (!row) throw new AppError('MAILBOX_NOT_FOUND', `There is no mailbox ${id}`);
  return row;
}

/** A saved mailbox is trusted again: valid, no failures counted, the next invalid spell told anew. */
const freshStanding = { valid: true, consecutiveFailures: 0, invalidNotifiedAt: null } as const;

export async function createMailbox(services: Services, input: MailboxInput): Promise<Mailbox> {
  const host = asciiHost(input.host.host);
  const auth = authOf(services, {
    login: input.login ?? null,
    password: input.password,
    oauth2: input.oauth2,
    current: null,
  });
  const now = services.clock();
  const [row] = await services.database.db
    .insert(mailboxes)
    .values({
      name: input.name,
      host,
      // The port written in the host wins; then the separate field; then the security's usual port.
      port: input.host.port ?? input.port ?? defaultSmtpPort[input.security],
      security: input.security,
      ...auth,
      fromEmail: input.fromEmail,
      fromName: input.fromName ?? null,
      ...freshStanding,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error('mailbox insert returned nothing');
  return mailboxView(row);
}

export async function updateMailbox(services: Services, id: number, patch: MailboxPatch): Promise<Mailbox> {
  const current = await findMailbox(services, id);
  const auth = authOf(services, {
    login: patch.login !== undefined ? patch.login : current.login,
    password: patch.password,
    oauth2: patch.oauth2,
    current,
  });
  const [row] = await services.database.db
    .update(mailboxes)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.host !== undefined ? { host: asciiHost(patch.host.host) } : {}),
      port: patch.host?.port ?? patch.port ?? current.port,
      ...(patch.security !== undefined ? { security: patch.security } : {}),
      ...auth,
      ...(patch.fromEmail !== undefined ? { fromEmail: patch.fromEmail } : {}),
      ...(patch.fromName !== undefined ? { fromName: patch.fromName } : {}),
      ...freshStanding,
      updatedAt: services.clock(),
    })
    .where(eq(mailboxes.id, id))
    .returning();
  if (!row) throw new AppError('MAILBOX_NOT_FOUND', `There is no mailbox ${id}`);
  services.mail.forget(id);
  return mailboxView(row);
}

/** Templates and messages that named it fall back to the default mailbox (their foreign keys are `on delete set null`). */
export async function deleteMailbox(services: Services, id: number): Promise<void> {
  const deleted = await services.database.db.delete(mailboxes).where(eq(mailboxes.id, id)).returning({ id: mailboxes.id });
  if (deleted.length === 0) throw new AppError('MAILBOX_NOT_FOUND', `There is no mailbox ${id}`);
  services.mail.forget(id);
}

type AuthColumns = Pick<MailboxRow, 'login' | 'authKind' | 'secret' | 'oauthClientId' | 'oauthTokenUrl'>;

/**
 * The login columns after a create or change: a password, or OAuth2, or
 * neither. What is left out stays (PATCH), `null` removes it, and either kind
 * of login needs a login name. Secrets are encrypted here.
 */
function authOf(
  services: Services,
  change: { login: string | null; password: string | null | undefined; oauth2: MailboxInput['oauth2']; current: MailboxRow | null },
): AuthColumns {
  const { login, password, oauth2, current } = change;
  if (typeof password === 'string' && oauth2) {
    throw new AppError('INVALID_VALUE', 'A mailbox logs in with a password or with OAuth2, not both', 'oauth2');
  }
  const seal = (secret: MailboxSecret) => services.secrets.encrypt(JSON.stringify(secret));
  const none: AuthColumns = { login, authKind: 'none', secret: null, oauthClientId: null, oauthTokenUrl: null };
  let columns: AuthColumns;
  if (typeof password === 'string') {
    columns = { ...none, authKind: 'password', secret: seal({ password }) };
  } else if (oauth2) {
    const kept = current?.authKind === 'oauth2' && current.secret ? storedSecret(services, current.secret, 'oauth2.refreshToken') : null;
    const keptOAuth = kept && 'refreshToken' in kept ? kept : null;
    const refreshToken = oauth2.refreshToken ?? keptOAuth?.refreshToken;
    if (!refreshToken) throw new AppError('REQUIRED_FIELD', 'An OAuth2 mailbox needs a refresh token', 'oauth2.refreshToken');
    const clientSecret = oauth2.clientSecret ?? keptOAuth?.clientSecret;
    columns = {
      ...none,
      authKind: 'oauth2',
      secret: seal(clientSecret === undefined ? { refreshToken } : { clientSecret, refreshToken }),
      oauthClientId: oauth2.clientId,
      oauthTokenUrl: oauth2.tokenUrl,
    };
  } else if (current && password === undefined && oauth2 === undefined) {
    columns = { ...current, login };
  } else if (
    current &&
    ((password === null && oauth2 === undefined && current.authKind === 'oauth2') ||
      (oauth2 === null && password === undefined && current.authKind === 'password'))
  ) {
    // Removing the kind of login the mailbox does not use changes nothing.
    columns = { ...pickAuth(current), login };
  } else {
    columns = none;
  }
  if (columns.authKind !== 'none' && !columns.login) {
    throw new AppError('REQUIRED_FIELD', 'A mailbox that logs in needs a login (usually its e-mail address)', 'login');
  }
  if (columns.authKind === 'none' && current === null && login) {
    throw new AppError('REQUIRED_FIELD', 'A login needs a password (or OAuth2 settings)', 'password');
  }
  return pickAuth(columns);
}

function pickAuth(row: AuthColumns): AuthColumns {
  return {
    login: row.login,
    authKind: row.authKind,
    secret: row.secret,
    oauthClientId: row.oauthClientId,
    oauthTokenUrl: row.oauthTokenUrl,
  };
}

function storedSecret(services: Services, sealed: string, field: string): MailboxSecret {
  try {
    return JSON.parse(services.secrets.decrypt(sealed)) as MailboxSecret;
  } catch (error) {
    if (error instanceof SecretUnreadableError)
      throw new AppError('REQUIRED_FIELD', `The stored secret cannot be read any more (${error.message}); send it again`, field);
    throw error;
  }
}

/** Host names go to SMTP in their ASCII (punycode) form; IP addresses stay as they are. */
function asciiHost(host: string): string {
  if (host.includes(':') || /^[0-9.]+$/.test(host)) return host;
  const ascii = domainToASCII(host);
  if (!ascii) throw new AppError('INVALID_VALUE', 'is not a server name such as "smtp.example.com"', 'host');
  return ascii;
}

// ---- connection tests -------------------------------------------------------------------------

/**
 * A real SMTP handshake and login with the mailbox's saved settings, on a
 * connection of its own (not the pool). Passing makes the mailbox valid again;
 * failing records the error but does not count toward turning it invalid.
 */
export async function testMailbox(services: Services, id: number): Promise<MailboxTestResult> {
  const row = await findMailbox(services, id);
  let result: MailboxTestResult;
  try {
    result = await verifyConnection(services.mail.mailboxOptions(row));
  } catch (error) {
    if (!(error instanceof SecretUnreadableError)) throw error;
    result = { ok: false, reason: 'auth', message: `The stored password cannot be read (${error.message}); save the password again` };
  }
  const { db } = services.database;
  if (result.ok) await db.update(mailboxes).set(freshStanding).where(eq(mailboxes.id, id));
  else await db.update(mailboxes).set({ lastError: result.message, lastErrorAt: services.clock() }).where(eq(mailboxes.id, id));
  services.mail.forget(id);
  return result;
}

/** The same test for the default mailbox (SMTP_URL). */
export async function testDefaultMailbox(services: Services): Promise<MailboxTestResult> {
  const config = services.mail.defaultMailbox;
  if (!config) return { ok: false, reason: 'not_configured', message: 'No default mailbox: set SMTP_URL and MAIL_FROM' };
  return verifyConnection({ ...services.mail.connectionOptions(), url: config.url });
}

async function verifyConnection(options: SMTPTransportOptions): Promise<MailboxTestResult> {
  const transporter = nodemailer.createTransport(options);
  try {
    await transporter.verify();
    return { ok: true, reason: null, message: 'Connected and logged in' };
  } catch (error) {
    const failure = classifySmtpError(error);
    return {
      ok: false,
      reason: failure.reason,
      message: failure.message,
      ...(failure.responseCode !== undefined ? { responseCode: failure.responseCode } : {}),
    };
  } finally {
    transporter.close();
  }
}

/** Whether the default mailbox is set up, the From it sends with and the Reply-To it adds (from the shop settings). */
export async function defaultMailboxInfo(services: Services): Promise<DefaultMailbox> {
  const config = services.mail.defaultMailbox;
  const sender = await services.mail.defaultSender();
  if (!config || !sender) return { configured: false, host: null, port: null, from: null, replyTo: null, dkim: false };
  const named = (address: { name?: string; address: string }) => ({ name: address.name ?? null, address: address.address });
  return {
    configured: true,
    host: config.host,
    port: config.port,
    from: named(sender.from),
    replyTo: sender.replyTo ? named(sender.replyTo) : null,
    dkim: config.dkim !== undefined,
  };
}
