import { batchProgress, templateSaved } from '@orderpost/shared';
import { describe, expect, it } from 'vitest';
import { createOrder, createTestContext, json } from '../../test/context.js';
import { startSmtpSink } from '../../test/smtp-sink.js';
import { createServices } from '../services.js';
import { silentLogger } from '../logger.js';
import { createWorker } from '../worker.js';

/**
 * A slow but working SMTP server (throttling providers take seconds per
 * message): a batch outlasts the delivery lease while it is still sending.
 * The issue: "several worker processes on one PostgreSQL never send one
 * message twice at once" — no worker died here, so no message may arrive twice.
 */
// DEFECT (review of issue 8), reproduced on PostgreSQL (41 arrivals of 40 messages): the lease is set once when a batch is
// claimed and is neither renewed nor re-checked before each send, so a batch that outlasts it is re-offered and sent
// again while the first worker still sends. Timing-dependent, so opt-in: ATTACK=1 TEST_DATABASE_URL=… vitest run this file.
describe.runIf(process.env.ATTACK === '1')('attack: a batch slower than the delivery lease', () => {
  it('sends no message twice while the first worker is still sending it', async () => {
    const sink = await startSmtpSink({ delayMs: 250 });
    const config = {
      SMTP_URL: sink.url,
      MAIL_FROM: 'Shop <shop@shop.example>',
      DELIVERY_LEASE_SECONDS: 2,
      SMTP_POOL_SIZE: 1,
      SMTP_TIMEOUT_SECONDS: 30,
    };
    const t = await createTestContext({ config });
    const second = createServices({ database: t.database, logger: silentLogger, config: { ...t.services.config, ...config } });
    const workers = [createWorker(t.services), createWorker(second)];
    try {
      for (const worker of workers) await worker.start();
      const tpl = await json(
        await t.call('POST', '/v1/templates', { name: 'slow', subject: 'Slow [order_number]', format: 'text', content: 'Hi' }),
        templateSaved,
      );
      const orderIds: number[] = [];
      for (let i = 0; i < 40; i++)
        orderIds.push((await createOrder(t, { buyer: { name: `Slow ${i}`, email: `slow${i}@example.com` } })).id);
      const batch = await json(
        await t.call('POST', '/v1/messages/batches', { templateId: tpl.id, orderIds }, { role: 'agent' }),
        batchProgress,
      );
      const deadline = Date.now() + 60_000;
      let progress = batch;
      while (Date.now() < deadline) {
        progress = await json(await t.call('GET', `/v1/messages/batches/${batch.id}`, undefined, { role: 'agent' }), batchProgress);
        if (progress.done) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const ids = sink.received.map((mail) => mail.parsed.messageId);
      console.log('slow server', { sent: progress.sent, failed: progress.failed, received: ids.length, unique: new Set(ids).size });
      expect(progress.sent).toBe(40);
      expect(ids.length - new Set(ids).size, 'messages sent twice although no worker died').toBe(0);
    } finally {
      for (const worker of workers) await worker.stop(1000);
      await t.close();
      await sink.close();
    }
  }, 90_000);
});
