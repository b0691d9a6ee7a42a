import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { zip } from './zip.js';

export const driverId = 'orderpost-e2e@tests.orderpost.app';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  name: string;
}

/**
 * The local HTTP server the driver add-on long-polls: `GET /next` waits up to
 * 20 s for a command, `POST /result` answers one. `send(name, args)` queues a
 * command and resolves with the driver's answer.
 */
export class DriverServer {
  private server: Server;
  private queue: { id: number; name: string; args: unknown }[] = [];
  private waiting: ServerResponse[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private helloResolve!: () => void;
  /** Resolves at the driver's first poll. */
  readonly connected = new Promise<void>((resolve) => {
    this.helloResolve = resolve;
  });
  port = 0;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** The driver add-on as an .xpi, pointed at this server. */
  xpi(): Buffer {
    const dir = join(import.meta.dirname, '..', 'driver');
    const files: Record<string, string | Buffer> = {};
    for (const name of readdirSync(dir)) files[name] = readFileSync(join(dir, name));
    files['config.js'] = `globalThis.E2E_SERVER = 'http://127.0.0.1:${this.port}';\n`;
    return zip(files);
  }

  send<T = unknown>(name: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`driver command ${name} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        name,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.queue.push({ id, name, args });
      this.flush();
    });
  }

  private flush() {
    while (this.queue.length > 0 && this.waiting.length > 0) {
      const res = this.waiting.shift() as ServerResponse;
      if (res.writableEnded || res.destroyed) continue;
      const command = this.queue.shift();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(command));
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method === 'GET' && req.url === '/next') {
      this.helloResolve();
      this.waiting.push(res);
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((r) => r !== res);
        if (!res.writableEnded) res.writeHead(204).end();
      }, 20_000);
      res.on('close', () => {
        clearTimeout(timer);
        this.waiting = this.waiting.filter((r) => r !== res);
      });
      this.flush();
      return;
    }
    if (req.method === 'POST' && req.url === '/result') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204).end();
        const result = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; ok: boolean; value?: unknown; error?: string };
        const pending = this.pending.get(result.id);
        if (!pending) return;
        this.pending.delete(result.id);
        if (result.ok) pending.resolve(result.value);
        else pending.reject(new Error(`driver command ${pending.name} failed: ${result.error}`));
      });
      return;
    }
    res.writeHead(404).end();
  }

  async close() {
    for (const res of this.waiting) if (!res.writableEnded) res.writeHead(204).end();
    this.waiting = [];
    for (const p of this.pending.values()) p.reject(new Error('driver server closed'));
    this.pending.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
