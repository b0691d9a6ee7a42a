import { describe, expect, it } from 'vitest';
import { MatchCache } from './match-cache.js';

import type { MatchOutcome } from './match-outcome.js';

const matched: MatchOutcome = { state: 'matched', claims: [], suggestions: [] };

describe('match cache', () => {
  it('keeps matches for a while, drops the oldest beyond its size, and never keeps failures', () => {
    let now = 0;
    const cache = new MatchCache(() => now, 1000, 2);
    cache.set(1, matched);
    cache.set(2, { state: 'not-configured' });
    expect(cache.get(1)).toBe(matched);
    expect(cache.get(2)).toBeNull();
    cache.set(2, matched);
    cache.set(3, matched);
    expect(cache.get(1)).toBeNull();
    now = 1001;
    expect(cache.get(3)).toBeNull();
  });
});
