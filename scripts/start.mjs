#!/usr/bin/env node
// `npm start`: installs the workspace's dependencies, then runs the API with its
// worker (on the embedded database unless DATABASE_URL is set). The API runs as
// a direct child so that SIGINT/SIGTERM reach it and it shuts down gracefully.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode, runChild } from './ensure-node.mjs';

await ensureNode(fileURLToPath(import.meta.url));
const { pnpm } = await import('./pnpm.mjs');
const installed = await pnpm(['install', '--frozen-lockfile']);
if (installed !== 0) process.exit(installed);
const api = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'api');
process.exit(await runChild(process.execPath, ['--import', 'tsx', 'src/index.ts'], { cwd: api, shell: false }));
