import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { startServerChild, type ServerChild } from './children.js';
import type { BenchDatabase } from './databases.js';
import { importBatches } from './import.js';
import { generateOrders } from './orders.js';
import { median } from './rounds.js';

/**
 * `bench send`: 10,000 messages through the bulk endpoint to a local SMTP
 * sink, end to end (queue, render, SMTP, history written), next to a plain
 * pooled nodemailer loop to the same sink in the same run, alternating in
 * rounds. Then the time from a send request's commit (its 202 answer) to the
 * message accepted by the sink, at a steady 100 requests per second.
 */

export interface SendBenchOptions {
  messages: number;
  rounds: number;
  /** Seconds of the latency run. */
  latencySeconds: number;
  rate: number;
  poolSize: number;
  /** Write CPU profiles of our server here. */
  cpuProfileDir?: string;
}

export interface SendBenchResult {
  database: string;
  messages: number;
  ours: { messagesPerSecond: number; roundSeconds: number[] };
  plain: { messagesPerSecond: number; roundSeconds: number[] };
  ratio: number;
  roundRatios: number[];
  messagesPerHour: number;
  latency: { requests: number; rate: number; p50Ms: number; p99Ms: number; maxMs: number; missing: number };
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const here = new URL('.', import.meta.url).pathname;

/** The sink: accepts everything, reads only the Message-ID header, and notes when each arrived. */
async function startSink() {
  let accepted = 0;
  const arrivals = new Map<string, number>();
  let waiter: { count: number; resolve: () => void } | null = null;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        accepted++;
        const id = /^message-id:\s*<([^>]+)>/im.exec(head)?.[1];
        if (id) arrivals.set(id, performance.now());
        if (waiter && accepted >= waiter.count) {
          waiter.resolve();
          waiter = null;
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    get accepted() {
      return accepted;
    },
    reset() {
      accepted = 0;
      arrivals.clear();
    },
    waitFor(count: number, timeoutMs: number) {
      if (accepted >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sink: ${accepted} of ${count} messages after ${timeoutMs / 1000} s`)), timeoutMs);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Sink = Awaited<ReturnType<typeof startSink>>;

/** A template like a seller's "your order has been sent": greeting, item list with prices, total, tracking and order link. */
const template = {
  name: 'Order sent (bench)',
  subject: 'Your order [order_number] has been sent',
  format: 'html' as const,
  preheader: 'Your parcel is on its way',
  content: `<p>Hello [first_name],</p>
<p>your order <b>[order_number]</b> from [order_date] has been sent.</p>
<p>[items_list]</p>
<p>Total: [order_price]</p>
<p>Track your parcel: <a href="[shipment_track_link]">[tracking_number]</a></p>
<p>Your order page: <a href="[order_link]">[order_link]</a></p>
<p>Thank you for shopping at [shop_name]!</p>`,
};

async function api(server: ServerChild, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${String(server.info.token)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function waitForBatch(server: ServerChild, batchId: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await api(server, 'GET', `/v1/messages/batches/${batchId}`);
    if (progress.done) return progress;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} not done after ${timeoutMs / 1000} s: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function benchSend(database: BenchDatabase, options: SendBenchOptions): Promise<SendBenchResult> {
  const sink = await startSink();
  const serverEnv = {
    ...database.serverEnv,
    WORKER: 'true',
    BENCH_TOKEN_ROLE: 'admin',
    SMTP_URL: sink.url,
    MAIL_FROM: 'Plant shop <shop@plants.example>',
    SMTP_POOL_SIZE: String(options.poolSize),
    SCHEDULER_TICK_SECONDS: '3600',
  };
  const nodeArgs = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  const startOurs = () => startServerChild(join(here, 'serve.ts'), serverEnv, { nodeArgs });
  try {
    // Orders with e-mails, items and parcels; one import, kept for every round.
    // A few more than needed: the generator gives some orders no e-mail of their own.
    const data = generateOrders(Math.ceil(options.messages * 1.15), 1000, 10);
    const setup = await startOurs();
    let templateId: number;
    let orderIds: number[];
    let sample: { text: string; html: string };
    try {
      await importBatches(setup, data.batches, Date.now() + 30 * 60_000);
      await api(setup, 'PATCH', '/v1/settings', { shopName: 'Plant shop', publicBaseUrl: 'https://plants.example' });
      templateId = Number((await api(setup, 'POST', '/v1/templates', template)).id);
      orderIds = [];
      let cursor: string | null = null;
      do {
        const page = (await api(setup, 'GET', `/v1/orders?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)) as {
          orders: { id: number }[];
          nextCursor: string | null;
        };
        orderIds.push(...page.orders.map((order) => order.id));
        cursor = page.nextCursor;
      } while (cursor && orderIds.length < options.messages);
      orderIds = orderIds.slice(0, options.messages);
      const preview = await api(setup, 'POST', `/v1/templates/${templateId}/render`, { orderId: orderIds[0] });
      sample = { text: String(preview.text), html: String(preview.html) };
    } finally {
      await setup.stop();
    }
    say(`  ${orderIds.length} orders with e-mails imported; template rendered to ${sample.html.length} characters of HTML`);

    const ours: number[] = [];
    const plain: number[] = [];
    const ratios: number[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const server = await startOurs();
      try {
        sink.reset();
        const started = performance.now();
        const batch = await api(server, 'POST', '/v1/messages/batches', { templateId, orderIds, kind: 'email_only' });
        const queuedAfter = (performance.now() - started) / 1000;
        const progress = await waitForBatch(server, Number(batch.id), 20 * 60_000);
        const seconds = (performance.now() - started) / 1000;
        if (Number(progress.sent) !== orderIds.length)
          throw new Error(`round ${round}: ${String(progress.sent)} of ${orderIds.length} sent: ${JSON.stringify(progress)}`);
        ours.push(seconds);
        say(
          `  round ${round}/${options.rounds}: ours  ${orderIds.length} messages in ${seconds.toFixed(2)} s (${rate(orderIds.length, seconds)} msg/s; all queued after ${queuedAfter.toFixed(2)} s)`,
        );
      } finally {
        await server.stop();
      }
      sink.reset();
      const reference = await startServerChild(join(here, 'plain-sender.ts'), {
        BENCH_SMTP_URL: sink.url,
        BENCH_COUNT: String(orderIds.length),
        BENCH_POOL_SIZE: String(options.poolSize),
        BENCH_TEXT: sample.text,
        BENCH_HTML: sample.html,
      });
      const seconds = Number(reference.info.seconds);
      await reference.stop();
      plain.push(seconds);
      ratios.push(Math.round(((ours.at(-1) ?? 0) > 0 ? seconds / (ours.at(-1) ?? 1) : 0) * 100) / 100);
      say(
        `  round ${round}/${options.rounds}: plain ${orderIds.length} messages in ${seconds.toFixed(2)} s (${rate(orderIds.length, seconds)} msg/s)`,
      );
    }

    const latency = await measureLatency(startOurs, sink, orderIds, options);
    const oursRate = rate(orderIds.length, median(ours));
    return {
      database: database.kind,
      messages: orderIds.length,
      ours: { messagesPerSecond: oursRate, roundSeconds: ours },
      plain: { messagesPerSecond: rate(orderIds.length, median(plain)), roundSeconds: plain },
      ratio: median(ratios),
      roundRatios: ratios,
      messagesPerHour: Math.round(oursRate * 3600),
      latency,
    };
  } finally {
    await sink.close();
  }
}

function rate(count: number, seconds: number): number {
  return seconds > 0 ? Math.round(count / seconds) : 0;
}

/** Single sends at a steady rate; each one's 202 answer (after its commit) to the sink accepting it. */
async function measureLatency(start: () => Promise<ServerChild>, sink: Sink, orderIds: number[], options: SendBenchOptions) {
  const server = await start();
  try {
    sink.reset();
    const total = options.rate * options.latencySeconds;
    const committed = new Map<string, number>();
    const intervalMs = 1000 / options.rate;
    const begin = performance.now();
    const requests: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = begin + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const orderId = orderIds[i % orderIds.length];
      requests.push(
        api(server, 'POST', `/v1/orders/${orderId}/send`, {
          kind: 'email_only',
          subject: `About your order (${i})`,
          text: 'Hello, your parcel leaves the warehouse today.',
        }).then((message) => {
          committed.set(String(message.messageId), performance.now());
        }),
      );
    }
    await Promise.all(requests);
    await sink.waitFor(total, 120_000).catch(() => undefined);
    const delays: number[] = [];
    let missing = 0;
    for (const [id, at] of committed) {
      const arrived = sink.arrivals.get(id);
      if (arrived === undefined) missing++;
      // A message can arrive before its answer reaches the client; that counts as no delay.
      else delays.push(Math.max(0, arrived - at));
    }
    delays.sort((a, b) => a - b);
    const quantile = (q: number) => Math.round((delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0) * 10) / 10;
    return { requests: total, rate: options.rate, p50Ms: quantile(0.5), p99Ms: quantile(0.99), maxMs: quantile(1), missing };
  } finally {
    await server.stop();
  }
}
