import { resolve } from 'node:path';
import { openDatabase } from '../db/client.js';
import { invocationDirectory, readEnv } from '../env.js';
import { evaluateCorpusIn } from '../features/match/match.evaluate.js';
import { silentLogger } from '../logger.js';
import { createServices } from '../services.js';

/**
 * pnpm eval:match <corpus-dir>: loads the corpus into a fresh embedded
 * database, runs every case through extraction and POST /v1/match, prints each
 * failed case and then `match-eval: <passed>/<total> passed`. Exits 0 whatever
 * the score (it measures; it does not judge).
 */
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const dir = args.find((arg) => !arg.startsWith('--'));
if (!dir) {
  process.stderr.write('usage: pnpm eval:match <corpus-dir> [--verbose]   (a folder with orders.json, expected.json and cases/*.eml)\n');
  process.exit(2);
}
const corpusDir = resolve(invocationDirectory(), dir);
const config = {
  ...readEnv({}),
  BODY_LIMIT_BYTES: 4 * 1024 * 1024,
  BATCH_BODY_LIMIT_BYTES: 32 * 1024 * 1024,
  FILE_MAX_BYTES: 10 * 1024 * 1024,
  ARCHIVE_AFTER_DAYS: 36500,
};
const database = await openDatabase({ dataDir: 'memory://' });
try {
  const outcomes = await evaluateCorpusIn(createServices({ database, logger: silentLogger, config }), corpusDir);
  for (const outcome of outcomes.filter((o) => verbose || !o.passed)) {
    if (outcome.passed) {
      process.stdout.write(`ok   ${outcome.file}: ${outcome.returned}\n`);
      continue;
    }
    process.stdout.write(
      `FAIL ${outcome.file}: expected [${outcome.expected.join(', ')}], claimed [${outcome.claimed.join(', ')}]; returned ${outcome.returned}\n`,
    );
  }
  process.stdout.write(`match-eval: ${outcomes.filter((o) => o.passed).length}/${outcomes.length} passed\n`);
} catch (error) {
  process.stderr.write(`match-eval could not run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
