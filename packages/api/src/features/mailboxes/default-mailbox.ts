import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { emailAddress } from '@orderpost/shared';
import addressparser from 'nodemailer/lib/addressparser';
import { ConfigError } from '../../env.js';
import type { AppConfig } from '../../services.js';

export type DefaultMailboxSettings = Pick<AppConfig, 'SMTP_URL' | 'MAIL_FROM' | 'DKIM_DOMAIN' | 'DKIM_SELECTOR' | 'DKIM_PRIVATE_KEY'>;

/** The system's own sending account, read from SMTP_URL, MAIL_FROM and the DKIM_* variables. */
export interface DefaultMailboxConfig {
  url: string;
  host: string;
  port: number;
  from: { name?: string; address: string };
  dkim?: { domainName: string; keySelector: string; privateKey: string };
}

/**
 * The default mailbox, or null when SMTP_URL or MAIL_FROM is not set (mail is
 * then kept queued). Throws ConfigError for a MAIL_FROM that is no address,
 * DKIM half set up, or a DKIM key file that cannot be read, so `npm start`
 * stops with the reason instead of failing every message later.
 */
export function defaultMailboxConfig(config: DefaultMailboxSettings): DefaultMailboxConfig | null {
  if (!config.SMTP_URL || !config.MAIL_FROM) return null;
  if (!URL.canParse(config.SMTP_URL))
    throw new ConfigError('Invalid configuration:\n  SMTP_URL: is not a URL such as smtp://user:pass@host:587');
  const url = new URL(config.SMTP_URL);
  const secure = url.protocol === 'smtps:';
  // nodemailer's own defaults for a URL without a port.
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  return {
    url: config.SMTP_URL,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    from: mailFrom(config.MAIL_FROM),
    ...dkimOf(config),
  };
}

function mailFrom(value: string): DefaultMailboxConfig['from'] {
  const parsed = addressparser(value);
  const [first] = parsed;
  if (parsed.length !== 1 || !first || first.group || !emailAddress(254).safeParse(first.address).success) {
    throw new ConfigError(`Invalid configuration:\n  MAIL_FROM: must be one address, "shop@example.com" or "Shop <shop@example.com>"`);
  }
  return first.name ? { name: first.name, address: first.address } : { address: first.address };
}

function dkimOf(config: DefaultMailboxSettings): Pick<DefaultMailboxConfig, 'dkim'> {
  const { DKIM_DOMAIN: domainName, DKIM_SELECTOR: keySelector, DKIM_PRIVATE_KEY: key } = config;
  if (!domainName && !keySelector && !key) return {};
  if (!domainName || !keySelector || !key) {
    throw new ConfigError('Invalid configuration:\n  DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY: set all three to sign mail, or none');
  }
  let privateKey = key;
  if (!key.includes('-----BEGIN')) {
    try {
      privateKey = readFileSync(key, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration:\n  DKIM_PRIVATE_KEY: is neither a PEM key nor a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
  }
  try {
    createPrivateKey(privateKey);
  } catch {
    throw new ConfigError('Invalid configuration:\n  DKIM_PRIVATE_KEY: is not a private key in PEM form');
  }
  return { dkim: { domainName, keySelector, privateKey } };
}

/** The start-up line about the default mailbox. */
export function describeDefaultMailbox(config: DefaultMailboxSettings): string {
  const mailbox = defaultMailboxConfig(config);
  if (!mailbox) return 'default mailbox not set: e-mail is kept queued until SMTP_URL and MAIL_FROM are set';
  const from = mailbox.from.name ? `${mailbox.from.name} <${mailbox.from.address}>` : mailbox.from.address;
  const dkim = mailbox.dkim ? `, DKIM ${mailbox.dkim.keySelector}._domainkey.${mailbox.dkim.domainName}` : '';
  return `default mailbox ${mailbox.host}:${mailbox.port}, From ${from}${dkim}`;
}
