import { sql } from 'drizzle-orm';
import { files, orders, orderStatuses } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { ensurePageTokens } from '../orders/orders.page-token.js';
import { findActiveContent } from './templates.active-content.js';
import { type AttachmentFile, attachmentsFor, filesNeeded } from './templates.attachments.js';
import { type CompiledTemplate, compileTemplate, type RenderSource, renderPart } from './templates.compile.js';
import { htmlData, type TemplateContext, type TemplateOrder, templateData } from './templates.data.js';
import { htmlToPlainText, oneLine, withPreheader } from './templates.html.js';

export type { RenderSource } from './templates.compile.js';

/** One message rendered for one order, ready for the mailer. */
export interface RenderedMessage {
  subject: string;
  /** Null for text templates. */
  html: string | null;
  text: string;
  preheader: string | null;
  warnings: string[];
  attachments: { filename: string; contentType: string; content: Buffer }[];
  /** Reply-To of this message instead of the sender's (the shop's notification of a customer message: the customer). */
  replyTo?: { name?: string; address: string };
  /** Extra headers (e.g. X-Orderpost-Order). */
  headers?: Record<string, string>;
}

export interface RenderOptions {
  /** Build the attachments (files read, invoices looked up, PDFs made); true unless said otherwise. */
  attachments?: boolean;
}

/**
 * The message for one order. Throws AppError: ORDER_NOT_FOUND; UNKNOWN_TAGS,
 * TEMPLATE_INVALID or ACTIVE_CONTENT for a template that does not pass (or,
 * for TEMPLATE_INVALID and ACTIVE_CONTENT, that fails on this order's data).
 */
export async function renderForOrder(
  services: Services,
  source: RenderSource,
  orderId: number,
  options: RenderOptions = {},
): Promise<RenderedMessage> {
  const result = (await renderForOrders(services, source, [orderId], options)).get(orderId);
  if (!result) throw new AppError('ORDER_NOT_FOUND', `There is no order ${orderId}`);
  if (result instanceof AppError) throw result;
  return result;
}

/** The columns a template reads, selected by name from the table. */
const orderColumns = {
  id: orders.id,
  number: orders.number,
  statusId: orders.statusId,
  orderedAt: orders.orderedAt,
  currency: orders.currency,
  buyerName: orders.buyerName,
  buyerEmail: orders.buyerEmail,
  buyerPhone: orders.buyerPhone,
  buyerLogin: orders.buyerLogin,
  deliveryAddress: orders.deliveryAddress,
  invoiceAddress: orders.invoiceAddress,
  paymentMethod: orders.paymentMethod,
  items: orders.items,
  total: orders.total,
  language: orders.language,
  extraFields: orders.extraFields,
  invoicesView: orders.invoicesView,
  parcelsView: orders.parcelsView,
  pageToken: orders.pageToken,
} satisfies Record<keyof TemplateOrder, unknown>;

/**
 * The message for each order, rendered with one parse of the template (cached
 * by its content) and one query each for the orders, the statuses and the
 * attachment files. A template that does not pass throws (it would fail for
 * every order); what fails for one order's data is that order's entry:
 * ORDER_NOT_FOUND, TEMPLATE_INVALID (a render limit hit), ACTIVE_CONTENT.
 * Attachments hold file contents in memory: render large batches in chunks.
 */
export async function renderForOrders(
  services: Services,
  source: RenderSource,
  orderIds: readonly number[],
  options: RenderOptions = {},
): Promise<Map<number, RenderedMessage | AppError>> {
  const compiled = compileTemplate(source);
  const { db } = services.database;
  const ids = [...new Set(orderIds)];
  const [settings, statuses, rows] = await Promise.all([
    services.settings.get(),
    db.select({ id: orderStatuses.id, customerName: orderStatuses.customerName }).from(orderStatuses),
    db
      .select(orderColumns)
      .from(orders)
      .where(sql`${orders.id} = any(${sql.param(ids)}::int[])`),
  ]);
  const context: TemplateContext = {
    shopName: settings.shopName,
    publicBaseUrl: settings.publicBaseUrl,
    defaultLanguage: settings.defaultLanguage,
    statusNames: new Map(statuses.map((status) => [status.id, status.customerName])),
    today: services.clock(),
  };
  const readsLinks = compiled.reads.has('order_link') || compiled.reads.has('invoice_link');
  if (readsLinks && context.publicBaseUrl) {
    const lacking = rows.filter((row) => !row.pageToken).map((row) => row.id);
    const tokens = await ensurePageTokens(db, lacking);
    for (const row of rows) row.pageToken ??= tokens.get(row.id) ?? null;
  }
  const withAttachments = options.attachments !== false && source.attachments.length > 0;
  const fileIds = withAttachments ? filesNeeded(source.attachments, rows) : [];
  const stored: Map<number, AttachmentFile> = new Map(
    fileIds.length === 0
      ? []
      : (
          await db
            .select({ id: files.id, filename: files.filename, contentType: files.contentType, content: files.content })
            .from(files)
            .where(sql`${files.id} = any(${sql.param(fileIds)}::int[])`)
        ).map((file) => [file.id, file]),
  );

  const results = new Map<number, RenderedMessage | AppError>();
  for (const id of ids) results.set(id, new AppError('ORDER_NOT_FOUND', `There is no order ${id}`));
  for (const row of rows) {
    try {
      const message = renderMessage(compiled, row, context);
      if (withAttachments) {
        const attached = await attachmentsFor(source.attachments, row, context, stored);
        message.attachments = attached.attachments;
        message.warnings.push(...attached.warnings);
      }
      results.set(row.id, message);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.set(row.id, error);
    }
  }
  return results;
}

/** Subject, bodies and preheader for one order (no attachments); synchronous, so a batch renders without waiting. */
function renderMessage(compiled: CompiledTemplate, order: TemplateOrder, context: TemplateContext): RenderedMessage {
  const data = templateData(order, context);
  const subject = oneLine(renderPart(compiled, 'subject', data), 300);
  const preheader = compiled.preheader ? oneLine(renderPart(compiled, 'preheader', data), 300) || null : null;
  const warnings = [...compiled.warnings, ...linkWarnings(compiled, order, context, data)];
  if (compiled.format === 'text') {
    return { subject, html: null, text: renderPart(compiled, 'content', data).trim(), preheader, warnings, attachments: [] };
  }
  const body = renderPart(compiled, 'content', htmlData(data));
  // Escaping keeps order data from making tags; this catches data a template put where escaping is not enough (an attribute, a URL).
  const active = findActiveContent(body);
  if (active) {
    throw new AppError(
      'ACTIVE_CONTENT',
      `Rendered for order ${order.number}, the template contains ${active.what} ("${active.near}"): order data ends up where it becomes active; not sent`,
      'content',
    );
  }
  return { subject, html: withPreheader(body, preheader), text: htmlToPlainText(body), preheader, warnings, attachments: [] };
}

function linkWarnings(
  compiled: CompiledTemplate,
  order: TemplateOrder,
  context: TemplateContext,
  data: ReturnType<typeof templateData>,
): string[] {
  const warnings: string[] = [];
  for (const tag of ['order_link', 'invoice_link'] as const) {
    if (compiled.reads.has(tag) && !context.publicBaseUrl) {
      warnings.push(`[${tag}] is empty: the shop's public address (publicBaseUrl in the settings) is not set`);
    }
  }
  if (compiled.reads.has('invoice_link') && context.publicBaseUrl && data.invoice_link === '') {
    warnings.push(`[invoice_link] is empty: order ${order.number} has no invoice or pro-forma with a PDF`);
  }
  if (compiled.reads.has('shipment_track_link') && data.shipment_track_link === '') {
    warnings.push(
      data.carrier === ''
        ? `[shipment_track_link] is empty: order ${order.number} has no parcel`
        : `[shipment_track_link] is empty: no tracking page is known for the carrier "${data.carrier}"`,
    );
  }
  return warnings;
}
