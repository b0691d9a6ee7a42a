import type { MatchCandidate } from '@orderpost/shared/schemas/match';
import type { Me } from '@orderpost/shared/schemas/me';
import type { Order } from '@orderpost/shared/schemas/orders';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

type Handler = (request: RecordedRequest) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

/** How the API behaves as a whole: up, down (connection refused), hanging (until the client gives up), or refusing the token. */
export type ApiMode = 'up' | 'down' | 'hang' | '401' | '403' | 'not-json';

export const baseUrl = 'http://localhost:3000';
export const token = 'op_agent_token';

/**
 * A stand-in Orderpost API behind a `fetch` function: routes by "METHOD
 * /path", records every request, and can be switched into the failure modes
 * the add-on has to explain.
 */
export class FakeApi {
  mode: ApiMode = 'up';
  readonly requests: RecordedRequest[] = [];
  readonly routes = new Map<string, Handler>();

  constructor() {
    this.on('GET /v1/me', () => ({ status: 200, body: me() }));
  }

  on(route: string, handler: Handler): this {
    this.routes.set(route, handler);
    return this;
  }

  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      authorization: headers.get('authorization'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    this.requests.push(request);
    if (this.mode === 'down') throw new TypeError('NetworkError when attempting to fetch resource.');
    if (this.mode === 'hang') {
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
      });
    }
    if (this.mode === 'not-json') return new Response('<html>proxy</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    if (this.mode === '401') return json(401, apiError('TOKEN_INVALID', 'The token is not valid'));
    if (this.mode === '403') return json(403, apiError('FORBIDDEN_ROLE', 'This token may not do this'));
    const handler = this.routes.get(`${request.method} ${url.pathname}`);
    if (!handler) return json(404, apiError('ROUTE_NOT_FOUND', `No route ${request.method} ${url.pathname}`));
    const { status, body } = await handler(request);
    return json(status, body);
  }) as typeof fetch;

  calls(route: string): RecordedRequest[] {
    const [method, path] = route.split(' ');
    return this.requests.filter((request) => request.method === method && request.path.split('?')[0] === path);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export function apiError(code: string, message: string) {
  return { error: { code, message, requestId: 'req_test' } };
}

export function me(overrides: Partial<Me['token']> = {}): Me {
  return {
    token: { id: 7, name: 'Thunderbird Anna', role: 'agent', ...overrides },
    shop: {
      name: 'My Shop',
      defaultCountry: 'PL',
      defaultLanguage: 'pl',
      ownDomains: ['myshop.example'],
      publicBaseUrl: 'https://shop.example/orders',
    },
  };
}

export function order(id: number, number: string, overrides: Partial<Order> = {}): Order {
  return {
    id,
    number,
    source: 'shop',
    externalId: null,
    status: 'new',
    orderedAt: '2026-11-18T09:00:00.000Z',
    createdAt: '2026-11-18T09:00:00.000Z',
    updatedAt: '2026-11-18T09:00:00.000Z',
    archivedAt: null,
    currency: 'PLN',
    buyer: { name: 'Anna Nowak', email: 'anna@example.com', phone: '600 987 654', phoneE164: '+48600987654', login: null },
    deliveryAddress: null,
    invoiceAddress: null,
    items: [{ name: 'Teapot', sku: 'TP-1', ean: null, quantity: 2, price: '49.50', taxRate: 23 }],
    total: '99.00',
    payment: { method: 'transfer', cashOnDelivery: false, amountPaid: '99.00', paidAt: '2026-11-18T10:00:00.000Z' },
    language: 'pl',
    extraFields: {},
    invoices: [],
    parcels: [
      {
        id: 1,
        carrier: 'InPost',
        trackingNumber: '620000000000000000000001',
        status: 'sent',
        photo: null,
        createdAt: '2026-11-19T09:00:00.000Z',
        updatedAt: '2026-11-19T09:00:00.000Z',
      },
    ],
    ...overrides,
  };
}

export function candidate(
  id: number,
  number: string,
  confidence: MatchCandidate['confidence'],
  reason = 'order number in the subject',
): MatchCandidate {
  return {
    order: {
      id,
      number,
      source: 'shop',
      externalId: null,
      status: 'new',
      orderedAt: '2026-11-18T09:00:00.000Z',
      total: '99.00',
      currency: 'PLN',
      buyerName: 'Anna Nowak',
      buyerEmail: 'anna@example.com',
      archived: false,
    },
    confidence,
    score: confidence === 'high' ? 100 : confidence === 'medium' ? 60 : 20,
    reasons: [{ signal: 'order-number', confidence, text: reason, value: number }],
  };
}
