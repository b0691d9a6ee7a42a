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

type FooterLines = Record<'en' | 'de' | 'pl', (link: string | null) => string>;

const footers: FooterLines = {
  en: (link) =>
    `Message generated automatically, please do not reply. Preferred contact through the form available on the order page${link ? `: ${link}` : '.'}`,
  de: (link) =>
    `Nachricht automatisch erstellt, bitte nicht antworten. Bevorzugter Kontakt über das Formular auf der Bestellseite${link ? `: ${link}` : '.'}`,
  pl: (link) =>
    `Wiadomość wygenerowana automatycznie, prosimy na nią nie odpowiadać. Preferowany kontakt przez formularz dostępny na stronie zamówienia${link ? `: ${link}` : '.'}`,
};

/** Without the no-reply footer, a "page + e-mail" message still points to the page (unless its text links it already). */
const pageLinkLines: FooterLines = {
  en: (link) => `This message is also on your order page, where you can write to us${link ? `: ${link}` : '.'}`,
  de: (link) => `Diese Nachricht finden Sie auch auf Ihrer Bestellseite, dort können Sie uns schreiben${link ? `: ${link}` : '.'}`,
  pl: (link) => `Tę wiadomość znajdziesz też na stronie zamówienia, gdzie możesz do nas napisać${link ? `: ${link}` : '.'}`,
};

function footerIn(lines: FooterLines, language: string | null, pageUrl: string | null) {
  const footer = lines[(language ?? 'en').slice(0, 2) as keyof FooterLines] ?? lines.en;
  const html = pageUrl
    ? `${escapeHtml(footer(null).replace(/\.$/, ': '))}<a href="${escapeHtml(pageUrl)}">${escapeHtml(pageUrl)}</a>`
    : escapeHtml(footer(null));
  return { text: footer(pageUrl), html };
}

/** The seed's "please do not reply" line in the order's language (English where there is no translation), with the order page link. */
export function noReplyFooter(language: string | null, pageUrl: string | null) {
  return footerIn(footers, language, pageUrl);
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
  const isFooter = [...Object.values(footers), ...Object.values(pageLinkLines)].some((footer) =>
    tail.startsWith(footer(null).replace(/\.$/, '')),
  );
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
 * Makes the rendered e-mails of kinds page_and_email and page_and_email_notice
 * point to the order page, in each order's language: with settings.noReplyFooter
 * they end with the seed's "please do not reply" footer linking the page;
 * without it a "page + e-mail" message whose text does not link its page yet
 * ends with a line saying the message is also there (the notice kind is a link
 * to the page already). Page tokens are made for orders that have none yet.
 */
export async function addOrderPageFooters(
  services: Services,
  settings: ShopSettings,
  rows: MessageRow[],
  rendered: Map<number, RenderedMessage | Error>,
): Promise<void> {
  const kinds = settings.noReplyFooter ? footedKinds : new Set(['page_and_email']);
  // Without a public address there is no link to give: the no-reply footer still says where to write.
  if (!settings.noReplyFooter && !settings.publicBaseUrl) return;
  const footed = rows.filter((row) => row.kind !== null && kinds.has(row.kind) && !(rendered.get(row.id) instanceof Error));
  if (footed.length === 0) return;
  const { db } = services.database;
  const orderIds = [...new Set(footed.map((row) => row.orderId))];
  const languages = new Map(
    (await db.select({ id: orders.id, language: orders.language }).from(orders).where(inArray(orders.id, orderIds))).map((order) => [
      order.id,
      order.language,
    ]),
  );
  // Read for every order, made where missing (in one statement): the page each e-mail links.
  const tokens = await ensurePageTokens(db, orderIds);
  for (const row of footed) {
    const message = rendered.get(row.id);
    if (!message || message instanceof Error || !languages.has(row.orderId)) continue;
    const pageUrl = orderPageUrl(settings, { pageToken: tokens.get(row.orderId) ?? null });
    const language = languages.get(row.orderId) ?? settings.defaultLanguage;
    if (settings.noReplyFooter) rendered.set(row.id, withFooter(message, noReplyFooter(language, pageUrl)));
    else if (pageUrl && !message.text.includes(pageUrl))
      rendered.set(row.id, withFooter(message, footerIn(pageLinkLines, language, pageUrl)));
  }
}
