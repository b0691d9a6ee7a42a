import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { type ErrorBody, type ErrorCode, httpStatusOf } from '@orderpost/shared';
import type { App } from '../app.js';

/** The app on Node's HTTP server, with requests the parser refuses also answered in the error shape. */
export function startServer(app: App, options: { port: number; hostname: string }): ServerType {
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname });
  server.on('clientError', answerClientError);
  return server;
}

/**
 * Node's parser refuses some requests before the app sees them, answering with
 * an empty body: request line and headers together over 16 KB (Node's
 * maxHeaderSize) → 431, a request that took too long to arrive → 408, anything
 * unparsable → 400. Here they get the same `{ error: { code, message, requestId } }`
 * body as every other error.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [code, message]: [ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          'HEADERS_TOO_LARGE',
          'The request line and headers are larger than 16 KB; shorten the URL (send long input in a body) or the headers',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['REQUEST_TIMEOUT', 'The request took too long to arrive']
        : ['VALIDATION_FAILED', 'The request is not valid HTTP'];
  const requestId = randomUUID();
  const body: ErrorBody = { error: { code, message, requestId } };
  const text = JSON.stringify(body);
  const status = httpStatusOf(code);
  socket.end(
    `HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=UTF-8\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      text,
  );
}

const statusText: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };
