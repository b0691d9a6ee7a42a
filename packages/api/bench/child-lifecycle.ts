import type { ServerType } from '@hono/node-server';

/**
 * For a server run by the benchmark: stop on SIGTERM/SIGINT, and also when the
 * parent goes away (it holds our stdin open), closing `close` (the database) last.
 */
export function stopWithParent(server: ServerType, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
}
