// Orderpost needs Node 22.12 or newer. On an older Node (such as a machine that
// still has Node 20) the root commands run themselves again under Node 22 taken
// from the npm registry (`npx -p node@22`), so `npm start` and `npm test` work
// there too. The children of that process (pnpm, tsx, vitest) inherit Node 22
// through PATH.
import { spawn } from 'node:child_process';

export const minimumNode = [22, 12];

export function nodeIsRecentEnough(version = process.versions.node) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > minimumNode[0] || (major === minimumNode[0] && minor >= minimumNode[1]);
}

/**
 * Runs a command with inherited output and resolves with its exit code. SIGINT
 * and SIGTERM sent to this process are passed on, so stopping `npm start` stops
 * the API gracefully through every layer of launchers.
 */
export function runChild(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32', ...options });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      process.stderr.write(`Could not start ${command}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 + 15 : 1));
    });
  });
}

/** Returns when this Node will do; otherwise runs the script again under Node 22 and exits with its code. */
export async function ensureNode(scriptPath) {
  if (nodeIsRecentEnough()) {
    if (process.env.ORDERPOST_NODE_FROM_NPX) forgetNpxEnvironment();
    return;
  }
  const wanted = minimumNode.join('.');
  if (process.env.ORDERPOST_NODE_FROM_NPX) {
    process.stderr.write(`Node ${process.versions.node} was started for Orderpost, which needs ${wanted} or newer.\n`);
    process.exit(1);
  }
  process.stderr.write(
    `Node ${process.versions.node} is older than the ${wanted} Orderpost needs: using Node 22 from the npm registry (npx -p node@22).\n`,
  );
  const code = await runChild('npx', ['--yes', '-p', 'node@22', 'node', scriptPath, ...process.argv.slice(2)], {
    env: { ...process.env, ORDERPOST_NODE_FROM_NPX: '1' },
  });
  process.exit(code);
}

/** npx leaves its own settings in the environment (the package it ran, the old Node's path): later npx and pnpm calls must not see them. */
function forgetNpxEnvironment() {
  for (const name of [
    'npm_config_package',
    'npm_config_call',
    'npm_command',
    'npm_lifecycle_event',
    'npm_lifecycle_script',
    'npm_execpath',
  ]) {
    delete process.env[name];
  }
  process.env.npm_node_execpath = process.execPath;
}
