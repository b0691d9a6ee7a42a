import type { MatchOutcome } from './match-outcome.js';

export const matchCacheTtlMs = 10 * 60 * 1000;
export const matchCacheSize = 200;

/**
 * Outcomes per Thunderbird message id, so showing a message again (or opening
 * the popup) asks the API nothing. Only successful matches are kept: after a
 * failure the next display tries again. Oldest entries go first.
 */
export class MatchCache {
  readonly #entries = new Map<number, { at: number; outcome: MatchOutcome }>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly ttlMs = matchCacheTtlMs,
    private readonly size = matchCacheSize,
  ) {}

  get(messageId: number): MatchOutcome | null {
    const entry = this.#entries.get(messageId);
    if (!entry) return null;
    if (this.now() - entry.at > this.ttlMs) {
      this.#entries.delete(messageId);
      return null;
    }
    return entry.outcome;
  }

  set(messageId: number, outcome: MatchOutcome): void {
    if (outcome.state !== 'matched') return;
    this.#entries.delete(messageId);
    this.#entries.set(messageId, { at: this.now(), outcome });
    while (this.#entries.size > this.size) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  forget(messageId: number): void {
    this.#entries.delete(messageId);
  }

  clear(): void {
    this.#entries.clear();
  }
}
