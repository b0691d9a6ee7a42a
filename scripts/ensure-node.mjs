// Orderpost needs Node 22.12 or newer. On an older Node (such as a machine that
// still has Node 20) the root commands run themselves again under Node 22 taken
// from the npm registry (`npx -p node@22`), so `npm start` and `npm test` work
// there too. The children of that process (pnpm, tsx, vitest) inherit Node 22
// through PATH.
import { spawn, spawnSync } from 'node:child_process';
import { delimiter, dirname } from 'node:path';

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

/**
 * Returns when this Node will do; otherwise runs the script again under Node 22
 * and exits with its code. Node 22 comes from the npm registry through npx, but
 * is then started directly (not under npx, which does not pass signals on), with
 * its folder first on PATH so that everything started below uses it too.
 */
export async function ensureNode(scriptPath) {
  if (nodeIsRecentEnough()) return;
  const wanted = minimumNode.join('.');
  if (process.env.ORDERPOST_NODE_FROM_NPX) {
    process.stderr.write(`Node ${process.versions.node} was started for Orderpost, which needs ${wanted} or newer.\n`);
    process.exit(1);
  }
  process.stderr.write(
    `Node ${process.versions.node} is older than the ${wanted} Orderpost needs: using Node 22 from the npm registry (npx -p node@22).\n`,
  );
  const probe = spawnSync('npx', ['--yes', '-p', 'node@22', 'node', '-p', 'process.execPath'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: process.platform === 'win32',
  });
  const node22 = probe.status === 0 ? probe.stdout.trim().split('\n').pop() : '';
  if (!node22) {
    process.stderr.write('Could not get Node 22 through npx. Install Node 22 LTS or newer.\n');
    process.exit(1);
  }
  const path = `${dirname(node22)}${delimiter}${process.env.PATH ?? ''}`;
  const code = await runChild(node22, [scriptPath, ...process.argv.slice(2)], {
    env: { ...process.env, PATH: path, ORDERPOST_NODE_FROM_NPX: '1', npm_node_execpath: node22 },
    shell: false,
  });
  process.exit(code);
}
