import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { redactUrl } from '../src/db/client.js';
import { onInterrupt, startServerChild, wasInterrupted, type ServerChild } from './children.js';
import { freshPglite, freshPostgres, postgresProblem, type BenchDatabase, type DatabaseKind } from './databases.js';
import { importBatches } from './import.js';
import {
  assertFindsOrders,
  type LoadFigure,
  type LoadOptions,
  type LookupName,
  lookupNames,
  measure,
  ourPaths,
  referencePaths,
} from './lookup.js';
import { extractIdentifiers } from '@orderpost/shared/extract/index';
import { benchMatch, corpusMessages, matchSummary, matchTargets, timeExtraction, type MatchBenchResult } from './match.js';
import { timeWorstCases, worstCaseSummary } from './match-worst.js';
import { generateOrders, type BenchData } from './orders.js';
import { benchPage, pageSummary, type PageBenchResult } from './page.js';
import { alternateRounds } from './rounds.js';
import { benchSend, type SendBenchResult } from './send.js';
import { summaryText, targets, targetVerdict, writeResults, type DatabaseResult, type LookupRow } from './report.js';

const usage = `Usage: pnpm bench [import|lookup|all|match|send|page] [options]
  import    batch import of N orders through POST /v1/orders/batch
  lookup    GET /v1/orders?email|phone|number with autocannon, against a bare reference server
  all       both, the lookups on the imported orders (default)
  match     POST /v1/match with real-sized customer e-mails (orders with parcels and 5 sent e-mails each)
            against the same bare reference server; also times the extraction alone; worst-case messages
            (extraction time next to JSON.parse of the same body) and GET /healthz while four are matched
  send      10,000 messages (--messages) through POST /v1/messages/batches to a local SMTP sink, end to end,
            next to a plain pooled nodemailer loop to the same sink; then commit-to-accepted latency of
            single sends at --rate requests/s
  page      GET /p/{token} (order page views, a random order's token per request) with autocannon among --orders
            orders written straight into the database (conversation, parcel, status history), against the
            bare reference's GET /p/{token} (one indexed SELECT, a small HTML page)
Options:
  --orders N         orders to import (default 100000)
  --duration S       seconds per measurement of one side in one round (default 5)
  --rounds R         ours and the reference measured alternately R times; the median ratio is reported (default 3)
  --connections C    concurrent connections for the lookups (default 50)
  --pg URL           PostgreSQL server (default $BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test);
                     a fresh database is created for the run and dropped after
  --db D             pglite | postgres | both (default both; PostgreSQL is skipped when it does not answer)
  --batch B          orders per import request (default 1000, the API's maximum)
  --max-minutes M    stop importing after M minutes per database (default 30)
  --messages M       match: distinct customer e-mails sent in rotation (default 3000)
  --rate N           send: requests per second of the latency run (default 100)
  --latency-seconds  send: length of the latency run (default 10)
  --pool-size N      send: pooled SMTP connections, ours and the plain loop alike (default 5)
  --cpu-prof         write a CPU profile of the API server to bench-results/profiles/`;

const here = dirname(fileURLToPath(import.meta.url));
const benchNames = ['import', 'lookup', 'all', 'match', 'send', 'page'] as const;
type BenchName = (typeof benchNames)[number];

function readOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      orders: { type: 'string', default: '100000' },
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      pg: { type: 'string', default: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test' },
      db: { type: 'string', default: 'both' },
      batch: { type: 'string', default: '1000' },
      'max-minutes': { type: 'string', default: '30' },
      'cpu-prof': { type: 'boolean', default: false },
      messages: { type: 'string' },
      rate: { type: 'string', default: '100' },
      'latency-seconds': { type: 'string', default: '10' },
      'pool-size': { type: 'string', default: '5' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const name = positionals[0] ?? 'all';
  const number = (flag: string, value: string, min: number, max: number) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}`);
    return parsed;
  };
  if (!benchNames.includes(name as BenchName)) throw new UsageError(`unknown benchmark "${name}"`);
  if (!['both', 'pglite', 'postgres'].includes(values.db)) throw new UsageError('--db must be pglite, postgres or both');
  return {
    help: values.help,
    name: name as BenchName,
    orders: number('orders', values.orders, 1, 2_000_000),
    durationSeconds: number('duration', values.duration, 1, 300),
    rounds: number('rounds', values.rounds, 1, 21),
    connections: number('connections', values.connections, 1, 1000),
    pg: values.pg,
    databases: (values.db === 'both' ? ['pglite', 'postgres'] : [values.db]) as DatabaseKind[],
    batch: number('batch', values.batch, 1, 1000),
    maxMinutes: number('max-minutes', values['max-minutes'], 1, 600),
    cpuProf: values['cpu-prof'],
    messages: number('messages', values.messages ?? (name === 'send' ? '10000' : '3000'), 6, 100_000),
    rate: number('rate', values.rate, 1, 5000),
    latencySeconds: number('latency-seconds', values['latency-seconds'], 1, 600),
    poolSize: number('pool-size', values['pool-size'], 1, 50),
  };
}
type Options = ReturnType<typeof readOptions>;

class UsageError extends Error {}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function benchDatabase(database: BenchDatabase, options: Options, data: BenchData): Promise<DatabaseResult> {
  const batch = options.batch;
  const result: DatabaseResult = { database: database.kind, location: database.location, batchSize: batch };
  const nodeArgs = options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(here, '..', 'bench-results', 'profiles')] : [];
  const startOurs = async () => {
    const server = await startServerChild(join(here, 'serve.ts'), database.serverEnv, { nodeArgs });
    say(`  API server: pid ${server.pid}, ${server.url}`);
    return server;
  };
  say(`\n== ${database.kind} (${database.location})`);

  const importer = await startOurs();
  try {
    say(`  ${options.name === 'lookup' ? 'preparing: importing' : 'import:'} ${options.orders} orders in batches of ${batch}`);
    const imported = await importBatches(importer, data.batches, Date.now() + options.maxMinutes * 60_000);
    if (options.name !== 'lookup') result.import = imported;
    say(`  imported ${imported.orders} orders in ${imported.seconds} s: ${imported.ordersPerSecond} orders/s`);
  } finally {
    await importer.stop();
  }
  if (options.name === 'import') return result;

  // Fresh statistics and fresh processes for both servers, so neither pays for the import.
  say('  analyze (planner statistics after the bulk import)');
  await database.analyze();
  const load: LoadOptions = { connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: 2 };
  // One server at a time: PGlite allows one process per data folder, and the load gets the same cores.
  const measureAll = async (server: ServerChild, side: string, paths: (name: LookupName) => string[], auth: Record<string, string>) => {
    const figures = {} as Record<LookupName, LoadFigure>;
    try {
      for (const name of lookupNames) {
        await assertFindsOrders(server, paths(name)[0] ?? '', auth);
        say(`    ${side} ${name}: ${options.connections} connections, ${options.durationSeconds} s`);
        figures[name] = await measure(server, paths(name), auth, load);
      }
    } finally {
      await server.stop();
    }
    return figures;
  };
  const paired = await alternateRounds(
    options.rounds,
    lookupNames,
    async (round) => {
      say(`  round ${round}/${options.rounds}: ours, GET /v1/orders?<lookup>=…`);
      const ours = await startOurs();
      return measureAll(ours, 'ours     ', (name) => ourPaths(data.lookups[name], name), {
        authorization: `Bearer ${String(ours.info.token)}`,
      });
    },
    async (round) => {
      say(`  round ${round}/${options.rounds}: reference, GET /orders/<lookup>/…`);
      const reference = await startServerChild(join(here, 'reference-server.ts'), database.referenceEnv);
      return measureAll(reference, 'reference', (name) => referencePaths(data.lookups[name], name), {});
    },
  );
  result.lookups = lookupNames.map(
    (name): LookupRow => ({
      lookup: name,
      ...paired[name],
      target: targetVerdict(database.kind, paired[name].ratio, paired[name].ours.p99Ms),
    }),
  );
  return result;
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.help) {
    say(usage);
    return;
  }
  const startedAt = new Date().toISOString();
  const toDrop = new Set<BenchDatabase>();
  const dropAll = async () => {
    for (const database of toDrop)
      await database.drop().catch((error: unknown) => say(`could not remove ${database.location}: ${String(error)}`));
    toDrop.clear();
  };
  onInterrupt(dropAll);

  const kinds = [...options.databases];
  if (kinds.includes('postgres')) {
    const problem = await postgresProblem(options.pg);
    if (problem) {
      say(`PostgreSQL at ${redactUrl(options.pg)} does not answer (${problem}): running PGlite only.`);
      kinds.splice(kinds.indexOf('postgres'), 1);
    }
  }
  if (kinds.length === 0) throw new UsageError('no database to benchmark');

  const size = options.name === 'send' ? `${options.messages} messages` : `${options.orders} orders`;
  say(`Benchmark "${options.name}": ${size} on ${kinds.join(' and ')}; ${cpus().length} cores, Node ${process.version}`);
  if (options.name === 'match') {
    await runMatch(options, kinds, toDrop, startedAt);
    return;
  }
  if (options.name === 'send') {
    await runSend(options, kinds, toDrop, startedAt);
    return;
  }
  if (options.name === 'page') {
    await runPage(options, kinds, toDrop, startedAt);
    return;
  }
  const generated = performance.now();
  const data = generateOrders(options.orders, options.batch);
  say(`generated ${options.orders} orders in ${Math.round(performance.now() - generated)} ms (not timed)`);

  const results: DatabaseResult[] = [];
  try {
    for (const kind of kinds) {
      const database = kind === 'pglite' ? await freshPglite() : await freshPostgres(options.pg);
      toDrop.add(database);
      try {
        results.push(await benchDatabase(database, options, data));
      } finally {
        await database.drop();
        toDrop.delete(database);
      }
    }
  } finally {
    await dropAll();
  }

  const summary = summaryText(results);
  say(`\n${summary}\n`);
  if (options.name !== 'import')
    say(`Targets (issue, PostgreSQL): ratio ours/reference ≥ ${targets.ratio}, p99 ≤ ${targets.p99Ms} ms; not asserted.`);
  const file = await writeResults(options.name, {
    name: options.name,
    startedAt,
    finishedAt: new Date().toISOString(),
    options: {
      orders: options.orders,
      batch: options.batch,
      durationSeconds: options.durationSeconds,
      rounds: options.rounds,
      connections: options.connections,
      databases: kinds,
    },
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    targets,
    results,
  });
  say(`written to ${file}`);
}

async function runSend(options: Options, kinds: DatabaseKind[], toDrop: Set<BenchDatabase>, startedAt: string): Promise<void> {
  const results: SendBenchResult[] = [];
  for (const kind of kinds) {
    const database = kind === 'pglite' ? await freshPglite() : await freshPostgres(options.pg);
    toDrop.add(database);
    say(`\n== ${database.kind} (${database.location})`);
    try {
      results.push(
        await benchSend(database, {
          messages: options.messages,
          rounds: options.rounds,
          latencySeconds: options.latencySeconds,
          rate: options.rate,
          poolSize: options.poolSize,
          cpuProfileDir: options.cpuProf ? join(here, '..', 'bench-results', 'profiles') : undefined,
        }),
      );
    } finally {
      await database.drop();
      toDrop.delete(database);
    }
  }
  for (const result of results) {
    say(
      `\n${result.database}: rounds ours ${result.ours.roundSeconds.map((s) => s.toFixed(2)).join('/')} s, plain ${result.plain.roundSeconds.map((s) => s.toFixed(2)).join('/')} s; ratios ${result.roundRatios.join(', ')}`,
    );
    say(
      `${result.database}: commit → accepted at ${result.latency.rate} req/s (${result.latency.requests} sends): p50 ${result.latency.p50Ms} ms, p99 ${result.latency.p99Ms} ms, max ${result.latency.maxMs} ms, ${result.latency.missing} missing`,
    );
    say(`${result.database}: ${result.messagesPerHour.toLocaleString('en')} messages per hour end to end`);
  }
  const file = await writeResults('send', { name: 'send', startedAt, finishedAt: new Date().toISOString(), options, results });
  say(`written to ${file}`);
  say('Targets (issue, PostgreSQL): ratio ≥ 0.8 and ≥ 1,000,000 messages per hour; not asserted.');
  const last = results.find((result) => result.database === 'postgres') ?? results.at(-1);
  if (last)
    say(
      `send: ${last.ours.messagesPerSecond} msg/s end to end, plain nodemailer ${last.plain.messagesPerSecond} msg/s, ratio ${last.ratio}`,
    );
}

async function runPage(options: Options, kinds: DatabaseKind[], toDrop: Set<BenchDatabase>, startedAt: string): Promise<void> {
  const load: LoadOptions = { connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: 2 };
  const results: PageBenchResult[] = [];
  for (const kind of kinds) {
    const database = kind === 'pglite' ? await freshPglite() : await freshPostgres(options.pg);
    toDrop.add(database);
    try {
      results.push(
        await benchPage(database, {
          orders: options.orders,
          rounds: options.rounds,
          load,
          nodeArgs: options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(here, '..', 'bench-results', 'profiles')] : [],
        }),
      );
    } finally {
      await database.drop();
      toDrop.delete(database);
    }
  }
  say(`\n${pageSummary(results)}\n`);
  say('The issue sets no target for the page; figures only, nothing asserted.');
  const file = await writeResults('page', {
    name: 'page',
    startedAt,
    finishedAt: new Date().toISOString(),
    options: {
      orders: options.orders,
      durationSeconds: options.durationSeconds,
      rounds: options.rounds,
      connections: options.connections,
      databases: kinds,
    },
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    results,
  });
  say(`written to ${file}`);
}

async function runMatch(options: Options, kinds: DatabaseKind[], toDrop: Set<BenchDatabase>, startedAt: string): Promise<void> {
  const corpus = await corpusMessages();
  const corpusFigure = corpus.length > 0 ? timeExtraction(corpus) : null;
  if (corpusFigure)
    say(`extraction on the labelled corpora: ${corpusFigure.messagesPerSecond} messages/s (${corpusFigure.messages} messages)`);
  const worstCases = timeWorstCases(extractIdentifiers);
  say(`\n${worstCaseSummary(worstCases)}`);
  const load: LoadOptions = { connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: 2 };
  const results: MatchBenchResult[] = [];
  for (const kind of kinds) {
    const database = kind === 'pglite' ? await freshPglite() : await freshPostgres(options.pg);
    toDrop.add(database);
    try {
      results.push(
        await benchMatch(database, {
          orders: options.orders,
          batch: options.batch,
          messages: options.messages,
          rounds: options.rounds,
          load,
          deadline: Date.now() + options.maxMinutes * 60_000,
          nodeArgs: options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(here, '..', 'bench-results', 'profiles')] : [],
        }),
      );
    } finally {
      await database.drop();
      toDrop.delete(database);
    }
  }
  say(`\n${matchSummary(results, corpusFigure)}\n\n${worstCaseSummary(worstCases)}\n`);
  say(
    `Targets (issue, PostgreSQL): ratio ours/reference ≥ ${matchTargets.ratio}, p99 ≤ ${matchTargets.p99OfReference}× the reference's p99; not asserted.`,
  );
  const file = await writeResults('match', {
    name: 'match',
    startedAt,
    finishedAt: new Date().toISOString(),
    options,
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    targets: matchTargets,
    corpus: corpusFigure,
    worstCases,
    results,
  });
  say(`written to ${file}`);
}

try {
  await main();
  process.exit(0);
} catch (error) {
  // The interrupt handler cleans up and exits.
  if (wasInterrupted()) await new Promise(() => undefined);
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    process.exit(2);
  }
  process.stderr.write(`Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
