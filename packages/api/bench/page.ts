import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { journalTypes } from '@orderpost/shared';
import { openDatabase } from '../src/db/client.js';
import { startServerChild, type ServerChild } from './children.js';
import type { BenchDatabase } from './databases.js';
import { round } from './import.js';
import { type LoadFigure, type LoadOptions, measureRequests } from './lookup.js';
import { alternateRounds } from './rounds.js';
import { table } from './report.js';

/**
 * `bench page`: customers opening their order page (`GET /p/{token}`, a random
 * order's token per request) with 50 connections, next to the bare reference
 * in the same run (reference-server.ts's `/p/:token`: one indexed SELECT of the
 * order by its page token and a small HTML answer). The orders are written
 * straight into the database with a few statements (not timed): items, an
 * address, a parcel for two orders in three, status history, the seller's
 * message on every order and, on one in four, a conversation of four messages
 * of which the page shows three (the internal note never).
 */

const here = dirname(fileURLToPath(import.meta.url));
const say = (line: string) => process.stdout.write(`${line}\n`);

export interface PageBenchOptions {
  orders: number;
  rounds: number;
  load: LoadOptions;
  nodeArgs: string[];
}

export interface PageBenchResult {
  database: string;
  orders: number;
  seedSeconds: number;
  /** Bytes of one answer, ours and the reference's (the same order). */
  pageBytes: number;
  referenceBytes: number;
  ours: LoadFigure;
  reference: LoadFigure;
  /** Median over the rounds of ours / reference in requests per second. */
  ratio: number;
  roundRatios: number[];
}

const products: readonly (readonly [string, string])[] = [
  ['Monstera deliciosa 60 cm', '89.00'],
  ['Pilea peperomioides', '24.00'],
  ['Doniczka terakota 14 cm', '19.90'],
  ['Ziemia tropikalna 5 l', '21.50'],
  ['Ficus lyrata 90 cm', '149.00'],
  ['Kalatea Orbifolia', '59.00'],
];

/** The order-page secret as the app makes it (orders.page-token.ts): 128 random bits, base64url. */
const newToken = () => randomBytes(16).toString('base64url');

/**
 * Writes `count` orders with page tokens, parcels, status history and
 * conversations into the database (migrated when opened), in a handful of
 * set-based statements. Returns the tokens, in order id order.
 */
export async function seedPageOrders(database: BenchDatabase, count: number): Promise<{ tokens: string[]; seconds: number }> {
  const started = performance.now();
  const opened = await openDatabase(
    database.kind === 'postgres' ? { url: database.serverEnv.DATABASE_URL ?? '' } : { dataDir: database.serverEnv.DATA_DIR ?? '' },
  );
  const tokens = Array.from({ length: count }, newToken);
  // The order lines (1–4 of the shop's products) as the app stores them, made here: cheaper than in SQL on PGlite.
  const items: string[] = [];
  const totals: string[] = [];
  for (let n = 1; n <= count; n++) {
    const lines = Array.from({ length: 1 + (n % 4) }, (_, index) => {
      const [name, price] = products[(n + index + 1) % products.length] ?? ['', '0'];
      return { name, sku: `SKU-${(n + index + 1) % products.length}`, ean: null, quantity: 1 + ((n + index + 1) % 3), price, taxRate: 23 };
    });
    items.push(JSON.stringify(lines));
    totals.push((lines.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0) / 100).toFixed(2));
  }
  try {
    const { db } = opened;
    let stepStarted = performance.now();
    const step = (what: string) => {
      say(`    ${what}: ${Math.round(performance.now() - stepStarted)} ms`);
      stepStarted = performance.now();
    };
    await db.execute(sql`update shop_settings set shop_name = 'Plant shop', public_base_url = 'https://plants.example',
      notification_email = 'orders@plants.example' where id = 1`);
    // Ids are given (n = 1…count) so the parcels and the orders' copy of them are written with the orders,
    // without a second pass over the table. 20,000 orders a statement keeps PGlite's memory flat.
    for (let from = 0; from < count; from += 20_000) {
      const slice = tokens.slice(from, from + 20_000);
      await db.execute(sql`
        insert into orders (id, number, number_compact, source, status_id, ordered_at, currency, buyer_name, buyer_email,
                            buyer_email_norm, buyer_email_canonical, buyer_phone, buyer_phone_e164, buyer_phone_national,
                            delivery_address, payment_method, language, items, total, parcels_view, page_token)
        overriding system value
        select n, 'ZP/2026/' || lpad(n::text, 6, '0'), 'ZP2026' || lpad(n::text, 6, '0'), 'shop',
               (array['new','paid','processing','shipped','shipped','delivered'])[1 + n % 6],
               now() - (n % 365) * interval '1 day' - (n % 1440) * interval '1 minute', 'PLN',
               b.name, b.email, b.email, b.email, '+48 ' || b.phone, '+48' || b.phone, b.phone,
               jsonb_build_object('name', b.name, 'street', 'ul. Długa ' || (1 + n % 120), 'city',
                 (array['Warszawa','Kraków','Gdańsk','Poznań','Wrocław','Olsztyn'])[1 + n % 6],
                 'postcode', '10-' || lpad((n % 1000)::text, 3, '0'), 'countryCode', 'PL'),
               (array['transfer','card','blik','cod'])[1 + n % 4], (array['pl','pl','de','en'])[1 + n % 4],
               t.items::jsonb, t.total::numeric,
               -- The copy the app keeps of the order's parcels (orders.documents.ts): the parcel written below.
               case when n % 3 <> 0 then jsonb_build_array(jsonb_build_object('id', n, 'carrier', 'InPost',
                 'trackingNumber', '6200' || lpad(n::text, 20, '0'), 'status', 'in_transit', 'createdAt', now(), 'updatedAt', now(),
                 'photo', null)) else '[]'::jsonb end,
               t.token
          from unnest(${sql.param(slice)}::text[], ${sql.param(items.slice(from, from + 20_000))}::text[],
                      ${sql.param(totals.slice(from, from + 20_000))}::text[]) with ordinality as t(token, items, total, k)
         cross join lateral (select ${from}::int + t.k::int as n) as g
         cross join lateral (select (array['Anna Nowak','Piotr Wiśniewski','Lena Schmidt','Jonas Becker','Zofia Mazur'])[1 + n % 5] as name,
                                    'buyer' || n || '@example.pl' as email, (501000000 + n)::text as phone) as b
         `);
    }
    step('orders');
    await db.execute(sql`
      insert into parcels (id, order_id, carrier, tracking_number, tracking_compact, status)
      overriding system value
      select id, id, 'InPost', '6200' || lpad(id::text, 20, '0'), '6200' || lpad(id::text, 20, '0'), 'in_transit'
        from orders where id % 3 <> 0`);
    await db.execute(sql`select setval(pg_get_serial_sequence('orders', 'id'), (select max(id) from orders))`);
    await db.execute(sql`select setval(pg_get_serial_sequence('parcels', 'id'), (select max(id) from parcels))`);
    step('parcels');
    await db.execute(sql`
      insert into journal (type, order_id, data, created_at)
      select ${journalTypes.STATUS_CHANGED}::smallint, o.id, jsonb_build_object('from', s.from_status, 'to', s.to_status),
             o.ordered_at + s.step * interval '6 hours'
        from orders o
       cross join (values (1, 'new', 'paid'), (2, 'paid', 'shipped')) as s(step, from_status, to_status)`);
    step('status history');
    // The conversation: every order has the seller's message (page + e-mail, sent); one in four also the
    // customer's answer on the page, the seller's reply on the page only, and an internal note the page
    // must not show.
    await db.execute(sql`
      insert into order_messages (order_id, channel, direction, kind, status, to_address, subject, body, body_format, text,
                                  message_id, message_id_norm, occurred_at, created_at, updated_at)
      select o.id, m.channel, m.direction, m.kind, m.status, case when m.channel = 'email' then o.buyer_email end,
             m.subject, m.body, 'text', m.body,
             case when m.channel = 'email' then 'op.' || o.id || '.' || m.step || '@plants.example' end,
             case when m.channel = 'email' then 'op.' || o.id || '.' || m.step || '@plants.example' end,
             o.ordered_at + m.step * interval '1 day', o.ordered_at + m.step * interval '1 day', o.ordered_at + m.step * interval '1 day'
        from orders o
       cross join (values
         (1, 'email', 'out', 'page_and_email', 'sent', 'Your order has been sent',
          E'Hello,\nyour order is on its way. Track the parcel from your order page.\nThank you for shopping at Plant shop!'),
         (2, 'page', 'in', null, 'stored', null,
          E'Hello, could you tell me when the parcel arrives?\nI am away on Friday.'),
         (3, 'page', 'out', 'page_only', 'stored', null,
          E'Hello, the carrier expects to deliver it on Thursday.\nBest regards, Plant shop'),
         (4, 'note', 'internal', 'internal', 'stored', null, 'Customer asked about the delivery date; answered.')
       ) as m(step, channel, direction, kind, status, subject, body)
       where m.step = 1 or o.id % 4 = 0`);
    step('conversations');
    await db.execute(sql`analyze`);
    step('analyze');
  } finally {
    await opened.close();
  }
  return { tokens, seconds: round((performance.now() - started) / 1000, 1) };
}

/** One request first, so a wrong setup shows as an error rather than as fast 404s; answers the page's size. */
async function assertShowsOrder(server: ServerChild, path: string, expected: string): Promise<number> {
  const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(30_000) });
  const body = await response.text();
  if (response.status !== 200 || !body.includes(expected))
    throw new Error(`GET ${path} answered ${response.status} without "${expected}": ${body.slice(0, 300)}`);
  return Buffer.byteLength(body);
}

export async function benchPage(database: BenchDatabase, options: PageBenchOptions): Promise<PageBenchResult> {
  say(`\n== ${database.kind} (${database.location})`);
  say(`  preparing: writing ${options.orders} orders with conversations, parcels and status history (not timed)`);
  const seeded = await seedPageOrders(database, options.orders);
  say(`  written in ${seeded.seconds} s`);
  const tokens = seeded.tokens;
  const randomPath = () => `/p/${tokens[Math.floor(Math.random() * tokens.length)]}`;
  const sample = { path: `/p/${tokens[0]}`, number: 'ZP/2026/000001' };
  let pageBytes = 0;
  let referenceBytes = 0;

  const measureSide = async (server: ServerChild, side: string) => {
    try {
      const bytes = await assertShowsOrder(server, sample.path, sample.number);
      if (side === 'ours') pageBytes = bytes;
      else referenceBytes = bytes;
      say(`    ${side.padEnd(9)} GET /p/{token}: ${options.load.connections} connections, ${options.load.durationSeconds} s`);
      return { page: await measureRequests(server.url, {}, options.load, () => ({ method: 'GET', path: randomPath() })) };
    } finally {
      await server.stop();
    }
  };
  const paired = await alternateRounds(
    options.rounds,
    ['page'] as const,
    async (round) => {
      say(`  round ${round}/${options.rounds}: ours`);
      return measureSide(await startServerChild(join(here, 'serve.ts'), database.serverEnv, { nodeArgs: options.nodeArgs }), 'ours');
    },
    async (round) => {
      say(`  round ${round}/${options.rounds}: reference`);
      return measureSide(await startServerChild(join(here, 'reference-server.ts'), database.referenceEnv), 'reference');
    },
  );
  return {
    database: database.kind,
    orders: tokens.length,
    seedSeconds: seeded.seconds,
    pageBytes,
    referenceBytes,
    ...paired.page,
  };
}

export function pageSummary(results: PageBenchResult[]): string {
  return table(
    [
      'page view',
      'orders',
      'bytes',
      'ours req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'ref bytes',
      'ref req/s',
      'ref p50',
      'ref p99',
      'median ratio',
      'rounds',
    ],
    results.map((r) => [
      r.database,
      String(r.orders),
      String(r.pageBytes),
      String(r.ours.requestsPerSecond),
      r.ours.p50Ms.toFixed(1),
      r.ours.p99Ms.toFixed(1),
      String(r.ours.errors),
      String(r.referenceBytes),
      String(r.reference.requestsPerSecond),
      r.reference.p50Ms.toFixed(1),
      r.reference.p99Ms.toFixed(1),
      r.ratio.toFixed(2),
      r.roundRatios.map((ratio) => ratio.toFixed(2)).join(' '),
    ]),
  );
}
