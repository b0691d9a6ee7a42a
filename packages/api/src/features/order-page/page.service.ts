import { journalTypes, type Address } from '@orderpost/shared';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { files, journal, orderMessages, orders, orderStatuses, shopSettings } from '../../db/schema/index.js';
import type { Services } from '../../services.js';
import { chosenInvoice, type InvoiceCopy, type ParcelCopy } from '../templates/templates.data.js';
import { withoutNoReplyFooter } from './notification.delivery.js';

/** The message kinds the seller meant for the customer's eyes (the seed: "order page + e-mail", "order page only"). */
export const customerVisibleKinds = ['page_and_email', 'page_and_email_notice', 'page_only'] as const;

/** A token as we make them: 128 bits, base64url (orders.page-token.ts). */
const tokenShape = /^[A-Za-z0-9_-]{22}$/;
/**
 * What is looked up for a token of any other shape: a value of the same length
 * that no token can be (`~` is not base64url). Every token costs the same one
 * indexed lookup, and text PostgreSQL would refuse (NUL) never reaches it.
 */
const impossibleToken = '~'.repeat(22);

export function lookupKey(token: string): string {
  return tokenShape.test(token) ? token : impossibleToken;
}

export interface PageMessage {
  id: number;
  direction: 'out' | 'in';
  subject: string | null;
  text: string;
  at: Date;
  attachment: { filename: string; size: number } | null;
}

export interface StatusStep {
  status: string;
  at: Date;
}

export interface OrderPageData {
  order: {
    id: number;
    number: string;
    orderedAt: Date;
    currency: string;
    language: string | null;
    items: { name: string; sku: string | null; quantity: number; price: string }[];
    total: string;
    deliveryAddress: Address | null;
    archived: boolean;
    statusId: string;
  };
  statusNames: ReadonlyMap<string, string>;
  /** Oldest first; the last step is the current status. */
  statusHistory: StatusStep[];
  parcels: ParcelCopy[];
  invoice: InvoiceCopy | null;
  messages: PageMessage[];
  pageFormEnabled: boolean;
}

interface RawMessage {
  id: number;
  direction: 'out' | 'in';
  kind: string | null;
  subject: string | null;
  body: string | null;
  text: string | null;
  at: string;
  attachment: { filename: string; size: number } | null;
}

const { id, number, orderedAt, currency, language, items, total, deliveryAddress, archivedAt, statusId, invoicesView, parcelsView } =
  getTableColumns(orders);

/** When a message happened: sent, or written (page messages, the customer's). */
const happenedAt = sql`coalesce(${orderMessages.occurredAt}, ${orderMessages.createdAt})`;

/**
 * The whole page in one statement, looked up by the unique index on
 * orders.page_token: the order's columns, and beside them its status changes,
 * the customer's part of its correspondence, the customer-facing status names
 * and whether the form is on. A token that names nothing costs exactly that one
 * index probe.
 */
function preparePageQuery(db: Db) {
  const statusChanges = sql<{ to: string; from: string | null; at: string }[]>`coalesce((
    select jsonb_agg(jsonb_build_object('from', ${journal.data}->>'from', 'to', ${journal.data}->>'to', 'at', ${journal.createdAt}) order by ${journal.id})
      from ${journal} where ${journal.orderId} = ${orders.id} and ${journal.type} = ${sql.raw(String(journalTypes.STATUS_CHANGED))}), '[]'::jsonb)`;
  const kinds = sql.raw(customerVisibleKinds.map((kind) => `'${kind}'`).join(', '));
  const messages = sql<RawMessage[]>`coalesce((
    select jsonb_agg(jsonb_build_object(
        'id', ${orderMessages.id}, 'direction', ${orderMessages.direction}, 'kind', ${orderMessages.kind},
        'subject', ${orderMessages.subject}, 'body', ${orderMessages.body}, 'text', ${orderMessages.text}, 'at', ${happenedAt},
        'attachment', case when ${files.id} is null then null
          else jsonb_build_object('filename', ${files.filename}, 'size', ${files.size}) end
      ) order by ${happenedAt}, ${orderMessages.id})
      from ${orderMessages} left join ${files} on ${files.id} = ${orderMessages.attachmentFileId}
      where ${orderMessages.orderId} = ${orders.id}
        and ((${orderMessages.direction} = 'out' and ${orderMessages.kind} in (${kinds}))
          or (${orderMessages.channel} = 'page' and ${orderMessages.direction} = 'in'))), '[]'::jsonb)`;
  const statusNames = sql<
    Record<string, string>
  >`(select coalesce(jsonb_object_agg(${orderStatuses.id}, ${orderStatuses.customerName}), '{}'::jsonb) from ${orderStatuses})`;
  return (
    db
      .select({
        id,
        number,
        orderedAt,
        currency,
        language,
        items,
        total,
        deliveryAddress,
        archivedAt,
        statusId,
        invoicesView,
        parcelsView,
        statusChanges,
        messages,
        statusNames,
        formEnabled: shopSettings.pageFormEnabled,
      })
      .from(orders)
      // The settings row rides along (and makes every column name qualified in the subqueries).
      .leftJoin(shopSettings, eq(shopSettings.id, 1))
      .where(eq(orders.pageToken, sql.placeholder('token')))
      .prepare('order_page')
  );
}

const preparedPages = new WeakMap<Db, ReturnType<typeof preparePageQuery>>();

/** Everything the order page shows, or null when no order has this token (whatever its shape). */
export async function loadOrderPage(services: Services, token: string): Promise<OrderPageData | null> {
  const { db } = services.database;
  const prepared = preparedPages.get(db) ?? preparePageQuery(db);
  preparedPages.set(db, prepared);
  const [row] = await prepared.execute({ token: lookupKey(token) });
  if (!row) return null;
  const orderedOn = row.orderedAt;
  const firstChange = row.statusChanges[0];
  const statusHistory: StatusStep[] = [
    { status: firstChange?.from ?? row.statusId, at: orderedOn },
    ...row.statusChanges.map((change) => ({ status: change.to, at: new Date(change.at) })),
  ];
  return {
    order: {
      id: row.id,
      number: row.number,
      orderedAt: orderedOn,
      currency: row.currency,
      language: row.language,
      items: row.items.map((item) => ({ name: item.name, sku: item.sku, quantity: item.quantity, price: item.price })),
      total: row.total,
      deliveryAddress: row.deliveryAddress,
      archived: row.archivedAt !== null,
      statusId: row.statusId,
    },
    statusNames: new Map(Object.entries(row.statusNames)),
    statusHistory,
    parcels: row.parcelsView as ParcelCopy[],
    invoice: chosenInvoice({ invoicesView: row.invoicesView }),
    messages: row.messages.flatMap((message) => {
      const text = pageText(message);
      if (text === null && message.attachment === null) return [];
      return [
        {
          id: message.id,
          direction: message.direction,
          // The notice kind's subject is the notice e-mail's ("New message about your order"), not the message's.
          subject: message.kind === 'page_and_email_notice' ? null : message.subject,
          text: text ?? '',
          at: new Date(message.at),
          attachment: message.attachment,
        },
      ];
    }),
    pageFormEnabled: row.formEnabled ?? true,
  };
}

/**
 * What a message reads on the page, as plain text: for "page + e-mail without
 * content" the text written (the stored text is the notice e-mail's); else the
 * text as rendered (a template's text part) or as written. A template e-mail
 * not rendered yet has none and appears once the worker has rendered it.
 */
function pageText(message: RawMessage): string | null {
  const written = message.text ?? message.body;
  const text =
    message.kind === 'page_and_email_notice'
      ? message.body
      : // The e-mail's no-reply footer (settings.noReplyFooter) is in its stored text part; the page shows the message without it.
        message.kind === 'page_and_email' && written !== null
        ? withoutNoReplyFooter(written)
        : written;
  return text && text.trim() !== '' ? text : null;
}

/** The order a page token names (for its downloads), or null. Same single lookup as the page. */
async function orderOfToken(db: Db, token: string) {
  const [row] = await db
    .select({ id: orders.id, invoicesView: orders.invoicesView })
    .from(orders)
    .where(eq(orders.pageToken, lookupKey(token)));
  return row ?? null;
}

export interface Download {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

async function fileById(db: Db, fileId: number): Promise<Download | null> {
  const [file] = await db
    .select({ filename: files.filename, contentType: files.contentType, content: files.content })
    .from(files)
    .where(eq(files.id, fileId));
  return file ?? null;
}

/** The order's invoice PDF (the latest invoice, else the latest pro-forma), or null. */
export async function invoiceDownload(services: Services, token: string): Promise<Download | null> {
  const { db } = services.database;
  const order = await orderOfToken(db, token);
  const fileId = order ? chosenInvoice(order)?.file?.id : undefined;
  return fileId === undefined ? null : fileById(db, fileId);
}

/** A file the customer attached to one of their messages on this order's page, or null. */
export async function customerAttachment(services: Services, token: string, messageId: string): Promise<Download | null> {
  const { db } = services.database;
  const idNumber = /^[1-9][0-9]{0,9}$/.test(messageId) ? Number(messageId) : 0;
  const [file] = await db
    .select({ filename: files.filename, contentType: files.contentType, content: files.content })
    .from(orderMessages)
    .innerJoin(orders, eq(orders.id, orderMessages.orderId))
    .innerJoin(files, eq(files.id, orderMessages.attachmentFileId))
    .where(
      and(
        eq(orders.pageToken, lookupKey(token)),
        eq(orderMessages.id, idNumber > 2_147_483_647 ? 0 : idNumber),
        eq(orderMessages.channel, 'page'),
        eq(orderMessages.direction, 'in'),
      ),
    );
  return file ?? null;
}

/** The shop's logo, when `fileId` is the one set now. */
export async function logoDownload(services: Services, fileId: string): Promise<Download | null> {
  const settings = await services.settings.get();
  const logo = settings.logo;
  if (!logo || String(logo.id) !== fileId) return null;
  return fileById(services.database.db, logo.id);
}
