import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Debian programs this test drives; an empty list when all are there. */
export function missingPrograms(): string[] {
  const wanted = [
    ['thunderbird', '/usr/bin/thunderbird'],
    ['xvfb-run (xvfb)', '/usr/bin/xvfb-run'],
    ['xauth', '/usr/bin/xauth'],
    ['import (imagemagick)', '/usr/bin/import'],
    ['xwininfo (x11-utils)', '/usr/bin/xwininfo'],
  ];
  return wanted.filter(([, path]) => !existsSync(path as string)).map(([name]) => name as string);
}

export interface Thunderbird {
  /** Everything Thunderbird printed (add-on console output included). */
  output(): string;
  /** Resolves with the exit code when xvfb-run (and so Xvfb) is gone. */
  exited: Promise<number | null>;
  /** A PNG of one top-level window (by a part of its title) or of the whole screen. */
  screenshot(path: string, titlePart?: string): { ok: boolean; detail: string };
  windowTitles(): string[];
  /** Top-level windows on screen now (mapped): id, title and size. A popup panel shows up here when open. */
  viewableWindows(): { id: string; title: string; geometry: string }[];
  /** Asks Thunderbird to quit (SIGTERM to Thunderbird itself, never the xvfb-run group), then SIGKILLs Thunderbird alone if it hangs. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts Thunderbird on a profile under `xvfb-run -a` (1280×1024). The wrapper
 * shell prints its pid (Thunderbird's, after exec), DISPLAY and XAUTHORITY
 * first, for screenshots and for stopping Thunderbird alone.
 */
export async function startThunderbird(profileDir: string, options: { log?: (line: string) => void } = {}): Promise<Thunderbird> {
  const script = 'echo "E2E_ENV $$ $DISPLAY $XAUTHORITY"; exec thunderbird --no-remote --profile "$0"';
  const child: ChildProcess = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x1024x24', 'sh', '-c', script, profileDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_DISABLE_AUTO_SAFE_MODE: '1', LANG: 'en_US.UTF-8' },
  });
  let out = '';
  let env: { pid: number; display: string; xauthority: string } | null = null;
  let envResolve!: () => void;
  const envReady = new Promise<void>((resolve) => {
    envResolve = resolve;
  });
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    out += text;
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    for (const line of text.split('\n')) if (line.trim()) options.log?.(line);
    const m = /E2E_ENV (\d+) (\S+) (\S+)/.exec(out);
    if (m && !env) {
      env = { pid: Number(m[1]), display: m[2] as string, xauthority: m[3] as string };
      envResolve();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      envResolve();
      resolve(code);
    });
  });
  await envReady;
  if (!env) throw new Error(`xvfb-run ended before Thunderbird started:\n${out.slice(-3000)}`);
  const { pid, display, xauthority } = env as { pid: number; display: string; xauthority: string };
  const xenv = { ...process.env, DISPLAY: display, XAUTHORITY: xauthority };
  let gone = false;
  // If the test process itself ends early, Thunderbird must not outlive it.
  const onExit = () => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
  };
  process.once('exit', onExit);
  void exited.then(() => {
    gone = true;
    process.off('exit', onExit);
  });

  const windows = (): { id: string; title: string }[] => {
    const r = spawnSync('xwininfo', ['-root', '-children'], { env: xenv, encoding: 'utf8' });
    const list: { id: string; title: string }[] = [];
    for (const line of (r.stdout ?? '').split('\n')) {
      const m = /^\s+(0x[0-9a-f]+) "(.*)":/.exec(line);
      if (m) list.push({ id: m[1] as string, title: m[2] as string });
    }
    return list;
  };

  return {
    output: () => out,
    exited,
    windowTitles: () => windows().map((w) => w.title),
    viewableWindows() {
      return windows().flatMap((w) => {
        const r = spawnSync('xwininfo', ['-id', w.id], { env: xenv, encoding: 'utf8' });
        if (!/Map State:\s+IsViewable/.test(r.stdout ?? '')) return [];
        const width = /Width:\s+(\d+)/.exec(r.stdout)?.[1];
        const height = /Height:\s+(\d+)/.exec(r.stdout)?.[1];
        const x = /Absolute upper-left X:\s+(-?\d+)/.exec(r.stdout)?.[1];
        const y = /Absolute upper-left Y:\s+(-?\d+)/.exec(r.stdout)?.[1];
        return [{ ...w, geometry: `${width}x${height}+${x}+${y}` }];
      });
    },
    screenshot(path, titlePart) {
      const target = titlePart ? windows().find((w) => w.title.includes(titlePart)) : undefined;
      if (titlePart && !target)
        return { ok: false, detail: `no window titled *${titlePart}* among ${JSON.stringify(windows().map((w) => w.title))}` };
      const r = spawnSync('/usr/bin/import', ['-window', target ? target.id : 'root', path], {
        env: xenv,
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { ok: r.status === 0, detail: r.status === 0 ? path : `import failed: ${r.stderr || r.error}` };
    },
    async stop(graceMs = 20_000) {
      if (gone) return;
      const wait = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {}
      if (await wait(graceMs)) return;
      // Thunderbird hangs: kill it alone (its content processes die with it); xvfb-run then cleans Xvfb up itself.
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
      if (await wait(10_000)) return;
      try {
        child.kill('SIGTERM');
      } catch {}
      await wait(10_000);
    },
  };
}
