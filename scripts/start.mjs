#!/usr/bin/env node
// `npm start`: installs the workspace's dependencies, then runs the API with its
// worker (on the embedded database unless DATABASE_URL is set).
import { fileURLToPath } from 'node:url';
import { ensureNode } from './ensure-node.mjs';

await ensureNode(fileURLToPath(import.meta.url));
const { pnpm } = await import('./pnpm.mjs');
const installed = await pnpm(['install', '--frozen-lockfile']);
if (installed !== 0) process.exit(installed);
process.exit(await pnpm(['--filter', '@orderpost/api', 'start']));
