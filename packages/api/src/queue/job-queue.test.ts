import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/context.js';

describe('job queue', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    await t.services.queue.ready();
  });
  afterAll(() => t.close());

  it('a job enqueued in a transaction exists only if the transaction commits', async () => {
    const { queue, database } = t.services;
    const boss = queue.requireStarted();
    await expect(
      database.db.transaction(async (tx) => {
        await queue.enqueue(tx, 'deliverEmail', [{ data: { messageId: -1 } }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await boss.findJobs('deliver-email')).toHaveLength(0);

    await database.db.transaction(async (tx) => {
      await queue.enqueue(tx, 'deliverEmail', [{ data: { messageId: 7 } }, { data: { messageId: 8 } }]);
    });
    const jobs = await boss.findJobs<{ messageId: number }>('deliver-email');
    expect(jobs.map((job) => job.data.messageId).sort()).toEqual([7, 8]);
  });

  it('a worker is woken by a new job without waiting for its polling interval', async () => {
    const { queue, database } = t.services;
    const seen: number[] = [];
    let wake: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const boss = queue.requireStarted();
    await boss.deleteAllJobs('deliver-email');
    await queue.work<{ messageId: number }>('deliverEmail', { batchSize: 10, pollingIntervalSeconds: 60 }, async (jobs) => {
      for (const job of jobs) seen.push(job.data.messageId);
      if (seen.includes(99)) wake();
    });
    await database.db.transaction(async (tx) => {
      await queue.enqueue(tx, 'deliverEmail', [{ data: { messageId: 99 } }]);
    });
    // The polling interval is a minute; the test's own timeout (default 5 s) fails it if NOTIFY did not wake the worker.
    await done;
    expect(seen).toContain(99);
  });
});
