import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Servers under test run in child processes (their own core); the parent only
 * generates load. Every child is tracked and killed when the parent exits,
 * fails or is interrupted, and a child also exits by itself when its stdin
 * closes (the parent died without cleaning up).
 */
const running = new Set<ChildProcess>();

export interface ServerChild {
  url: string;
  /** The first stdout line, parsed (port, token, …). */
  info: Record<string, unknown>;
  pid: number | undefined;
  stop(): Promise<void>;
}

export async function startServerChild(
  script: string,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; startTimeoutMs?: number } = {},
): Promise<ServerChild> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const stop = () => stopChild(child);
  try {
    const line = await firstLine(child, options.startTimeoutMs ?? 180_000);
    const info = JSON.parse(line) as Record<string, unknown>;
    if (typeof info.port !== 'number') throw new Error(`${script} printed no port: ${line}`);
    return { url: `http://127.0.0.1:${info.port}`, info, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the child's first stdout line; later lines (warnings, errors) are passed on, so the pipe never fills up. */
function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) return reject(new Error('child has no stdout'));
    const lines = createInterface({ input: child.stdout });
    let ready = false;
    const timer = setTimeout(() => done(new Error(`child did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const onExit = (code: number | null) => done(new Error(`child exited (code ${code}) before it was ready`));
    function done(error: Error | null, line?: string) {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line ?? '');
    }
    lines.on('line', (line) => {
      if (ready) return void process.stdout.write(`    [server ${child.pid}] ${line}\n`);
      ready = true;
      done(null, line);
    });
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL after 15 s (a PGlite child flushes its data folder on SIGTERM). */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Runs `cleanup` (drop the database, remove folders) and kills the children on Ctrl-C or SIGTERM. */
let interrupted = false;
/** True once Ctrl-C or SIGTERM arrived: failures after it are the servers going away, not news. */
export const wasInterrupted = () => interrupted;

export function onInterrupt(cleanup: () => Promise<void>): void {
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping the servers and cleaning up\n`);
      killAllChildren();
      const hardStop = setTimeout(() => process.exit(130), 10_000);
      hardStop.unref();
      void cleanup().finally(() => process.exit(130));
    });
  }
}
