import type { SmtpFailureReason } from '@orderpost/shared';

/**
 * What went wrong talking to an SMTP server, in the terms the delivery worker
 * and the seller need: `connection` failures (the mailbox could not be reached
 * or logged into) count toward turning a mailbox invalid; `retry` says the
 * same message may go through later (4xx replies and connection faults), a
 * 5xx reply is permanent.
 */
export interface SmtpFailure {
  reason: SmtpFailureReason;
  connection: boolean;
  retry: boolean;
  /** For people: what happened, with the server's reply when there was one. */
  message: string;
  responseCode?: number;
}

/** The fields nodemailer (and Node's sockets) put on the errors they hand over. */
interface SmtpErrorFields {
  message?: unknown;
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
}

const DNS_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_NODATA',
  'EAI_FAIL',
  'ENODATA',
  'ESERVFAIL',
  'ENOTIMP',
  'EREFUSED',
]);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** OpenSSL and certificate failures: Node names them ERR_SSL_…, ERR_TLS_…, CERT_…, or after the check that failed. */
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$)/;
/** Errors nodemailer raises before anything is sent that will be raised again for the same message. */
const PERMANENT_LOCAL_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EREQUIRETLS', 'EMAXRECIPIENTS', 'ECONFIG', 'EFILEACCESS', 'EURLACCESS']);

const LEADS: Record<SmtpFailureReason, string> = {
  dns: 'The server name was not found (DNS)',
  refused: 'The server refused the connection (nothing answers on that host and port)',
  tls: 'The TLS connection failed (check the security setting and the port; or the server certificate is not valid)',
  auth: 'Login failed (check the login and password, or the OAuth2 settings)',
  timeout: 'The server did not answer in time',
  dropped: 'The connection was closed unexpectedly',
  transient: 'The server refused the message for now (temporary failure; it will be tried again)',
  permanent: 'The server rejected the message',
  unknown: 'Sending failed',
};

/** Sorts any error from nodemailer (or a socket) into an SmtpFailure. */
export function classifySmtpError(error: unknown): SmtpFailure {
  const fields: SmtpErrorFields = typeof error === 'object' && error !== null ? (error as SmtpErrorFields) : {};
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const original = typeof fields.originalCode === 'string' ? fields.originalCode : undefined;
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
  const command = typeof fields.command === 'string' ? fields.command : '';
  const detail =
    typeof fields.message === 'string' && fields.message !== '' ? fields.message : error instanceof Error ? error.name : String(error);
  const reason = reasonOf(code, original, responseCode, command);
  const connection = ['dns', 'refused', 'tls', 'auth', 'timeout', 'dropped'].includes(reason);
  return {
    reason,
    connection,
    retry: reason !== 'permanent',
    message: `${LEADS[reason]}: ${detail}`,
    ...(responseCode !== undefined ? { responseCode } : {}),
  };
}

function reasonOf(
  code: string | undefined,
  original: string | undefined,
  responseCode: number | undefined,
  command: string,
): SmtpFailureReason {
  const either = (test: (value: string) => boolean) => (code !== undefined && test(code)) || (original !== undefined && test(original));
  if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'EOAUTH2' || command.startsWith('AUTH')) return 'auth';
  if (code === 'EDNS' || either((value) => DNS_CODES.has(value))) return 'dns';
  if (code === 'ETLS' || either((value) => TLS_CODE.test(value))) return 'tls';
  if (either((value) => REFUSED_CODES.has(value))) return 'refused';
  if (code === 'ETIMEDOUT' || original === 'ETIMEDOUT') return 'timeout';
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    // 503 (bad sequence of commands) is the session's state, not a verdict on the message.
    return responseCode >= 500 && responseCode !== 503 ? 'permanent' : 'transient';
  }
  if (code === 'ECONNECTION' || code === 'ESOCKET' || either((value) => DROPPED_CODES.has(value))) return 'dropped';
  if (code !== undefined && PERMANENT_LOCAL_CODES.has(code)) return 'permanent';
  if (code === 'EMAXLIMIT') return 'transient';
  return 'unknown';
}
