import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from './database.js';

/** packages/api, where `tsx` and the scripts live. */
export const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const running = new Set<ChildProcess>();

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stdout; rejects after `timeoutMs` or when the process ends first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null when killed by a signal); rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | null>;
}

/**
 * Runs a TypeScript entry point of the API with `node --import tsx`, with only
 * the environment given (plus PATH/HOME), so the test's own variables do not leak in.
 */
export function spawnScript(script: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: apiDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  const describe = () => `\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForOutput: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (!match) return false;
          finish();
          resolve(match);
          return true;
        };
        const onData = () => void check();
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms${describe()}`));
        }, timeoutMs);
        const onExit = () => {
          if (check()) return;
          finish();
          reject(new Error(`the process ended before printing ${pattern}${describe()}`));
        };
        const finish = () => {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
        };
        child.stdout?.on('data', onData);
        child.on('exit', onExit);
        if (child.exitCode !== null) onExit();
        else check();
      }),
    exited: (timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the process did not end within ${timeoutMs} ms${describe()}`)), timeoutMs);
        void exit.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      }),
  };
}

/** Runs a script to its end and returns its exit code and output. */
export async function runScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  const spawned = spawnScript(script, args, env);
  const code = await spawned.exited(timeoutMs);
  return { code, stdout: spawned.stdout(), stderr: spawned.stderr() };
}

/** Kills whatever a test left running (only processes started here). */
export function killSpawned(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Where a spawned server or CLI keeps its data: a fresh PGlite data folder, or
 * a fresh PostgreSQL database when the tests run on PostgreSQL.
 */
export interface ProcessDatabase {
  kind: 'pglite' | 'postgres';
  /** The variables that point a process at it. */
  env: Record<string, string>;
  /** Options for openDatabase() to look at it from the test (PGlite: only while no process has it open). */
  options: { url?: string; dataDir?: string };
  remove(): Promise<void>;
}

export async function createProcessDatabase(): Promise<ProcessDatabase> {
  if (testDatabaseKind() === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'orderpost-test-'));
    return {
      kind: 'pglite',
      env: { DATA_DIR: dataDir },
      options: { dataDir },
      remove: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database: TestDatabase = await openTestDatabase();
  const url = database.url ?? '';
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url },
    options: { url },
    remove: () => database.close(),
  };
}
