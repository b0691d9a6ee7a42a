import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PostgreSQL cluster of a test's own, on its own port, that the test may stop and start again. */
export interface PgCluster {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

/** The folder with initdb and pg_ctl (newest version), or a reason why there is none. */
export function findPgBin(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return { missing: `${root} does not exist (no PostgreSQL server binaries)` };
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl')) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  if (!newest) return { missing: `no initdb/pg_ctl under ${root}/*/bin` };
  return { bin: join(root, newest, 'bin') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * initdb + pg_ctl start in a temporary folder. PostgreSQL refuses to run as
 * root, so as root the commands run as the `postgres` user (runuser).
 */
export async function startPgCluster(bin: string): Promise<PgCluster> {
  const folder = mkdtempSync(join(tmpdir(), 'orderpost-pg-'));
  chmodSync(folder, 0o777);
  const dataDir = join(folder, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const exec = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]) : run(join(bin, command), args);
  await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => {
    await exec('pg_ctl', ['start', '-w', '-t', '30', '-D', dataDir, '-l', join(folder, 'log'), '-o', options]);
  };
  const stop = async () => {
    await exec('pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', dataDir]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    remove: async () => {
      await stop().catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
