import type { ServerChild } from './children.js';

export interface ImportFigure {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  /** True when the time limit stopped the import before every batch was sent. */
  cutShort: boolean;
}

const requestTimeoutMs = 300_000;

/** Sends the batches one after another (as one integration would) and times the whole import. */
export async function importBatches(server: ServerChild, batches: string[], deadline: number): Promise<ImportFigure> {
  const token = String(server.info.token);
  let orders = 0;
  let cutShort = false;
  const started = performance.now();
  for (const [index, body] of batches.entries()) {
    if (Date.now() > deadline) {
      cutShort = true;
      break;
    }
    const response = await fetch(`${server.url}/v1/orders/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`batch ${index + 1} failed: HTTP ${response.status} ${text.slice(0, 500)}`);
    const result = JSON.parse(text) as { created: number; updated: number; unchanged: number };
    orders += result.created + result.updated + result.unchanged;
    if ((index + 1) % 10 === 0 || index === batches.length - 1) {
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`    ${orders} orders, ${Math.round(orders / seconds)}/s\n`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { orders, seconds: round(seconds, 1), ordersPerSecond: Math.round(orders / seconds), cutShort };
}

export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
