import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import type { MatchResult } from '@orderpost/shared';
import { extractIdentifiers, messageInputFromParsedMail, type MessageInput, type ParsedMailLike } from '@orderpost/shared/extract/index';
import { openDatabase } from '../src/db/client.js';
import { startServerChild } from './children.js';
import type { BenchDatabase } from './databases.js';
import { importBatches } from './import.js';
import { measure, measureRequests, referencePaths, type LoadFigure, type LoadOptions } from './lookup.js';
import { generateMessages, messageKinds, type BenchMessage, type BenchOrder } from './match-messages.js';
import { measureStall } from './match-worst.js';
import { generateOrders } from './orders.js';
import { alternateRounds } from './rounds.js';
import { table } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Issue 7: at least 0.8 of the bare one-SELECT reference, p99 at most 1.5 times the reference's p99 in the same run. */
export const matchTargets = { ratio: 0.8, p99OfReference: 1.5 };

export interface MatchBenchResult {
  database: string;
  orders: number;
  sentMessages: number;
  parcels: number;
  extraction: { messages: number; messagesPerSecond: number; averageBytes: number };
  accuracy: Record<string, string>;
  /** The slowest answers while four 0.9 MB messages are matched at once. */
  stall: { matchMaxMs: number; healthMaxMs: number };
  ours: LoadFigure;
  reference: LoadFigure;
  /** Median over the rounds of ours / reference. */
  ratio: number;
  roundRatios: number[];
  target: string;
}

/** The orders as the messages need them: number, buyer address, national phone digits. */
function benchOrders(batches: string[]): BenchOrder[] {
  return batches.flatMap((body) =>
    (JSON.parse(body) as { orders: { number: string; buyer: { email: string; phone: string } }[] }).orders.map((order) => ({
      number: order.number,
      email: order.buyer.email,
      phone: order.buyer.phone.replace(/\D/g, '').slice(-9),
    })),
  );
}

/**
 * Fixture data beyond what the batch API takes, written straight into the
 * database (not timed): five sent e-mails per order and a parcel for two orders
 * in three, with the Message-IDs and tracking numbers the messages refer to.
 */
async function addSentMessagesAndParcels(database: BenchDatabase): Promise<{ sentMessages: number; parcels: number }> {
  const opened = await openDatabase(
    database.kind === 'postgres' ? { url: database.serverEnv.DATABASE_URL ?? '' } : { dataDir: database.serverEnv.DATA_DIR ?? '' },
  );
  try {
    await opened.db.execute(sql`
      insert into sent_messages (order_id, message_id, message_id_norm, subject, sent_at, origin)
      select o.id, 'op.' || lower(o.number_compact) || '.' || g || '@mail.shop.example',
             'op.' || lower(o.number_compact) || '.' || g || '@mail.shop.example',
             'Zamówienie ' || o.number || ': wiadomość ' || g, o.ordered_at + (g || ' hours')::interval, 'orderpost'
        from orders o cross join generate_series(1, 5) g`);
    await opened.db.execute(sql`
      insert into parcels (order_id, carrier, tracking_number, tracking_compact, status)
      select o.id, 'InPost', t.tracking, t.tracking, 'in_transit'
        from orders o cross join lateral (select '6200' || lpad(regexp_replace(o.number, '\\D', '', 'g'), 20, '0') as tracking) t
       where (nullif(regexp_replace(o.number, '\\D', '', 'g'), '')::bigint % 3) <> 0`);
    await opened.db.execute(sql`analyze`);
    const [counts] = await opened.queryRows<{ sent: number; parcels: number }>(
      sql`select (select count(*) from sent_messages)::int as sent, (select count(*) from parcels)::int as parcels`,
    );
    return { sentMessages: counts?.sent ?? 0, parcels: counts?.parcels ?? 0 };
  } finally {
    await opened.close();
  }
}

/** Extraction alone: messages per second over the given inputs (several passes, the first not counted). */
export function timeExtraction(inputs: MessageInput[]): { messages: number; messagesPerSecond: number; averageBytes: number } {
  const options = { defaultCountry: 'PL', ownDomains: ['shop.example'] };
  for (const input of inputs.slice(0, 50)) extractIdentifiers(input, options);
  const passes = Math.max(1, Math.ceil(2000 / Math.max(1, inputs.length)));
  const started = performance.now();
  for (let pass = 0; pass < passes; pass++) for (const input of inputs) extractIdentifiers(input, options);
  const seconds = (performance.now() - started) / 1000;
  const bytes = inputs.reduce((sum, input) => sum + (input.text?.length ?? 0) + (input.html?.length ?? 0), 0);
  return {
    messages: inputs.length,
    messagesPerSecond: Math.round((inputs.length * passes) / seconds),
    averageBytes: Math.round(bytes / Math.max(1, inputs.length)),
  };
}

/** The labelled corpora shipped beside the repository, parsed once (parsing is not timed). */
export async function corpusMessages(): Promise<MessageInput[]> {
  const folders = [
    join(here, '..', '..', '..', '..', 'shared', 'corpus', 'match', 'cases'),
    join(here, '..', 'test', 'corpus', 'match-extra', 'cases'),
  ];
  const inputs: MessageInput[] = [];
  for (const folder of folders) {
    const files = await readdir(folder).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.eml'))) {
      const parsed = await simpleParser(await readFile(join(folder, file)));
      inputs.push(messageInputFromParsedMail(parsed as unknown as ParsedMailLike));
    }
  }
  return inputs;
}

async function postMatch(url: string, token: string, body: string): Promise<MatchResult> {
  const response = await fetch(`${url}/v1/match`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  if (response.status !== 200) throw new Error(`POST /v1/match answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as MatchResult;
}

/**
 * Per kind: how many of the first messages were matched right. A reply, a number
 * or a tracking number names one order: it must be the first claim. The sender
 * and a phone name the buyer: the order must be among the claims (a buyer has
 * several). Mail about no order must claim nothing.
 */
async function checkAccuracy(url: string, token: string, messages: BenchMessage[], bodies: string[]): Promise<Record<string, string>> {
  const tally = new Map<string, { right: number; all: number }>();
  for (let i = 0; i < Math.min(300, messages.length); i++) {
    const message = messages[i];
    if (!message) continue;
    const result = await postMatch(url, token, bodies[i] ?? '');
    const claims = result.candidates.filter((c) => c.confidence !== 'low');
    const numbers = claims.map((c) => c.order.number);
    const buyerLevel = message.kind === 'sender' || message.kind === 'phone';
    const right =
      message.number === null ? claims.length === 0 : buyerLevel ? numbers.includes(message.number) : numbers[0] === message.number;
    const entry = tally.get(message.kind) ?? { right: 0, all: 0 };
    entry.all++;
    if (right) entry.right++;
    tally.set(message.kind, entry);
  }
  return Object.fromEntries(messageKinds.map((kind) => [kind, `${tally.get(kind)?.right ?? 0}/${tally.get(kind)?.all ?? 0}`]));
}

async function measureMatch(url: string, token: string, bodies: string[], load: LoadOptions): Promise<LoadFigure> {
  let next = 0;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return measureRequests(url, headers, load, () => ({ method: 'POST', path: '/v1/match', body: bodies[next++ % bodies.length] ?? '{}' }));
}

export async function benchMatch(
  database: BenchDatabase,
  options: { orders: number; batch: number; messages: number; rounds: number; load: LoadOptions; deadline: number; nodeArgs?: string[] },
): Promise<MatchBenchResult> {
  say(`\n== match on ${database.kind} (${database.location})`);
  const data = generateOrders(options.orders, options.batch);
  const importer = await startServerChild(join(here, 'serve.ts'), database.serverEnv);
  try {
    say(`  preparing: importing ${options.orders} orders (not timed)`);
    await importBatches(importer, data.batches, options.deadline);
  } finally {
    await importer.stop();
  }
  const fixtures = await addSentMessagesAndParcels(database);
  say(`  added ${fixtures.sentMessages} sent e-mails and ${fixtures.parcels} parcels; analyze done`);

  const messages = generateMessages(benchOrders(data.batches), options.messages);
  const inputs = messages.map((m) => m.message as MessageInput);
  const extraction = timeExtraction(inputs);
  say(
    `  extraction alone: ${extraction.messagesPerSecond} messages/s (${extraction.messages} messages, ~${extraction.averageBytes} characters each)`,
  );
  const bodies = inputs.map((input, i) =>
    JSON.stringify({
      identifiers: extractIdentifiers(input, { defaultCountry: 'PL', ownDomains: ['shop.example'] }),
      messageId: messages[i]?.message.messageId,
    }),
  );
  say(`  request bodies: ~${Math.round(bodies.reduce((s, b) => s + b.length, 0) / bodies.length)} bytes of identifiers each`);

  const startOurs = () =>
    startServerChild(join(here, 'serve.ts'), { ...database.serverEnv, BENCH_TOKEN_ROLE: 'agent' }, { nodeArgs: options.nodeArgs ?? [] });
  const ours = await startOurs();
  let accuracy: Record<string, string>;
  let stall: MatchBenchResult['stall'];
  try {
    const token = String(ours.info.token);
    accuracy = await checkAccuracy(ours.url, token, messages, bodies);
    say(
      `  right first claim per kind (first 300 messages): ${Object.entries(accuracy)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    stall = await measureStall(ours.url, token);
    say(
      `  4 agents sending 0.9 MB messages at once: slowest match ${stall.matchMaxMs} ms, slowest GET /healthz meanwhile ${stall.healthMaxMs} ms`,
    );
  } finally {
    await ours.stop();
  }
  const load = `${options.load.connections} connections, ${options.load.durationSeconds} s`;
  const { match: paired } = await alternateRounds(
    options.rounds,
    ['match'],
    async (round) => {
      say(`  round ${round}/${options.rounds}: ours      POST /v1/match  ${load}`);
      const server = await startOurs();
      try {
        return { match: await measureMatch(server.url, String(server.info.token), bodies, options.load) };
      } finally {
        await server.stop();
      }
    },
    async (round) => {
      say(`  round ${round}/${options.rounds}: reference GET /orders/email/…  ${load}`);
      const reference = await startServerChild(join(here, 'reference-server.ts'), database.referenceEnv);
      try {
        return { match: await measure(reference, referencePaths(data.lookups.email, 'email'), {}, options.load) };
      } finally {
        await reference.stop();
      }
    },
  );
  const { ours: oursFigure, reference: referenceFigure, ratio, roundRatios } = paired;
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const target =
    database.kind === 'postgres'
      ? `ratio≥${matchTargets.ratio} ${mark(ratio >= matchTargets.ratio)}, p99≤${matchTargets.p99OfReference}×ref ${mark(oursFigure.p99Ms <= matchTargets.p99OfReference * referenceFigure.p99Ms)}`
      : 'no target';
  return {
    database: database.kind,
    orders: options.orders,
    ...fixtures,
    extraction,
    accuracy,
    stall,
    ours: oursFigure,
    reference: referenceFigure,
    ratio,
    roundRatios,
    target,
  };
}

export function matchSummary(results: MatchBenchResult[], corpus: { messages: number; messagesPerSecond: number } | null): string {
  const header = [
    'match',
    'ours req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'ref req/s',
    'ref p99',
    'median ratio',
    'rounds',
    'extract msg/s',
    'target',
  ];
  const rows = results.map((r) => [
    r.database,
    String(r.ours.requestsPerSecond),
    r.ours.p50Ms.toFixed(1),
    r.ours.p99Ms.toFixed(1),
    String(r.ours.errors),
    String(r.reference.requestsPerSecond),
    r.reference.p99Ms.toFixed(1),
    r.ratio.toFixed(2),
    r.roundRatios.map((x) => x.toFixed(2)).join(' '),
    String(r.extraction.messagesPerSecond),
    r.target,
  ]);
  const lines = [table(header, rows)];
  if (corpus) lines.push('', `extraction on the labelled corpora: ${corpus.messagesPerSecond} messages/s (${corpus.messages} messages)`);
  return lines.join('\n');
}
