import { PGlite } from '@electric-sql/pglite';
import { serve } from '@hono/node-server';
import { stopWithParent } from './child-lifecycle.js';
import { Hono } from 'hono';
import postgres from 'postgres';

/**
 * The bare reference: the least an HTTP lookup can do on the same database —
 * one indexed SELECT per request with the already-normalised value in the path,
 * no auth, no validation, no logging. `BENCH_DATABASE_URL` (PostgreSQL, prepared
 * statements through the raw driver) or `BENCH_DATA_DIR` (PGlite). Prints
 * `{"port":…}` when ready. `GET /p/:token` is the order page's reference: the
 * order by its page token (one indexed SELECT) as a small escaped HTML page.
 */
const columns = { email: 'buyer_email_norm', phone: 'buyer_phone_e164', number: 'number_compact' } as const;
type Lookup = keyof typeof columns;
const isLookup = (value: string): value is Lookup => value in columns;

interface PageRow {
  number: string;
  status_id: string;
  ordered_at: Date | string;
  buyer_name: string | null;
  currency: string;
  total: string;
  items: { name: string; quantity: number; price: string }[];
}

interface Store {
  find(lookup: Lookup, value: string): Promise<readonly unknown[]>;
  page(token: string): Promise<PageRow | undefined>;
  close(): Promise<void>;
}

const pageQuery = 'select number, status_id, ordered_at, buyer_name, currency, total, items from orders where page_token = $1';

async function openStore(): Promise<Store> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const sql = postgres(url, { max: 10, prepare: true, onnotice: () => undefined });
    return {
      find: (lookup, value) => sql`select * from orders where ${sql(columns[lookup])} = ${value}`,
      page: async (token) => (await sql.unsafe<PageRow[]>(pageQuery, [token], { prepare: true }))[0],
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const dataDir = process.env.BENCH_DATA_DIR;
  if (!dataDir) throw new Error('set BENCH_DATABASE_URL or BENCH_DATA_DIR');
  const client = await PGlite.create(dataDir);
  const statements = Object.fromEntries(
    Object.entries(columns).map(([lookup, column]) => [lookup, `select * from orders where ${column} = $1`]),
  ) as Record<Lookup, string>;
  return {
    find: async (lookup, value) => (await client.query(statements[lookup], [value])).rows,
    page: async (token) => (await client.query<PageRow>(pageQuery, [token])).rows[0],
    close: () => client.close(),
  };
}

const store = await openStore();
const app = new Hono();
app.get('/orders/:lookup/:value', async (c) => {
  const lookup = c.req.param('lookup');
  if (!isLookup(lookup)) return c.json({ error: 'unknown lookup' }, 404);
  return c.json({ orders: await store.find(lookup, c.req.param('value')) });
});

const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
app.get('/p/:token', async (c) => {
  const order = await store.page(c.req.param('token'));
  if (!order) return c.html('<!doctype html><title>Not found</title><p>Not found</p>', 404);
  const items = order.items
    .map((item) => `<li>${escapeHtml(item.name)} × ${escapeHtml(item.quantity)}: ${escapeHtml(item.price)}</li>`)
    .join('');
  return c.html(
    `<!doctype html><meta charset="utf-8"><title>Order ${escapeHtml(order.number)}</title>` +
      `<h1>Order ${escapeHtml(order.number)}</h1><p>${escapeHtml(order.status_id)} · ${escapeHtml(new Date(order.ordered_at).toISOString())}</p>` +
      `<p>${escapeHtml(order.buyer_name)}</p><ul>${items}</ul><p>Total ${escapeHtml(order.total)} ${escapeHtml(order.currency)}</p>`,
  );
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});

stopWithParent(server, () => store.close());
