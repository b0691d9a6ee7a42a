import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from './databases.js';
import type { ImportFigure } from './import.js';
import type { LoadFigure, LookupName } from './lookup.js';

export interface LookupRow {
  lookup: LookupName;
  ours: LoadFigure;
  reference: LoadFigure;
  /** ours / reference in requests per second: the median over the rounds. */
  ratio: number;
  roundRatios: number[];
  target: string;
}

export interface DatabaseResult {
  database: DatabaseKind;
  location: string;
  /** Orders per import request. */
  batchSize: number;
  import?: ImportFigure;
  lookups?: LookupRow[];
}

/** The targets, printed next to the figures (not asserted): PostgreSQL only. */
export const targets = { ratio: 0.8, p99Ms: 30 };

export function targetVerdict(database: DatabaseKind, ratio: number, p99Ms: number): string {
  if (database !== 'postgres') return 'no target';
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  return `ratio≥${targets.ratio} ${mark(ratio >= targets.ratio)}, p99≤${targets.p99Ms}ms ${mark(p99Ms <= targets.p99Ms)}`;
}

/** A plain-text table with a header rule, columns as wide as their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function summaryText(results: DatabaseResult[]): string {
  const parts: string[] = [];
  const imports = results.flatMap((r) =>
    r.import
      ? [
          [
            r.database,
            String(r.batchSize),
            String(r.import.orders),
            r.import.seconds.toFixed(1),
            String(r.import.ordersPerSecond),
            r.import.cutShort ? 'cut short by --max-minutes' : '',
          ],
        ]
      : [],
  );
  if (imports.length > 0) parts.push(table(['import', 'batch', 'orders', 'seconds', 'orders/s', ''], imports));
  const lookups = results.flatMap((r) =>
    (r.lookups ?? []).map((row) => [
      r.database,
      row.lookup,
      String(row.ours.requestsPerSecond),
      row.ours.p50Ms.toFixed(1),
      row.ours.p99Ms.toFixed(1),
      String(row.ours.errors),
      String(row.reference.requestsPerSecond),
      row.reference.p50Ms.toFixed(1),
      row.reference.p99Ms.toFixed(1),
      row.ratio.toFixed(2),
      row.roundRatios.map((r) => r.toFixed(2)).join(' '),
      row.target,
    ]),
  );
  if (lookups.length > 0) {
    parts.push(
      table(
        ['lookup', 'by', 'ours req/s', 'p50 ms', 'p99 ms', 'errors', 'ref req/s', 'ref p50', 'ref p99', 'median ratio', 'rounds', 'target'],
        lookups,
      ),
    );
  }
  return parts.join('\n\n');
}

const resultsFolder = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results');

/** bench-results/<name>-<timestamp>.json (the folder is gitignored). */
export async function writeResults(name: string, payload: unknown): Promise<string> {
  await mkdir(resultsFolder, { recursive: true });
  const file = join(resultsFolder, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file;
}
