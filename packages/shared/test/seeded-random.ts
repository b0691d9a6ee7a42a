/** mulberry32: a tiny seeded generator, so a generated input is the same every run and a failing one can be found again. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` characters drawn from `alphabet` by a seeded generator. */
export function randomMix(alphabet: string, size: number, seed: number): string {
  const random = seededRandom(seed);
  const chars: string[] = [];
  for (let index = 0; index < size; index++) chars.push(alphabet.charAt(Math.floor(random() * alphabet.length)));
  return chars.join('');
}
