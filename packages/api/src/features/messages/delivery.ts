import { journalTypes } from '@orderpost/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Job, JobResult } from 'pg-boss';
import { rowsOf } from '../../db/client.js';
import { orderMessages, orders, templates } from '../../db/schema/index.js';
import type { Services } from '../../services.js';
import { type JournalEntry, writeJournal } from '../journal/journal.writer.js';
import type { SendOutcome, Sender } from '../mailboxes/mail-transports.js';
import type { SmtpFailure } from '../mailboxes/smtp-errors.js';
import type { RenderedMessage, RenderSource } from '../templates/templates.render.js';
import { ensurePageTokens } from '../orders/orders.page-token.js';
import { addNoReplyFooters, renderNotifications } from '../order-page/notification.delivery.js';
import { noticeFor } from './notice.js';

/** What delivery needs from the mailbox and template features (passed in, so each stays replaceable in tests of the other). */
/** Who sends: an own mailbox or the default one (only sendMail of its transport is used). */
export type DeliverySender = Pick<Sender, 'via' | 'from' | 'replyTo'> & { transporter: Pick<Transporter, 'sendMail'> };

export interface DeliveryPorts {
  resolveSender(mailboxId: number | null): Promise<DeliverySender | null>;
  recordOutcome(mailboxId: number, result: SendOutcome): Promise<void>;
  classify(error: unknown): SmtpFailure;
  render(source: RenderSource, orderIds: number[]): Promise<Map<number, RenderedMessage | Error>>;
}

type MessageRow = typeof orderMessages.$inferSelect;

interface Outcome {
  id: number;
  /** The attempt number this worker claimed: its outcome applies only while no other worker has claimed the message since. */
  attempt: number;
  status: 'sent' | 'failed' | 'queued' | 'held';
  /** pg-boss: completed (done with it) or failed (retry the job later with backoff). */
  job: 'completed' | 'failed';
  sentVia?: string;
  from?: { name?: string; address: string };
  replyTo?: string | null;
  rendered?: RenderedMessage;
  error?: string | null;
}

/**
 * Delivers one batch of queued e-mails (the jobs pg-boss handed this worker):
 *
 * 1. claims the rows in one UPDATE (`queued`, or `sending` with an expired
 *    lease after a worker died); rows another worker holds, or already sent,
 *    are skipped, so two workers never send one message at once;
 * 2. renders templates with the orders as they are now (one query for the
 *    orders, each template parsed once);
 * 3. sends through a pooled transport per mailbox, concurrently;
 * 4. writes every outcome and the journal rows in one transaction.
 *
 * Transient failures (4xx, dropped connections, timeouts) go back to
 * `queued` and the job fails so pg-boss retries it with backoff, until the
 * message is older than DELIVERY_MAX_AGE_HOURS; permanent ones (5xx) are
 * `failed` with the server's reply.
 */
export async function deliverBatch(services: Services, ports: DeliveryPorts, jobs: Job<{ messageId: number }>[]): Promise<JobResult[]> {
  const jobsByMessage = new Map<number, string[]>();
  for (const job of jobs) {
    const list = jobsByMessage.get(job.data.messageId) ?? [];
    list.push(job.id);
    jobsByMessage.set(job.data.messageId, list);
  }
  const ids = [...jobsByMessage.keys()];
  const claimed = await claim(services, ids);
  const claimedIds = new Set(claimed.map((row) => row.id));
  const outcomes = await sendAll(services, ports, claimed);
  services.logger.debug(
    { jobs: jobs.length, claimed: claimed.length, outcomes: outcomes.map(({ id, status, job, error }) => ({ id, status, job, error })) },
    'delivery batch',
  );

  // Not claimed: done already (sent, failed, held), gone, or another worker holds its lease. Only the
  // last is tried again later: if that worker died, the lease runs out and this job's retry sends it.
  const unclaimed = ids.filter((id) => !claimedIds.has(id));
  const stillPending = new Set(
    unclaimed.length === 0
      ? []
      : (
          await services.database.db
            .select({ id: orderMessages.id })
            .from(orderMessages)
            .where(sql`${orderMessages.id} = any(${sql.param(unclaimed)}::int[]) and ${orderMessages.status} in ('queued', 'sending')`)
        ).map((row) => row.id),
  );
  const results: JobResult[] = [];
  const outcomeById = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
  for (const [messageId, jobIds] of jobsByMessage) {
    const status = claimedIds.has(messageId)
      ? (outcomeById.get(messageId)?.job ?? 'failed')
      : stillPending.has(messageId)
        ? 'failed'
        : 'completed';
    for (const id of jobIds) results.push({ id, status });
  }
  return results;
}

async function claim(services: Services, ids: number[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  const leaseSeconds = services.config.DELIVERY_LEASE_SECONDS;
  const { db } = services.database;
  return db
    .update(orderMessages)
    .set({
      status: 'sending',
      attempts: sql`${orderMessages.attempts} + 1`,
      leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
      updatedAt: sql`now()`,
    })
    .where(
      sql`${orderMessages.id} = any(${sql.param(ids)}::int[]) and (${orderMessages.status} = 'queued' or (${orderMessages.status} = 'sending' and ${orderMessages.leaseUntil} < now()))`,
    )
    .returning();
}

async function sendAll(services: Services, ports: DeliveryPorts, rows: MessageRow[]): Promise<Outcome[]> {
  if (rows.length === 0) return [];
  const rendered = await renderAll(services, ports, rows);
  const senders = new Map<number | null, Promise<DeliverySender | null>>();
  const senderFor = (mailboxId: number | null) => {
    let sender = senders.get(mailboxId);
    if (!sender) {
      sender = ports.resolveSender(mailboxId);
      senders.set(mailboxId, sender);
    }
    return sender;
  };
  const health = new MailboxHealth();
  const maxAgeMs = services.config.DELIVERY_MAX_AGE_HOURS * 3600 * 1000;
  const now = services.clock().getTime();
  // Outcomes are written as they come, a few at a time: a worker that dies mid-batch leaves only
  // the messages of its last unwritten handful to be sent again, not the whole batch.
  const recorder = new OutcomeRecorder(services);
  // A batch can take longer than a lease (a slow or throttling server): its unsent messages' leases are
  // extended while it runs, so no other worker takes a message this one is about to send.
  const lease = new LeaseKeeper(services, rows);
  let outcomes: Outcome[];
  try {
    outcomes = await mapLimited(rows, services.config.DELIVERY_CONCURRENCY, async (row) => {
      const outcome = await sendOne(row);
      lease.release(row.id);
      return recorder.add(outcome);
    });
  } finally {
    lease.stop();
  }
  await recorder.finish();
  await health.report(ports, services.config.MAILBOX_FAILURE_LIMIT);
  return outcomes;

  async function sendOne(row: MessageRow): Promise<Outcome> {
    const message = rendered.get(row.id);
    if (!message || message instanceof Error) {
      // The template cannot be rendered for this order (deleted, or its data breaks a limit): no retry helps.
      return {
        id: row.id,
        attempt: row.attempts,
        status: 'failed',
        job: 'completed',
        error: `Could not render: ${message?.message ?? 'unknown error'}`,
      };
    }
    const sender = await senderFor(row.mailboxId);
    if (!sender) {
      return {
        id: row.id,
        attempt: row.attempts,
        status: 'held',
        job: 'completed',
        rendered: message,
        error: 'No mailbox can send: set SMTP_URL and MAIL_FROM (or a valid own mailbox)',
      };
    }
    const base = {
      id: row.id,
      attempt: row.attempts,
      sentVia: String(sender.via),
      from: sender.from,
      replyTo: message.replyTo?.address ?? sender.replyTo?.address ?? null,
      rendered: message,
    };
    if (!lease.holds(row.id)) {
      // The lease could not be kept (the database did not answer): another worker may take the message
      // now, so this one must not send it. Its job is tried again later.
      return { ...base, status: 'queued', job: 'failed', error: 'The worker lost its claim on the message before sending it' };
    }
    try {
      await sender.transporter.sendMail(mailOptions(sender, message, row.toAddress ?? '', row.messageId ?? ''));
      if (typeof sender.via === 'number') health.succeeded(sender.via);
      return { ...base, status: 'sent', job: 'completed', error: null };
    } catch (error) {
      const failure = ports.classify(error);
      if (typeof sender.via === 'number' && failure.connection) health.failed(sender.via, failure);
      const tooOld = now - row.createdAt.getTime() > maxAgeMs;
      if (failure.retry && !tooOld) return { ...base, status: 'queued', job: 'failed', error: failure.message };
      const message = tooOld && failure.retry ? `Gave up after ${row.attempts} attempt(s): ${failure.message}` : failure.message;
      return { ...base, status: 'failed', job: 'completed', error: message };
    }
  }
}

/**
 * Keeps a batch's claim on the messages it has not sent yet: every third of
 * a lease it extends their leases (one UPDATE, fenced by the attempt number
 * this worker claimed). A message whose lease it could not extend in time is
 * no longer this worker's to send.
 */
class LeaseKeeper {
  private readonly pending: Map<number, number>;
  private validUntil: number;
  private readonly timer: NodeJS.Timeout;
  private readonly leaseMs: number;

  constructor(
    private readonly services: Services,
    rows: MessageRow[],
  ) {
    this.leaseMs = services.config.DELIVERY_LEASE_SECONDS * 1000;
    this.pending = new Map(rows.map((row) => [row.id, row.attempts]));
    // The claim's lease began at the database's now(); keep a margin for clocks and the time to send.
    this.validUntil = Date.now() + this.leaseMs * 0.8;
    this.timer = setInterval(() => void this.extend(), Math.max(200, this.leaseMs / 3));
    this.timer.unref();
  }

  holds(id: number): boolean {
    return this.pending.has(id) && Date.now() < this.validUntil;
  }

  release(id: number) {
    this.pending.delete(id);
  }

  stop() {
    clearInterval(this.timer);
  }

  private async extend() {
    if (this.pending.size === 0) return;
    const started = Date.now();
    const ids = [...this.pending.keys()];
    const attempts = ids.map((id) => this.pending.get(id) ?? 0);
    try {
      const kept = await this.services.database.db.execute(sql`
        update order_messages m set lease_until = now() + make_interval(secs => ${this.leaseMs / 1000})
        from unnest(${sql.param(ids)}::int[], ${sql.param(attempts)}::int[]) as v(id, attempt)
        where m.id = v.id and m.status = 'sending' and m.attempts = v.attempt
        returning m.id`);
      const still = new Set(rowsOf<{ id: number }>(kept).map((row) => row.id));
      // A message no longer held under this attempt was taken over: not ours to send.
      for (const id of ids) if (!still.has(id)) this.pending.delete(id);
      this.validUntil = started + this.leaseMs * 0.8;
    } catch (error) {
      this.services.logger.warn({ err: error }, 'could not extend the leases of messages being sent');
    }
  }
}

/** Writes outcomes in small groups (25, or whatever is there after 50 ms), one transaction at a time. */
class OutcomeRecorder {
  private pending: Outcome[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failure: unknown = null;

  constructor(
    private readonly services: Services,
    private readonly groupSize = 25,
    private readonly delayMs = 50,
  ) {}

  add(outcome: Outcome): Outcome {
    this.pending.push(outcome);
    if (this.pending.length >= this.groupSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    return outcome;
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    this.writing = this.writing.then(() =>
      record(this.services, group).catch((error: unknown) => {
        this.failure ??= error;
      }),
    );
  }

  /** Waits for every write; throws the first failure (the batch's jobs are then retried, and their leases run out). */
  async finish(): Promise<void> {
    this.flush();
    await this.writing;
    if (this.failure) throw this.failure;
  }
}

/**
 * How own mailboxes fared in one batch, told to the mailbox feature once per
 * batch instead of once per message: a success resets the failure count; with
 * no success, each connection-kind failure counts (up to the limit that turns
 * the mailbox invalid — more calls would change nothing).
 */
class MailboxHealth {
  private readonly ok = new Set<number>();
  private readonly failures = new Map<number, SmtpFailure[]>();

  succeeded(mailboxId: number) {
    this.ok.add(mailboxId);
  }

  failed(mailboxId: number, failure: SmtpFailure) {
    this.failures.set(mailboxId, [...(this.failures.get(mailboxId) ?? []), failure]);
  }

  async report(ports: DeliveryPorts, limit: number) {
    for (const mailboxId of this.ok) await ports.recordOutcome(mailboxId, { ok: true }).catch(() => undefined);
    for (const [mailboxId, failures] of this.failures) {
      if (this.ok.has(mailboxId)) continue;
      for (const failure of failures.slice(0, limit)) await ports.recordOutcome(mailboxId, { ok: false, failure }).catch(() => undefined);
    }
  }
}

async function renderAll(services: Services, ports: DeliveryPorts, rows: MessageRow[]): Promise<Map<number, RenderedMessage | Error>> {
  const result = new Map<number, RenderedMessage | Error>();
  const byTemplate = new Map<number, MessageRow[]>();
  const notices: MessageRow[] = [];
  const notifications: MessageRow[] = [];
  for (const row of rows) {
    if (row.kind === 'page_and_email_notice') notices.push(row);
    else if (row.kind === 'customer_notification') notifications.push(row);
    else if (row.templateId !== null) byTemplate.set(row.templateId, [...(byTemplate.get(row.templateId) ?? []), row]);
    else if (row.body !== null) result.set(row.id, plainMessage(row.subject ?? '', row.body));
    else result.set(row.id, new Error('the message has neither a template nor a text'));
  }
  const { db } = services.database;
  for (const [id, message] of await renderNotifications(services, notifications)) result.set(id, message);
  if (byTemplate.size > 0) {
    const found = await db
      .select()
      .from(templates)
      .where(inArray(templates.id, [...byTemplate.keys()]));
    for (const [templateId, messages] of byTemplate) {
      const template = found.find((row) => row.id === templateId);
      if (!template) {
        for (const row of messages) result.set(row.id, new Error(`template ${templateId} no longer exists`));
        continue;
      }
      const source: RenderSource = {
        subject: template.subject,
        format: template.format,
        content: template.content,
        preheader: template.preheader,
        attachments: template.attachments,
      };
      const rendered = await ports.render(
        source,
        messages.map((row) => row.orderId),
      );
      for (const row of messages) result.set(row.id, rendered.get(row.orderId) ?? new Error('not rendered'));
    }
  }
  const settings = await services.settings.get();
  if (notices.length > 0) {
    const orderRows = await db
      .select({ id: orders.id, number: orders.number, language: orders.language, pageToken: orders.pageToken })
      .from(orders)
      .where(
        inArray(
          orders.id,
          notices.map((row) => row.orderId),
        ),
      );
    // The page's secret is made once for all orders of the batch that lack one, not per message.
    const tokens = await ensurePageTokens(
      db,
      orderRows.filter((order) => !order.pageToken).map((order) => order.id),
    );
    for (const row of notices) {
      const order = orderRows.find((candidate) => candidate.id === row.orderId);
      if (!order) result.set(row.id, new Error('the order no longer exists'));
      else result.set(row.id, noticeFor(settings, { ...order, pageToken: order.pageToken ?? tokens.get(order.id) ?? null }));
    }
  }
  await addNoReplyFooters(services, settings, rows, result);
  return result;
}

/** What nodemailer is given for one rendered message. */
export function mailOptions(sender: DeliverySender, message: RenderedMessage, to: string, messageId: string) {
  return {
    from: sender.from,
    replyTo: message.replyTo ?? sender.replyTo,
    to,
    subject: message.subject,
    text: message.text,
    html: message.html ?? undefined,
    messageId: `<${messageId}>`,
    ...(message.headers ? { headers: message.headers } : {}),
    attachments: message.attachments.map((file) => ({ filename: file.filename, contentType: file.contentType, content: file.content })),
  };
}

/** Free text goes out as written: no tags are read in it. */
function plainMessage(subject: string, body: string): RenderedMessage {
  return { subject: subject.replace(/[\r\n]+/g, ' '), html: null, text: body, preheader: null, warnings: [], attachments: [] };
}

async function record(services: Services, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const { db } = services.database;
  const now = services.clock();
  const rows = outcomes.map((outcome) => ({
    id: outcome.id,
    attempt: outcome.attempt,
    status: outcome.status,
    sentVia: outcome.sentVia ?? null,
    fromAddress: outcome.from?.address ?? null,
    fromName: outcome.from?.name ?? null,
    replyTo: outcome.replyTo ?? null,
    subject: outcome.rendered?.subject ?? null,
    html: outcome.rendered?.html ?? null,
    text: outcome.rendered?.text ?? null,
    preheader: outcome.rendered?.preheader ?? null,
    lastError: outcome.error ?? null,
    occurredAt: outcome.status === 'sent' ? now.toISOString() : null,
  }));
  await db.transaction(async (tx) => {
    // One statement for the whole batch: the values travel as one JSON parameter.
    const updated = rowsOf<{ id: number; order_id: number; status: string; message_id: string | null; subject: string | null }>(
      await tx.execute(sql`
        update order_messages m set
          status = v.status,
          sent_via = coalesce(v."sentVia", m.sent_via),
          from_address = coalesce(v."fromAddress", m.from_address),
          from_name = coalesce(v."fromName", m.from_name),
          reply_to = coalesce(v."replyTo", m.reply_to),
          subject = coalesce(v.subject, m.subject),
          html = coalesce(v.html, m.html),
          text = coalesce(v.text, m.text),
          preheader = coalesce(v.preheader, m.preheader),
          last_error = v."lastError",
          occurred_at = coalesce(v."occurredAt", m.occurred_at),
          lease_until = null,
          updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
          id int, attempt int, status text, "sentVia" text, "fromAddress" text, "fromName" text, "replyTo" text, subject text,
          html text, text text, preheader text, "lastError" text, "occurredAt" timestamptz)
        where m.id = v.id and m.status = 'sending' and m.attempts = v.attempt
        returning m.id, m.order_id, m.status, m.message_id, m.subject`),
    );
    const entries: JournalEntry[] = [];
    for (const row of updated) {
      if (row.status !== 'sent' && row.status !== 'failed') continue;
      const outcome = outcomes.find((candidate) => candidate.id === row.id);
      entries.push({
        type: row.status === 'sent' ? journalTypes.EMAIL_SENT : journalTypes.EMAIL_FAILED,
        orderId: row.order_id,
        data: {
          messageId: row.id,
          emailMessageId: row.message_id,
          subject: row.subject,
          ...(row.status === 'failed' ? { error: outcome?.error ?? null } : {}),
        },
      });
    }
    await writeJournal(tx, entries);
  });
}

/** Runs `work` over `items` with at most `limit` at once, keeping their order. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(runners);
  return results;
}

/** Messages left `held` (no mailbox could send) go back to the queue, e.g. at a start with SMTP_URL set. */
export async function releaseHeld(services: Services): Promise<number> {
  await services.queue.ready();
  return services.database.db.transaction(async (tx) => {
    const released = await tx
      .update(orderMessages)
      .set({ status: 'queued', updatedAt: services.clock() })
      .where(eq(orderMessages.status, 'held'))
      .returning({ id: orderMessages.id });
    await services.queue.enqueue(
      tx,
      'deliverEmail',
      released.map((row) => ({ data: { messageId: row.id } })),
    );
    return released.length;
  });
}
