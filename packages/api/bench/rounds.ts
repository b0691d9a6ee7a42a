import type { LoadFigure } from './lookup.js';

/** Figures of one measured thing after several rounds: the median round of each side and the median of the per-round ratios. */
export interface PairedFigure {
  ours: LoadFigure;
  reference: LoadFigure;
  /** Median over the rounds of ours / reference in requests per second. */
  ratio: number;
  /** Each round's ratio, in order. */
  roundRatios: number[];
}

/**
 * The machines are shared and noisy: a change of load during a run must hit
 * both sides. So ours and the reference are measured alternately in several
 * short rounds (each side's server started for its turn and stopped after it:
 * PGlite lets one process open a data folder), and the median ratio is kept.
 * `runOurs` and `runReference` measure every named thing once and return a
 * figure per name.
 */
export async function alternateRounds<Name extends string>(
  rounds: number,
  names: readonly Name[],
  runOurs: (round: number) => Promise<Record<Name, LoadFigure>>,
  runReference: (round: number) => Promise<Record<Name, LoadFigure>>,
): Promise<Record<Name, PairedFigure>> {
  const ours: Record<Name, LoadFigure>[] = [];
  const reference: Record<Name, LoadFigure>[] = [];
  for (let round = 1; round <= rounds; round++) {
    ours.push(await runOurs(round));
    reference.push(await runReference(round));
  }
  const paired = {} as Record<Name, PairedFigure>;
  for (const name of names) {
    const oursRounds = ours.map((figures) => figures[name]);
    const referenceRounds = reference.map((figures) => figures[name]);
    const roundRatios = oursRounds.map((figure, index) => ratioOf(figure, referenceRounds[index]));
    paired[name] = { ours: medianFigure(oursRounds), reference: medianFigure(referenceRounds), ratio: median(roundRatios), roundRatios };
  }
  return paired;
}

function ratioOf(ours: LoadFigure, reference: LoadFigure | undefined): number {
  if (!reference || reference.requestsPerSecond === 0) return 0;
  return Math.round((ours.requestsPerSecond / reference.requestsPerSecond) * 100) / 100;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The round whose throughput is the median one (its latencies belong to it). */
function medianFigure(figures: LoadFigure[]): LoadFigure {
  const sorted = [...figures].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const figure = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!figure) throw new Error('no rounds were measured');
  return figure;
}
