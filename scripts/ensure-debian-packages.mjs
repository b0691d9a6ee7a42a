// The end-to-end tests drive real programs from Debian's packages: Chromium for
// the order page, Thunderbird under Xvfb for the add-on. `npm test` installs
// what is missing when it can (root with apt-get, as on CI machines); otherwise
// it says what to install and the end-to-end tests report it themselves.
import { spawnSync } from 'node:child_process';

/** Debian packages the end-to-end tests use, with what each is for. */
export const e2ePackages = [
  { name: 'chromium', why: 'order page end-to-end tests (headless Chromium)' },
  { name: 'thunderbird', why: 'add-on end-to-end test (a real Thunderbird)' },
  { name: 'xvfb', why: 'a virtual display for Thunderbird and its screenshots' },
  { name: 'xauth', why: 'xvfb-run needs it' },
  { name: 'imagemagick', why: 'screenshots of Thunderbird windows (import)' },
  { name: 'x11-utils', why: 'finding Thunderbird windows for screenshots (xwininfo)' },
];

function installed(name) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a template
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0)
    process.stdout.write(`${command} ${args.join(' ')} failed:\n${(result.stderr || result.stdout || '').slice(-2000)}\n`);
  return result.status === 0;
}

/**
 * Installs the missing packages of `wanted` with apt-get. Returns the names
 * still missing afterwards (empty when everything is there).
 */
export function ensureDebianPackages(wanted = e2ePackages) {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) {
    process.stdout.write('Not a Debian system: the end-to-end tests need chromium, thunderbird and xvfb installed by hand.\n');
    return wanted.map((p) => p.name);
  }
  const missing = wanted.filter((p) => !installed(p.name));
  if (missing.length === 0) return [];
  const names = missing.map((p) => p.name);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    process.stdout.write(
      `Missing Debian packages for the end-to-end tests: ${names.join(' ')} (run: sudo apt-get install -y ${names.join(' ')})\n`,
    );
    return names;
  }
  process.stdout.write(`Installing Debian packages for the end-to-end tests: ${names.join(' ')}\n`);
  const started = Date.now();
  if (!run('apt-get', ['install', '-y', '-q', ...names])) {
    run('apt-get', ['update', '-q']);
    run('apt-get', ['install', '-y', '-q', ...names]);
  }
  const still = names.filter((name) => !installed(name));
  process.stdout.write(
    still.length === 0
      ? `Installed in ${Math.round((Date.now() - started) / 1000)} s\n`
      : `Still missing after apt-get: ${still.join(' ')}\n`,
  );
  return still;
}
