#!/usr/bin/env node
// Runs the pnpm version pinned in package.json's "packageManager", so a fresh
// machine needs only Node and npm: a matching global pnpm is used when there is
// one, otherwise npx fetches the pinned version from the npm registry.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;
const version = String(pinned)
  .replace(/^pnpm@/, '')
  .split('+')[0];
const args = process.argv.slice(2);
const env = { ...process.env, COREPACK_ENABLE_STRICT: '0' };

function globalPnpmVersion() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env, shell: process.platform === 'win32' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

const run =
  globalPnpmVersion() === version
    ? spawnSync('pnpm', args, { stdio: 'inherit', env, cwd: process.cwd(), shell: process.platform === 'win32' })
    : spawnSync('npx', ['--yes', `pnpm@${version}`, ...args], {
        stdio: 'inherit',
        env,
        cwd: process.cwd(),
        shell: process.platform === 'win32',
      });

if (run.error) {
  console.error(`Could not start pnpm ${version}: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
