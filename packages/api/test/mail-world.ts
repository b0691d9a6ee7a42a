import { eq } from 'drizzle-orm';
import type { AppConfig } from '../src/services.js';
import { orderMessages } from '../src/db/schema/index.js';
import { createWorker, type Worker } from '../src/worker.js';
import { createTestContext, type TestContext } from './context.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

/**
 * What the e-mail tests share: the app with a real SMTP server (smtp-server)
 * as its default mailbox, the shop settings the test names, and a running
 * worker that sends to it.
 */
export interface MailWorld {
  t: TestContext;
  sink: SmtpSink;
  worker: Worker;
  /** Waits until the history item is in one of these statuses (the worker got to it) and gives its row. */
  waitForStatus(id: number, statuses: string[], timeoutMs?: number): Promise<typeof orderMessages.$inferSelect>;
  close(): Promise<void>;
}

export async function startMailWorld(options: {
  mailFrom: string;
  settings: Record<string, unknown>;
  config?: Partial<AppConfig>;
}): Promise<MailWorld> {
  const sink = await startSmtpSink();
  const t = await createTestContext({ config: { SMTP_URL: sink.url, MAIL_FROM: options.mailFrom, ...options.config } });
  const patched = await t.call('PATCH', '/v1/settings', options.settings);
  if (patched.status !== 200) throw new Error(`settings: ${patched.status} ${await patched.text()}`);
  const worker = createWorker(t.services);
  await worker.start();
  return {
    t,
    sink,
    worker,
    waitForStatus: async (id, statuses, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await t.services.database.db.select().from(orderMessages).where(eq(orderMessages.id, id));
        if (row && statuses.includes(row.status)) return row;
        if (Date.now() > deadline) throw new Error(`message ${id} is ${row?.status}, not ${statuses.join('/')}, after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: async () => {
      await worker.stop(1000);
      await t.close();
      await sink.close();
    },
  };
}
