import type { MatchCandidate, MatchResult } from '@orderpost/shared/schemas/match';
import type { ApiFailure } from '../api/api-error.js';

/** What the add-on knows about a displayed message's orders. */
export type MatchOutcome =
  | { state: 'not-configured' }
  | { state: 'failed'; failure: ApiFailure }
  | { state: 'matched'; claims: MatchCandidate[]; suggestions: MatchCandidate[] };

/**
 * Splits the API's candidates: high and medium confidence are claims (the
 * badge counts them), low ones only suggestions shown apart. Best first, as
 * the API ranked them.
 */
export function outcomeOf(result: MatchResult): MatchOutcome {
  const claims = result.candidates.filter((candidate) => candidate.confidence !== 'low');
  const suggestions = result.candidates.filter((candidate) => candidate.confidence === 'low');
  return { state: 'matched', claims, suggestions };
}
