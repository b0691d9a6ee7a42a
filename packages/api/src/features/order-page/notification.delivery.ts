import type { ShopSettings } from '@orderpost/shared';
import { inArray } from 'drizzle-orm';
import { files, type orderMessages, orders } from '../../db/schema/index.js';
import type { Services } from '../../services.js';
import { ensurePageTokens } from '../orders/orders.page-token.js';
import { orderPageUrl } from '../templates/templates.data.js';
import { escapeHtml } from '../templates/templates.html.js';
import type { RenderedMessage } from '../templates/templates.render.js';
import { oneLine } from './notification.js';

type MessageRow = typeof orderMessages.$inferSelect;

/**
 * The shop's notifications of customer messages, as the worker sends them:
 * subject and parts were rendered when the customer wrote (and are in the
 * row); the customer's file goes along, the order is named in a header, and
 * answers go to the customer (the Reply-To stored with the row).
 */
export async function renderNotifications(services: Services, rows: MessageRow[]): Promise<Map<number, RenderedMessage | Error>> {
  const result = new Map<number, RenderedMessage | Error>();
  if (rows.length === 0) return result;
  const { db } = services.database;
  const orderIds = [...new Set(rows.map((row) => row.orderId))];
  const numbers = new Map(
    (await db.select({ id: orders.id, number: orders.number }).from(orders).where(inArray(orders.id, orderIds))).map((order) => [
      order.id,
      order.number,
    ]),
  );
  const fileIds = [...new Set(rows.flatMap((row) => (row.attachmentFileId === null ? [] : [row.attachmentFileId])))];
  const attached = new Map(
    fileIds.length === 0
      ? []
      : (
          await db
            .select({ id: files.id, filename: files.filename, contentType: files.contentType, content: files.content })
            .from(files)
            .where(inArray(files.id, fileIds))
        ).map((file) => [file.id, file]),
  );
  for (const row of rows) {
    const number = numbers.get(row.orderId);
    if (number === undefined) {
      result.set(row.id, new Error('the order no longer exists'));
      continue;
    }
    const file = row.attachmentFileId === null ? undefined : attached.get(row.attachmentFileId);
    result.set(row.id, {
      subject: oneLine(row.subject ?? ''),
      text: row.text ?? '',
      html: row.html,
      preheader: null,
      warnings: [],
      attachments: file ? [{ filename: file.filename, contentType: file.contentType, content: Buffer.from(file.content) }] : [],
      ...(row.replyTo ? { replyTo: { address: oneLine(row.replyTo) } } : {}),
      headers: { 'X-Orderpost-Order': oneLine(number) },
    });
  }
  return result;
}

const footers = {
  en: (link: string | null) =>
    `Message generated automatically, please do not reply. Preferred contact through the form available on the order page${link ? `: ${link}` : '.'}`,
  de: (link: string | null) =>
    `Nachricht automatisch erstellt, bitte nicht antworten. Bevorzugter Kontakt über das Formular auf der Bestellseite${link ? `: ${link}` : '.'}`,
  pl: (link: string | null) =>
    `Wiadomość wygenerowana automatycznie, prosimy na nią nie odpowiadać. Preferowany kontakt przez formularz dostępny na stronie zamówienia${link ? `: ${link}` : '.'}`,
} as const;

/** The seed's "please do not reply" line in the order's language (English where there is no translation), with the order page link. */
export function noReplyFooter(language: string | null, pageUrl: string | null) {
  const footer = footers[(language ?? 'en').slice(0, 2) as keyof typeof footers] ?? footers.en;
  const html = pageUrl
    ? `${escapeHtml(footer(null).replace(/\.$/, ': '))}<a href="${escapeHtml(pageUrl)}">${escapeHtml(pageUrl)}</a>`
    : escapeHtml(footer(null));
  return { text: footer(pageUrl), html };
}

/** Where the footer starts in a text part: the signature separator withFooter writes before it. */
const footerSeparator = '\n\n-- \n';

/**
 * The text part without the no-reply footer withFooter appended (in any of its
 * languages): the footer belongs to the e-mail, and the order page, which shows
 * the stored text part of "page + e-mail" messages, is the form it points to.
 */
export function withoutNoReplyFooter(text: string): string {
  const at = text.lastIndexOf(footerSeparator);
  if (at < 0) return text;
  const tail = text.slice(at + footerSeparator.length);
  const isFooter = Object.values(footers).some((footer) => tail.startsWith(footer(null).replace(/\.$/, '')));
  return isFooter ? text.slice(0, at) : text;
}

function withFooter(message: RenderedMessage, footer: { text: string; html: string }): RenderedMessage {
  const block = `<p style="color:#666;font-size:small">${footer.html}</p>`;
  const end = message.html?.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i) ?? -1;
  const html =
    message.html === null
      ? null
      : end >= 0
        ? `${message.html.slice(0, end)}${block}\n${message.html.slice(end)}`
        : `${message.html}\n${block}`;
  return { ...message, text: `${message.text.replace(/\s+$/, '')}${footerSeparator}${footer.text}`, html };
}

/** Kinds whose e-mail points the customer to the order page: with noReplyFooter on, they end with the footer. */
const footedKinds = new Set(['page_and_email', 'page_and_email_notice']);

/**
 * Appends the no-reply footer (settings.noReplyFooter) to the rendered e-mails
 * of kinds page_and_email and page_and_email_notice, in each order's language,
 * linking its order page (made for orders that have none yet).
 */
export async function addNoReplyFooters(
  services: Services,
  settings: ShopSettings,
  rows: MessageRow[],
  rendered: Map<number, RenderedMessage | Error>,
): Promise<void> {
  if (!settings.noReplyFooter) return;
  const footed = rows.filter((row) => row.kind !== null && footedKinds.has(row.kind) && !(rendered.get(row.id) instanceof Error));
  if (footed.length === 0) return;
  const { db } = services.database;
  const orderRows = await db
    .select({ id: orders.id, language: orders.language, pageToken: orders.pageToken })
    .from(orders)
    .where(inArray(orders.id, [...new Set(footed.map((row) => row.orderId))]));
  const tokens = await ensurePageTokens(
    db,
    orderRows.filter((order) => !order.pageToken).map((order) => order.id),
  );
  for (const row of footed) {
    const message = rendered.get(row.id);
    const order = orderRows.find((candidate) => candidate.id === row.orderId);
    if (!message || message instanceof Error || !order) continue;
    const pageUrl = orderPageUrl(settings, { pageToken: order.pageToken ?? tokens.get(order.id) ?? null });
    rendered.set(row.id, withFooter(message, noReplyFooter(order.language ?? settings.defaultLanguage, pageUrl)));
  }
}
