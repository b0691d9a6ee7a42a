import type { AddressInfo } from 'node:net';
import type { App } from '../../../../api/src/app.js';
import { createApp } from '../../../../api/src/app.js';
import { openDatabase } from '../../../../api/src/db/client.js';
import { loadCorpus } from '../../../../api/src/features/match/match.evaluate.js';
import { createTemplate } from '../../../../api/src/features/templates/templates.service.js';
import { createToken } from '../../../../api/src/features/tokens/tokens.service.js';
import { startServer } from '../../../../api/src/http/serve.js';
import { silentLogger } from '../../../../api/src/logger.js';
import { createServices } from '../../../../api/src/services.js';
import { testConfig } from '../../../../api/test/context.js';

export interface ApiCall {
  method: string;
  path: string;
  status: number;
  /** The request body as sent (what left Thunderbird). */
  body: string;
  at: number;
}

export interface LocalApi {
  url: string;
  /** An agent token: what a seller puts into the add-on. */
  token: string;
  templateId: number;
  /** The id of the order with this number (asked of the API, as the add-on would). */
  orderId(number: string): Promise<number>;
  calls: ApiCall[];
  close(): Promise<void>;
}

/**
 * The Orderpost API on 127.0.0.1 (a free port), on an in-memory PGlite, with a
 * match corpus loaded (its orders and the e-mails the shop sent for them), an
 * agent token and one text template. Every request is recorded.
 */
export async function startLocalApi(corpusDir: string): Promise<LocalApi> {
  const database = await openDatabase({ dataDir: 'memory://' });
  const services = createServices({ database, logger: silentLogger, config: testConfig });
  await loadCorpus(services, corpusDir);
  const { token } = await createToken(services, { name: 'Thunderbird e2e (agent)', role: 'agent' });
  const template = await createTemplate(services, {
    name: 'Parcel on its way',
    subject: 'Your order [order_number]',
    format: 'text',
    content: 'Hello [name],\n\nyour order [order_number] is on its way.\n\nKind regards\nCustomer care',
    hidden: false,
    attachments: [],
  });
  const app = createApp(services);
  const calls: ApiCall[] = [];
  const recording = Object.create(app) as App;
  recording.fetch = async (request: Request, ...rest: unknown[]) => {
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
    const response = await (app.fetch as (r: Request, ...x: unknown[]) => Response | Promise<Response>)(request, ...rest);
    calls.push({ method: request.method, path: new URL(request.url).pathname, status: response.status, body, at: Date.now() });
    return response;
  };
  const server = startServer(recording, { port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    templateId: template.id,
    async orderId(number) {
      const res = await app.request(`/v1/orders?number=${encodeURIComponent(number)}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { orders?: { id: number; number: string }[]; items?: { id: number; number: string }[] };
      const found = (body.orders ?? body.items ?? []).find((o) => o.number === number);
      if (!found) throw new Error(`no order ${number} in the API: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return found.id;
    },
    calls,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await services.queue.stop(1000);
      await services.mail.close();
      await database.close();
    },
  };
}
