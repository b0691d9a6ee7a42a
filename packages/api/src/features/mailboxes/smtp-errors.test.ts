import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './smtp-errors.js';

/** An error shaped as nodemailer hands it over. */
const smtpError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('classifySmtpError', () => {
  it.each([
    ['a name that does not resolve', smtpError('getaddrinfo ENOTFOUND smtp.x.invalid', { code: 'EDNS', originalCode: 'ENOTFOUND' }), 'dns'],
    ['a DNS server that does not answer', smtpError('queryA EAI_AGAIN smtp.x.pl', { code: 'EDNS', originalCode: 'EAI_AGAIN' }), 'dns'],
    [
      'a refused connection',
      smtpError('connect ECONNREFUSED 127.0.0.1:25', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }),
      'refused',
    ],
    ['an unreachable host', smtpError('connect EHOSTUNREACH 10.0.0.1:25', { code: 'ESOCKET', originalCode: 'EHOSTUNREACH' }), 'refused'],
    ['a failed STARTTLS', smtpError('Error initiating TLS', { code: 'ETLS', command: 'STARTTLS' }), 'tls'],
    [
      'plain SMTP on a TLS port',
      smtpError('wrong version number', { code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }),
      'tls',
    ],
    [
      'a self-signed certificate',
      smtpError('self-signed certificate', { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      'tls',
    ],
    [
      'a certificate for another name',
      smtpError("Hostname/IP does not match certificate's altnames", { code: 'ESOCKET', originalCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
      'tls',
    ],
    [
      'a wrong password',
      smtpError('Invalid login: 535 5.7.8 Authentication failed', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }),
      'auth',
    ],
    [
      'a refused OAuth2 refresh',
      smtpError('invalid_grant: Token has been expired or revoked.', { code: 'EAUTH', originalCode: 'EOAUTH2', command: 'AUTH XOAUTH2' }),
      'auth',
    ],
    ['missing credentials', smtpError('Missing credentials for "PLAIN"', { code: 'EAUTH', command: 'API' }), 'auth'],
    ['a greeting that never came', smtpError('Greeting never received', { code: 'ETIMEDOUT', command: 'CONN' }), 'timeout'],
    ['a connection closed in the middle', smtpError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }), 'dropped'],
    ['a reset connection', smtpError('read ECONNRESET', { code: 'ESOCKET', originalCode: 'ECONNRESET' }), 'dropped'],
  ])('%s is a connection failure (%s) and is tried again', (_label, error, reason) => {
    const failure = classifySmtpError(error);
    expect(failure).toMatchObject({ reason, connection: true, retry: true });
    expect(failure.message).toContain(error.message);
  });

  it.each([
    ['421 service not available', 421, 'ECONNECTION'],
    ['451 local error', 451, 'EMESSAGE'],
    ['452 too many recipients', 452, 'EENVELOPE'],
    ['503 bad sequence of commands', 503, 'EPROTOCOL'],
  ])('%s is transient: tried again, not a connection failure', (label, responseCode, code) => {
    const failure = classifySmtpError(smtpError(`Message failed: ${label}`, { code, responseCode, command: 'DATA' }));
    expect(failure).toMatchObject({ reason: 'transient', connection: false, retry: true, responseCode });
  });

  it.each([
    ['550 5.1.1 mailbox unavailable', 550, 'EENVELOPE', 'RCPT TO'],
    ['552 message too big', 552, 'EMESSAGE', 'DATA'],
    ['554 5.7.1 rejected as spam', 554, 'EMESSAGE', 'DATA'],
  ])('%s is permanent: not tried again, and the reply is in the message', (label, responseCode, code, command) => {
    const failure = classifySmtpError(smtpError(`Message failed: ${label}`, { code, responseCode, command, response: label }));
    expect(failure).toMatchObject({ reason: 'permanent', connection: false, retry: false, responseCode });
    expect(failure.message).toContain(label);
  });

  it('a message nodemailer refuses before sending (no recipients) is permanent', () => {
    expect(classifySmtpError(smtpError('No recipients defined', { code: 'EENVELOPE', command: 'API' }))).toMatchObject({
      reason: 'permanent',
      retry: false,
    });
  });

  it.each([
    ['a plain Error', new Error('something odd')],
    ['a string', 'boom'],
    ['null', null],
  ])('%s is unknown and tried again', (_label, error) => {
    expect(classifySmtpError(error)).toMatchObject({ reason: 'unknown', connection: false, retry: true });
  });
});
