#!/usr/bin/env node
// Runs the pnpm version pinned in package.json's "packageManager", so a fresh
// machine needs only Node and npm: a matching global pnpm is used when there is
// one, otherwise npx fetches the pinned version from the npm registry. On a Node
// older than the project needs, it first moves to Node 22 (ensure-node.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode, runChild } from './ensure-node.mjs';

await ensureNode(fileURLToPath(import.meta.url));

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;
const version = String(pinned)
  .replace(/^pnpm@/, '')
  .split('+')[0];
const env = { ...process.env, COREPACK_ENABLE_STRICT: '0' };

function globalPnpmVersion() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env, shell: process.platform === 'win32' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

/** Runs the pinned pnpm with these arguments and resolves with its exit code. */
export function pnpm(args, options = {}) {
  const [command, prefix] = globalPnpmVersion() === version ? ['pnpm', []] : ['npx', ['--yes', `pnpm@${version}`]];
  return runChild(command, [...prefix, ...args], { env, cwd: process.cwd(), ...options });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(await pnpm(process.argv.slice(2)));
