import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** What the sink does with the next messages: accept, answer a code, or drop the connection. */
export type SinkBehaviour = { kind: 'accept' } | { kind: 'reply'; code: number; message?: string } | { kind: 'drop' };

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  /** The authenticated user, when the sink demanded a login. */
  user?: string;
}

export interface SmtpSinkOptions {
  /**
   * Demand AUTH PLAIN/LOGIN with these credentials (or XOAUTH2 with `accessToken`). The object is read at
   * each login, so a test may change it (a new access token) while the sink runs.
   */
  auth?: { user: string; pass?: string; accessToken?: string };
  /** Extra smtp-server options (TLS keys, size, …). */
  server?: Partial<SMTPServerOptions>;
  /** Skip parsing with mailparser (benchmarks: count only). */
  countOnly?: boolean;
  /** Wait this long before answering each message (a slow server: a batch takes a while). */
  delayMs?: number;
}

/**
 * A real SMTP server on 127.0.0.1 for tests: it receives mail over a real
 * socket, and mailparser reads what arrived. It can be told to answer
 * 421/451/550 or drop the connection for the next messages, and to demand
 * authentication.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Messages offered (DATA ended), accepted or not. */
  attempts = 0;
  private readonly plan: SinkBehaviour[] = [];
  private fallback: SinkBehaviour = { kind: 'accept' };
  private waiters: { count: number; resolve: () => void }[] = [];
  private server: SMTPServer;
  port = 0;

  constructor(private readonly options: SmtpSinkOptions = {}) {
    const auth = options.auth;
    this.server = new SMTPServer({
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !auth,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
      logger: false,
      banner: 'orderpost test sink',
      size: 50 * 1024 * 1024,
      onAuth: (credentials, _session, callback) => {
        const ok =
          auth &&
          credentials.username === auth.user &&
          (credentials.method === 'XOAUTH2' ? credentials.accessToken === auth.accessToken : credentials.password === auth.pass);
        if (!ok && credentials.method === 'XOAUTH2') {
          // As Gmail answers a stale access token: a 334 challenge with the error, so the client fetches a new token and tries again.
          callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
          return;
        }
        if (!ok) {
          callback(new Error('Invalid username or password'));
          return;
        }
        callback(null, { user: credentials.username });
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.attempts++;
          const behaviour = this.plan.shift() ?? this.fallback;
          if (behaviour.kind === 'drop') {
            // Ends the socket without an answer: the client sees a dropped connection.
            (session as unknown as { socket?: { destroy(): void } }).socket?.destroy();
            this.destroyConnection(session.id);
            return;
          }
          if (behaviour.kind === 'reply') {
            const error = new Error(behaviour.message ?? `test sink answers ${behaviour.code}`) as Error & { responseCode: number };
            error.responseCode = behaviour.code;
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks);
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          };
          const user = typeof session.user === 'string' ? session.user : undefined;
          const store = (parsed: ParsedMail) => {
            this.received.push({ envelope, raw, parsed, user });
            this.wake();
            callback();
          };
          const accept = () => {
            if (options.countOnly) store({} as ParsedMail);
            else simpleParser(raw).then(store, (error: Error) => callback(error));
          };
          if (options.delayMs) setTimeout(accept, options.delayMs);
          else accept();
        });
      },
      ...options.server,
    });
  }

  private destroyConnection(sessionId: string) {
    const connections = (this.server as unknown as { connections?: Set<{ id: string; close?: () => void; _socket?: { destroy(): void } }> })
      .connections;
    for (const connection of connections ?? []) {
      if (connection.id === sessionId) connection._socket?.destroy();
    }
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server.on('error', () => undefined);
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** smtp://127.0.0.1:port (with the demanded credentials, when any). */
  get url(): string {
    const auth = this.options.auth;
    const credentials = auth?.pass ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
    return `smtp://${credentials}127.0.0.1:${this.port}`;
  }

  /** The next messages get these answers, in order; after them the sink accepts again. */
  next(...behaviours: SinkBehaviour[]): this {
    this.plan.push(...behaviours);
    return this;
  }

  /** Every message gets this answer until changed. */
  always(behaviour: SinkBehaviour): this {
    this.fallback = behaviour;
    return this;
  }

  /** Resolves once `count` messages were accepted in all. */
  waitFor(count: number, timeoutMs = 15_000): Promise<ReceivedMail[]> {
    if (this.received.length >= count) return Promise.resolve(this.received);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`SMTP sink: ${this.received.length} of ${count} messages after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.received);
        },
      });
    });
  }

  private wake() {
    this.waiters = this.waiters.filter((waiter) => {
      if (this.received.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  return new SmtpSink(options).start();
}
