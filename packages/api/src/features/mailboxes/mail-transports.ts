import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import nodemailer, { type SMTPPoolOptions, type SMTPTransportOptions, type Transporter } from 'nodemailer';
import type { SecretStore } from '../../crypto/secrets.js';
import type { Database } from '../../db/client.js';
import { mailboxes } from '../../db/schema/index.js';
import type { Logger } from '../../logger.js';
import type { AppConfig } from '../../services.js';
import type { SettingsCache } from '../settings/settings.service.js';
import { type DefaultMailboxConfig, defaultMailboxConfig } from './default-mailbox.js';
import type { SmtpFailure } from './smtp-errors.js';

export type MailboxRow = typeof mailboxes.$inferSelect;

export interface SenderAddress {
  name?: string;
  address: string;
}

/** Who sends a message and how: an own mailbox (its id) or the default one. */
export interface Sender {
  via: 'default' | number;
  from: SenderAddress;
  /** Set for the default mailbox: the seller's reply-to address from the shop settings. */
  replyTo?: SenderAddress;
  /** Pooled, shared by every message through this mailbox in this process. */
  transporter: Transporter;
}

export type SendOutcome = { ok: true } | { ok: false; failure: SmtpFailure };

/** What the secret column holds, decrypted. */
export type MailboxSecret = { password: string } | { clientSecret?: string; refreshToken: string };

export interface MailTransportsDeps {
  database: Database;
  logger: Logger;
  config: Pick<
    AppConfig,
    | 'SMTP_URL'
    | 'MAIL_FROM'
    | 'DKIM_DOMAIN'
    | 'DKIM_SELECTOR'
    | 'DKIM_PRIVATE_KEY'
    | 'MAILBOX_FAILURE_LIMIT'
    | 'SMTP_POOL_SIZE'
    | 'SMTP_TIMEOUT_SECONDS'
  >;
  settings: SettingsCache;
  secrets: SecretStore;
  clock: () => Date;
}

/** A mailbox row read this recently is used as is: resolve() runs for every message. Changes made in this process are seen at once. */
const rowCacheMs = 1000;

/**
 * Which account sends, and its pooled SMTP transport. Transporters are kept
 * per mailbox and rebuilt when the mailbox was saved since (its updatedAt
 * moved). Validity is kept in the database with single UPDATE statements, so
 * several worker processes count one mailbox's failures together and tell the
 * seller once.
 */
export class MailTransports {
  private readonly rows = new Map<number, { row: MailboxRow | null; readAt: number }>();
  private readonly transporters = new Map<number, { updatedAt: number; transporter: Transporter }>();
  private defaultTransporter: Transporter | null = null;
  private defaultConfig: DefaultMailboxConfig | null | undefined;

  constructor(private readonly deps: MailTransportsDeps) {}

  /** The default mailbox from the environment, or null when it is not configured. */
  get defaultMailbox(): DefaultMailboxConfig | null {
    if (this.defaultConfig === undefined) this.defaultConfig = defaultMailboxConfig(this.deps.config);
    return this.defaultConfig;
  }

  /**
   * The sender for a message meant for `mailboxId`: that mailbox while it is
   * valid, otherwise (and for null) the default mailbox with the seller's
   * reply-to; null when nothing can send (the message waits, `held`).
   */
  async resolve(mailboxId: number | null): Promise<Sender | null> {
    if (mailboxId !== null) {
      const row = await this.mailboxRow(mailboxId);
      if (row?.valid) {
        const transporter = await this.ownTransporter(row);
        if (transporter) return { via: row.id, from: addressOf(row.fromEmail, row.fromName), transporter };
      } else {
        this.dropTransporter(mailboxId);
      }
    }
    return this.defaultSender();
  }

  /** The default mailbox as a sender: From MAIL_FROM (named after the seller's reply-to name), Reply-To the seller's address. */
  async defaultSender(): Promise<Sender | null> {
    const config = this.defaultMailbox;
    if (!config) return null;
    const settings = await this.deps.settings.get();
    this.defaultTransporter ??= nodemailer.createTransport({
      ...this.connectionOptions(),
      url: config.url,
      pool: true,
      maxConnections: this.deps.config.SMTP_POOL_SIZE,
      ...(config.dkim ? { dkim: config.dkim } : {}),
    } satisfies SMTPPoolOptions);
    const name = settings.replyToName ?? config.from.name ?? settings.shopName;
    return {
      via: 'default',
      from: addressOf(config.from.address, name),
      ...(settings.replyToEmail ? { replyTo: addressOf(settings.replyToEmail, settings.replyToName ?? settings.shopName) } : {}),
      transporter: this.defaultTransporter,
    };
  }

  /**
   * Counts what sending through a mailbox did. A connection-kind failure
   * (DNS, refused, TLS, login, timeout, dropped) adds one; after
   * MAILBOX_FAILURE_LIMIT in a row the mailbox turns invalid and the seller
   * is told once. Anything that reached the server (sent, or a 4xx/5xx reply
   * about the message) ends the row.
   */
  async recordOutcome(mailboxId: number, result: SendOutcome): Promise<void> {
    if (result.ok || (!result.failure.connection && result.failure.reason !== 'unknown')) {
      await this.resetFailures(mailboxId);
      return;
    }
    if (!result.failure.connection) return;
    const { db } = this.deps.database;
    const limit = this.deps.config.MAILBOX_FAILURE_LIMIT;
    const [row] = await db
      .update(mailboxes)
      .set({
        consecutiveFailures: sql`${mailboxes.consecutiveFailures} + 1`,
        valid: sql`${mailboxes.valid} and ${mailboxes.consecutiveFailures} + 1 < ${limit}`,
        lastError: result.failure.message,
        lastErrorAt: this.deps.clock(),
      })
      .where(eq(mailboxes.id, mailboxId))
      .returning();
    this.rows.delete(mailboxId);
    if (row && !row.valid) await this.turnedInvalid(mailboxId);
  }

  /** Forgets what is cached about a mailbox (after it was saved, tested or deleted here). */
  forget(mailboxId: number): void {
    this.rows.delete(mailboxId);
    this.dropTransporter(mailboxId);
  }

  async close(): Promise<void> {
    for (const { transporter } of this.transporters.values()) transporter.close();
    this.transporters.clear();
    this.defaultTransporter?.close();
    this.defaultTransporter = null;
    this.rows.clear();
  }

  /** Connection, greeting, command and DNS waits: SMTP_TIMEOUT_SECONDS each. */
  connectionOptions(): SMTPTransportOptions {
    const timeout = this.deps.config.SMTP_TIMEOUT_SECONDS * 1000;
    return { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, dnsTimeout: timeout, logger: false };
  }

  /** nodemailer options for an own mailbox (its secret decrypted); throws SecretUnreadableError when the key cannot open it. */
  mailboxOptions(row: MailboxRow): SMTPTransportOptions {
    const secret = row.secret ? (JSON.parse(this.deps.secrets.decrypt(row.secret)) as MailboxSecret) : null;
    const login = row.login ?? '';
    const auth: SMTPTransportOptions['auth'] =
      row.authKind === 'password' && secret && 'password' in secret
        ? { user: login, pass: secret.password }
        : row.authKind === 'oauth2' && secret && 'refreshToken' in secret
          ? {
              type: 'OAuth2',
              user: login,
              clientId: row.oauthClientId ?? undefined,
              clientSecret: secret.clientSecret,
              refreshToken: secret.refreshToken,
              accessUrl: row.oauthTokenUrl ?? undefined,
            }
          : undefined;
    return {
      ...this.connectionOptions(),
      host: row.host,
      port: row.port,
      secure: row.security === 'tls',
      requireTLS: row.security === 'starttls',
      // "No encryption" is what the seller chose for a server whose TLS does not work: no opportunistic STARTTLS either.
      ignoreTLS: row.security === 'none',
      ...(auth ? { auth } : {}),
    };
  }

  private async mailboxRow(id: number): Promise<MailboxRow | null> {
    const cached = this.rows.get(id);
    const now = Date.now();
    if (cached && now - cached.readAt < rowCacheMs) return cached.row;
    const [row] = await this.deps.database.db.select().from(mailboxes).where(eq(mailboxes.id, id));
    this.rows.set(id, { row: row ?? null, readAt: now });
    return row ?? null;
  }

  /** The mailbox's pooled transporter, rebuilt when it was saved since; null when its secret cannot be read (it is turned invalid). */
  private async ownTransporter(row: MailboxRow): Promise<Transporter | null> {
    const cached = this.transporters.get(row.id);
    if (cached && cached.updatedAt === row.updatedAt.getTime()) return cached.transporter;
    this.dropTransporter(row.id);
    let options: SMTPTransportOptions;
    try {
      options = this.mailboxOptions(row);
    } catch (error) {
      const message = `The stored password cannot be read: ${(error as Error).message}; save the mailbox's password again`;
      this.deps.logger.error({ mailboxId: row.id, err: error }, 'mailbox secret cannot be decrypted; using the default mailbox');
      await this.deps.database.db
        .update(mailboxes)
        .set({ valid: false, lastError: message, lastErrorAt: this.deps.clock() })
        .where(eq(mailboxes.id, row.id));
      this.rows.delete(row.id);
      await this.turnedInvalid(row.id);
      return null;
    }
    const transporter = nodemailer.createTransport({ ...options, pool: true, maxConnections: this.deps.config.SMTP_POOL_SIZE });
    this.transporters.set(row.id, { updatedAt: row.updatedAt.getTime(), transporter });
    return transporter;
  }

  private dropTransporter(id: number) {
    const cached = this.transporters.get(id);
    if (!cached) return;
    this.transporters.delete(id);
    // Messages already handed to the pool finish; its idle connections close.
    cached.transporter.close();
  }

  private async resetFailures(mailboxId: number) {
    const cached = this.rows.get(mailboxId);
    // Most sends succeed on a mailbox with no failures: no write for them.
    if (cached?.row && Date.now() - cached.readAt < rowCacheMs && cached.row.consecutiveFailures === 0) return;
    await this.deps.database.db
      .update(mailboxes)
      .set({ consecutiveFailures: 0 })
      .where(and(eq(mailboxes.id, mailboxId), ne(mailboxes.consecutiveFailures, 0)));
    this.rows.delete(mailboxId);
  }

  /** Claims the one notification of this invalid spell (another process may have it) and sends it. */
  private async turnedInvalid(mailboxId: number) {
    this.dropTransporter(mailboxId);
    const [claimed] = await this.deps.database.db
      .update(mailboxes)
      .set({ invalidNotifiedAt: this.deps.clock() })
      .where(and(eq(mailboxes.id, mailboxId), eq(mailboxes.valid, false), isNull(mailboxes.invalidNotifiedAt)))
      .returning();
    if (!claimed) return;
    this.deps.logger.warn(
      { mailboxId, lastError: claimed.lastError },
      'mailbox turned invalid after repeated connection failures; its mail goes out through the default mailbox',
    );
    await this.notifyInvalid(claimed);
  }

  private async notifyInvalid(row: MailboxRow) {
    const settings = await this.deps.settings.get();
    const sender = await this.defaultSender();
    const to = settings.notificationEmail;
    if (!sender || !to) {
      this.deps.logger.warn(
        { mailboxId: row.id, defaultMailbox: sender !== null, notificationEmail: to !== null },
        'the seller could not be told by e-mail that the mailbox turned invalid (no default mailbox or no notification address)',
      );
      return;
    }
    const fallback = sender.from.name ? `${sender.from.name} <${sender.from.address}>` : sender.from.address;
    const replies = sender.replyTo ? `, with replies going to ${sender.replyTo.address}` : '';
    try {
      await sender.transporter.sendMail({
        from: sender.from,
        to,
        subject: `Mailbox "${row.name}" stopped working: e-mail goes out from the default mailbox`,
        text: [
          `Orderpost could not connect to or log in to the mailbox "${row.name}" (${row.login ?? 'no login'} at ${row.host}:${row.port}) ${row.consecutiveFailures} times in a row.`,
          '',
          `Last error: ${row.lastError ?? 'unknown'}`,
          '',
          `Until it works again, e-mail meant for it is sent from the default mailbox (${fallback}${replies}).`,
          '',
          'To fix it, check the mailbox settings (server, port, security, login, password) and save them, or run its connection test;',
          'either makes it valid again.',
        ].join('\n'),
      });
    } catch (error) {
      this.deps.logger.error({ mailboxId: row.id, err: error }, 'the notification about an invalid mailbox could not be sent');
    }
  }
}

function addressOf(address: string, name: string | null | undefined): SenderAddress {
  return name ? { name, address } : { address };
}
