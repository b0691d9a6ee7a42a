import { z } from 'zod';
import { emailAddress, requiredText, text, unicodeString } from './common.js';

/** `tls`: TLS from the first byte (usually port 465); `starttls`: plain, then upgraded, required (587); `none`: no encryption (25). */
export const mailboxSecurity = z.enum(['tls', 'starttls', 'none']);
export type MailboxSecurity = z.infer<typeof mailboxSecurity>;

/** The port a security setting implies when neither the host nor the request names one. */
export const defaultSmtpPort: Record<MailboxSecurity, number> = { tls: 465, starttls: 587, none: 25 };

const HOST_NAME = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.?$/u;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/**
 * Reads a server address as sellers type it: `smtp.example.com`,
 * `smtp.example.com:587`, `[2001:db8::1]:587` or a bare IPv6 address. Returns
 * the host (lower case, IPv6 without brackets) and the port written after it,
 * or a reason it is not one.
 */
export function parseServerAddress(value: string): { host: string; port: number | null } | { problem: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    return { problem: 'write the server name only, such as "smtp.example.com:587", without "smtp://"' };
  let host = value;
  let portText: string | null = null;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? null;
    if (!host.includes(':') || !IPV6.test(host)) return { problem: 'only an IPv6 address goes between [ and ]' };
  } else if ((value.match(/:/g) ?? []).length === 1) {
    const colon = value.indexOf(':');
    host = value.slice(0, colon);
    portText = value.slice(colon + 1);
  } else if (value.includes(':')) {
    if (!IPV6.test(value)) return { problem: 'is not a server name, IP address or name:port' };
    return { host: value.toLowerCase(), port: null };
  }
  if (!bracketed && !HOST_NAME.test(host)) return { problem: 'is not a server name such as "smtp.example.com"' };
  if (portText === null) return { host: host.toLowerCase().replace(/\.$/, ''), port: null };
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
    return { problem: 'the port after ":" must be a number from 1 to 65535' };
  return { host: host.toLowerCase().replace(/\.$/, ''), port: Number(portText) };
}

/** `host` or `host:port`; the port written here wins over a separate `port` field. */
export const serverAddress = text(255)
  .min(1)
  .transform((value, ctx) => {
    const parsed = parseServerAddress(value);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed;
  });

export const smtpPort = z.number().int().min(1).max(65535);

/** Passwords and tokens: kept as sent (no trimming), but no control characters (they would break the SMTP AUTH line). */
const secretValue = (max: number) =>
  unicodeString()
    .min(1)
    .max(max)
    .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters');

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** The OAuth2 token endpoint: https, or http on this machine only (a refresh token must not cross a network in clear). */
export const tokenUrl = text(500).refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}, 'must be an https URL (http only on localhost)');

/** XOAUTH2: nodemailer fetches an access token from `tokenUrl` with the refresh token and renews it when it runs out. */
export const mailboxOAuth2Input = z.strictObject({
  clientId: requiredText(500),
  clientSecret: secretValue(2000).optional(),
  refreshToken: secretValue(4000).optional(),
  tokenUrl,
});

const mailboxFields = {
  name: requiredText(100),
  host: serverAddress,
  port: smtpPort,
  security: mailboxSecurity,
  login: text(254).min(1).nullable(),
  password: secretValue(1000).nullable(),
  oauth2: mailboxOAuth2Input.nullable(),
  fromEmail: emailAddress(254),
  fromName: text(120).nullable(),
};

/**
 * A new mailbox. `host` may carry the port (`smtp.example.com:587`); a
 * separate `port` counts only when the host has none, and without either the
 * security decides (465 tls, 587 starttls, 25 none). Password and OAuth2 are
 * exclusive; either needs a login.
 */
export const mailboxInput = z.strictObject({
  ...mailboxFields,
  port: smtpPort.optional(),
  login: mailboxFields.login.optional(),
  password: mailboxFields.password.optional(),
  oauth2: mailboxFields.oauth2.optional(),
  fromName: mailboxFields.fromName.optional(),
});
export type MailboxInput = z.infer<typeof mailboxInput>;

/** Only the fields sent change; a password or OAuth2 secret left out stays as it was, `null` removes it. */
export const mailboxPatch = z.strictObject({
  name: mailboxFields.name.optional(),
  host: mailboxFields.host.optional(),
  port: mailboxFields.port.optional(),
  security: mailboxFields.security.optional(),
  login: mailboxFields.login.optional(),
  password: mailboxFields.password.optional(),
  oauth2: mailboxFields.oauth2.optional(),
  fromEmail: mailboxFields.fromEmail.optional(),
  fromName: mailboxFields.fromName.optional(),
});
export type MailboxPatch = z.infer<typeof mailboxPatch>;

/** A mailbox as the API shows it: secrets only as `has…` flags, never their values. */
export const mailbox = z.object({
  id: z.number().int(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: mailboxSecurity,
  login: z.string().nullable(),
  authKind: z.enum(['password', 'oauth2', 'none']),
  hasPassword: z.boolean(),
  /** OAuth2 accounts: the client id and token endpoint (the client secret and refresh token are never shown). */
  oauth2: z.object({ clientId: z.string(), tokenUrl: z.string() }).nullable(),
  fromEmail: z.string(),
  fromName: z.string().nullable(),
  /** False after repeated connection failures: its mail goes out through the default mailbox until it is saved or passes a test. */
  valid: z.boolean(),
  consecutiveFailures: z.number().int(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Mailbox = z.infer<typeof mailbox>;

export const mailboxList = z.object({ mailboxes: z.array(mailbox) });

/** Why sending or a connection test failed (see smtp-errors.ts in the API). */
export const smtpFailureReason = z.enum(['dns', 'refused', 'tls', 'auth', 'timeout', 'dropped', 'transient', 'permanent', 'unknown']);
export type SmtpFailureReason = z.infer<typeof smtpFailureReason>;

/**
 * The answer of a connection test (always 200: a failing server is a result,
 * not an API error). `reason` is null when it passed, `not_configured` when
 * there is no default mailbox to test.
 */
export const mailboxTestResult = z.object({
  ok: z.boolean(),
  reason: z.union([smtpFailureReason, z.literal('not_configured')]).nullable(),
  message: z.string(),
  /** The SMTP reply code, when the server gave one. */
  responseCode: z.number().int().optional(),
});
export type MailboxTestResult = z.infer<typeof mailboxTestResult>;

const namedAddress = z.object({ name: z.string().nullable(), address: z.string() });

/** The system's own sending account (SMTP_URL, MAIL_FROM): what mail without a mailbox of its own goes out with. */
export const defaultMailbox = z.object({
  configured: z.boolean(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  from: namedAddress.nullable(),
  /** The shop settings' reply-to address and name, so replies reach the seller. */
  replyTo: namedAddress.nullable(),
  dkim: z.boolean(),
});
export type DefaultMailbox = z.infer<typeof defaultMailbox>;
