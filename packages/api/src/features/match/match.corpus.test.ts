import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.js';
import { testConfig } from '../../../test/context.js';
import { silentLogger } from '../../logger.js';
import { createServices } from '../../services.js';
import { evaluateCorpusIn } from './match.evaluate.js';

const here = dirname(fileURLToPath(import.meta.url));
const ownCorpora = join(here, '..', '..', '..', 'test', 'corpus');
/** The shared corpus, then every corpus of our own (one shop each: match-extra, match-shopify, …). */
const corpora: [string, string][] = [
  [
    'the shared labelled corpus',
    process.env.MATCH_CORPUS_DIR ?? join(here, '..', '..', '..', '..', '..', '..', 'shared', 'corpus', 'match'),
  ],
  ...readdirSync(ownCorpora)
    .sort()
    .map((name): [string, string] => [`our own corpus ${name}`, join(ownCorpora, name)]),
];

/** The evaluation command's path (parse, extract, POST /v1/match) over the labelled corpora: every case must pass. */
describe.each(corpora)('%s', (_label, dir) => {
  it.skipIf(!existsSync(join(dir, 'expected.json')))('matches every case', async () => {
    const database = await openTestDatabase();
    try {
      const outcomes = await evaluateCorpusIn(createServices({ database, logger: silentLogger, config: testConfig }), dir);
      expect(outcomes.length).toBeGreaterThan(0);
      expect(outcomes.filter((o) => !o.passed).map((o) => `${o.file}: expected ${o.expected.join(',')}; got ${o.returned}`)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
