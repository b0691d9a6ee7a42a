import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..', '..', '..');
export const addonDir = join(repoRoot, 'packages', 'addon');
export const xpiPath = join(addonDir, 'dist', 'orderpost.xpi');

/** The newest modification time under `path` (a file or a directory tree). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) if (entry !== 'node_modules') latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Whether dist/orderpost.xpi is newer than everything it is built from. */
export function xpiIsFresh(): boolean {
  if (!existsSync(xpiPath)) return false;
  const sources = ['src', 'static', 'types', 'webpack.config.mjs', 'package.json', 'tsconfig.json'].map((p) => join(addonDir, p));
  sources.push(join(repoRoot, 'packages', 'shared', 'src'));
  return statSync(xpiPath).mtimeMs > Math.max(...sources.map(newest));
}

/** `pnpm --filter @orderpost/addon build` unless the .xpi is already fresh; resolves with its path. */
export async function ensureAddonXpi(log: (line: string) => void): Promise<{ path: string; built: boolean; ms: number }> {
  const started = Date.now();
  if (xpiIsFresh()) return { path: xpiPath, built: false, ms: 0 };
  log('building the add-on (pnpm --filter @orderpost/addon build)…');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'pnpm.mjs'), '--filter', '@orderpost/addon', 'build'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    child.on('error', (error) => {
      output.push(String(error));
      resolve(null);
    });
    child.on('exit', resolve);
  });
  if (code !== 0 || !existsSync(xpiPath)) throw new Error(`building the add-on failed (exit ${code}):\n${output.join('').slice(-4000)}`);
  return { path: xpiPath, built: true, ms: Date.now() - started };
}
