import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/context.js';
import { testDatabaseKind } from '../../../test/database.js';
import { createProcessDatabase, killSpawned, type ProcessDatabase, spawnScript } from '../../../test/process.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { openDatabase, rowsOf, type Database } from '../../db/client.js';
import { orderMessages, orders, templates } from '../../db/schema/index.js';
import { silentLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { batchProgress, sendBatch, sendContext } from './send.service.js';

/**
 * A worker killed with SIGKILL in the middle of a bulk send, then started
 * again: nothing is lost, and the only messages sent twice are ones that were
 * in flight when it died. Worker processes share PostgreSQL (the embedded
 * database is one process's), so this runs on PostgreSQL.
 */
describe.skipIf(testDatabaseKind() !== 'postgres')('a delivery worker killed mid-batch', () => {
  let processDb: ProcessDatabase;
  let database: Database;
  let services: Services;
  let sink: SmtpSink;
  const total = 300;

  beforeAll(async () => {
    processDb = await createProcessDatabase();
    database = await openDatabase({ url: processDb.options.url, poolSize: 4 });
    // The same delivery settings as the workers: a job takes its expiry from the queue when it is enqueued.
    services = createServices({ database, logger: silentLogger, config: { ...testConfig, DELIVERY_LEASE_SECONDS: 3 } });
    // A slow server: the batch takes a few seconds, so the kill lands in its middle.
    sink = await startSmtpSink({ delayMs: 25 });
  });

  afterAll(async () => {
    killSpawned();
    await sink?.close();
    await services?.queue.stop(500);
    await database?.close();
    await processDb?.remove();
  });

  const startWorker = () =>
    spawnScript('src/index.ts', [], {
      ...processDb.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      SMTP_URL: sink.url,
      MAIL_FROM: 'Shop <shop@shop.example>',
      DELIVERY_LEASE_SECONDS: '3',
      DELIVERY_RETRY_DELAY_SECONDS: '1',
      SCHEDULER_TICK_SECONDS: '3600',
    });

  it('loses nothing, and sends twice at most the messages that were in flight', async () => {
    const { db } = database;
    const values = Array.from({ length: total }, (_, i) => ({
      number: `KILL-${i}`,
      numberCompact: `KILL${i}`,
      source: 'shop',
      statusId: 'new',
      orderedAt: new Date('2026-11-01T10:00:00Z'),
      currency: 'EUR',
      buyerName: `Buyer ${i}`,
      buyerEmail: `buyer${i}@example.com`,
      buyerEmailNorm: `buyer${i}@example.com`,
    }));
    const ids = (await db.insert(orders).values(values).returning({ id: orders.id })).map((row) => row.id);
    const [template] = await db
      .insert(templates)
      .values({ name: 'Sent', subject: 'Order [order_number] sent', format: 'text', content: 'Hello [name], it is on its way.' })
      .returning({ id: templates.id });
    const context = await sendContext(services);
    const batch = await db.transaction((tx) =>
      sendBatch(services, tx, context, null, { templateId: template?.id ?? 0, orderIds: ids, kind: 'email_only' }),
    );
    expect(batch.queued).toBe(total);

    const first = startWorker();
    await first.waitForOutput(/listening on/, 60_000);
    await sink.waitFor(40, 60_000);
    first.child.kill('SIGKILL');
    await first.exited();
    const inFlight = Number(
      rowsOf<{ count: number }>(await db.execute(sql`select count(*)::int as count from order_messages where status = 'sending'`))[0]
        ?.count ?? 0,
    );
    const receivedAtKill = sink.received.length;
    expect(receivedAtKill).toBeLessThan(total);

    const second = startWorker();
    await second.waitForOutput(/listening on/, 60_000);
    const deadline = Date.now() + 90_000;
    let progress = await batchProgress(db, batch.id);
    while (!progress.done && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      progress = await batchProgress(db, batch.id);
    }
    second.child.kill('SIGTERM');
    await second.exited();
    if (!progress.done)
      process.stdout.write(
        `second worker output:\n${second.stdout()}\n${second.stderr()}\nfirst:\n${first.stderr()}\nreceived ${sink.received.length}\n`,
      );

    expect(progress).toMatchObject({ sent: total, failed: 0, queued: 0, sending: 0 });
    const unique = new Set(sink.received.map((mail) => mail.parsed.messageId));
    expect(unique.size).toBe(total);
    const duplicates = sink.received.length - unique.size;
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    // Every message in the history says sent, with the rendered subject.
    const rows = await db.select().from(orderMessages).where(eq(orderMessages.batchId, batch.id));
    expect(rows.every((row) => row.status === 'sent' && /^Order KILL-\d+ sent$/.test(row.subject ?? ''))).toBe(true);
    process.stdout.write(
      `kill test: ${receivedAtKill} accepted before SIGKILL, ${inFlight} in flight, ${duplicates} sent twice, ${unique.size}/${total} delivered\n`,
    );
  }, 180_000);
});
