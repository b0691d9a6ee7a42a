#!/usr/bin/env node
// Type-checks every package, runs the whole vitest suite, and ends with the
// totals alone on a line: "N passed, N failed" (CI reads that line).
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './ensure-debian-packages.mjs';
import { ensureNode } from './ensure-node.mjs';

await ensureNode(fileURLToPath(import.meta.url));
const { pnpm } = await import('./pnpm.mjs');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, '.test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const run = (args, label) => {
  process.stdout.write(`\n== ${label}\n`);
  return pnpm(args, { cwd: root });
};

process.stdout.write(`Node ${process.versions.node}\n`);
if ((await run(['install', '--frozen-lockfile'], 'install')) !== 0) {
  process.stdout.write('\n0 passed, 1 failed\n');
  process.exit(1);
}

if (process.env.TEST_DATABASE_URL)
  process.stdout.write(`Tests run on PGlite and on PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/:[^:@/]+@/, ':***@')})\n`);
else process.stdout.write('Tests run on PGlite only (set TEST_DATABASE_URL to run them on PostgreSQL too)\n');

process.stdout.write('\n== end-to-end prerequisites (Debian packages)\n');
const missingPackages = ensureDebianPackages();
if (missingPackages.length > 0) process.env.E2E_MISSING_PACKAGES = missingPackages.join(' ');

const typecheck = await run(['-r', 'typecheck'], 'type-check');
const lint = await run(['exec', 'biome', 'ci', '--error-on-warnings', '.'], 'lint and format (biome)');
const resultsFile = join(resultsDir, 'vitest.json');
const tests = await run(['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`], 'tests');

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = report.numPassedTests ?? 0;
  // A file that fails before its tests run has no failed test, only a failed suite.
  failed = (report.numFailedTests ?? 0) || (report.numFailedTestSuites ?? 0);
} catch {
  failed += 1;
  process.stdout.write('No test report was written: the test run itself failed.\n');
}
if (typecheck !== 0) {
  failed += 1;
  process.stdout.write('Type-check failed (counted as one failure).\n');
}
if (lint !== 0) {
  failed += 1;
  process.stdout.write('Lint or format check failed (counted as one failure; `npm run format` fixes formatting).\n');
}
if (tests !== 0 && failed === 0) failed = 1;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
