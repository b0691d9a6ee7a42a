import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../env.js';
import { type DefaultMailboxSettings, defaultMailboxConfig, describeDefaultMailbox } from './default-mailbox.js';

const none: DefaultMailboxSettings = {
  SMTP_URL: undefined,
  MAIL_FROM: undefined,
  DKIM_DOMAIN: undefined,
  DKIM_SELECTOR: undefined,
  DKIM_PRIVATE_KEY: undefined,
};

describe('the default mailbox from the environment', () => {
  it.each([
    ['nothing', {}],
    ['SMTP_URL alone', { SMTP_URL: 'smtp://mail.example.com' }],
    ['MAIL_FROM alone', { MAIL_FROM: 'shop@example.com' }],
  ])('with %s set is not configured, and the start-up line says mail stays queued', (_label, set) => {
    expect(defaultMailboxConfig({ ...none, ...set })).toBeNull();
    expect(describeDefaultMailbox({ ...none, ...set })).toBe(
      'default mailbox not set: e-mail is kept queued until SMTP_URL and MAIL_FROM are set',
    );
  });

  it.each([
    ['smtp://user:pass@mail.example.com', 'Shop <shop@example.com>', 'default mailbox mail.example.com:587, From Shop <shop@example.com>'],
    ['smtps://mail.example.com', 'shop@example.com', 'default mailbox mail.example.com:465, From shop@example.com'],
    ['smtp://[2001:db8::1]:2525', 'shop@example.com', 'default mailbox 2001:db8::1:2525, From shop@example.com'],
  ])('%s with %s is described as "%s", without the password', (url, from, line) => {
    const described = describeDefaultMailbox({ ...none, SMTP_URL: url, MAIL_FROM: from });
    expect(described).toBe(line);
    expect(described).not.toContain('pass');
  });

  it.each([
    ['a MAIL_FROM that is no address', { MAIL_FROM: 'the shop' }, 'MAIL_FROM'],
    ['two From addresses', { MAIL_FROM: 'a@example.com, b@example.com' }, 'MAIL_FROM'],
    ['an SMTP_URL that does not parse', { SMTP_URL: 'smtp://exa mple.com' }, 'SMTP_URL'],
    ['DKIM half set up', { DKIM_DOMAIN: 'example.com' }, 'DKIM_DOMAIN'],
    [
      'a DKIM key file that does not exist',
      { DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: '/nonexistent/dkim.pem' },
      'DKIM_PRIVATE_KEY',
    ],
    [
      'a DKIM key that is no key',
      { DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' },
      'DKIM_PRIVATE_KEY',
    ],
  ])('refuses %s with a ConfigError naming the variable', (_label, set, variable) => {
    const settings = { ...none, SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'shop@example.com', ...set };
    expect(() => defaultMailboxConfig(settings)).toThrow(ConfigError);
    expect(() => defaultMailboxConfig(settings)).toThrow(variable);
  });
});
