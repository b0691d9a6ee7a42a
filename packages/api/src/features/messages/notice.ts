import { randomBytes } from 'node:crypto';
import type { ShopSettings } from '@orderpost/shared';
import { and, eq, isNull } from 'drizzle-orm';
import { orders } from '../../db/schema/index.js';
import type { Services } from '../../services.js';
import type { RenderedMessage } from './delivery.js';

/** The order page's secret: 128 random bits, made on first need, kept if another request made it first. */
export async function ensurePageToken(services: Services, orderId: number, current: string | null): Promise<string> {
  if (current) return current;
  const token = randomBytes(16).toString('base64url');
  const { db } = services.database;
  const [set] = await db
    .update(orders)
    .set({ pageToken: token })
    .where(and(eq(orders.id, orderId), isNull(orders.pageToken)))
    .returning({ pageToken: orders.pageToken });
  if (set?.pageToken) return set.pageToken;
  const [row] = await db.select({ pageToken: orders.pageToken }).from(orders).where(eq(orders.id, orderId));
  return row?.pageToken ?? token;
}

/** The order page's address (`[order_link]`): `<public base URL>/p/<token>`. */
export function orderPageUrl(settings: Pick<ShopSettings, 'publicBaseUrl'>, token: string): string {
  const base = settings.publicBaseUrl ?? 'http://127.0.0.1:3000';
  return `${base}/p/${token}`;
}

const notices = {
  en: {
    subject: (number: string) => `New message about your order ${number}`,
    text: (number: string, shop: string, url: string) =>
      `Hello,\n\nthere is a new message from ${shop} about your order ${number}. Read it and answer on your order page:\n\n${url}\n\nThis message was generated automatically, please do not reply. Please write to us through the form on the order page.`,
  },
  de: {
    subject: (number: string) => `Neue Nachricht zu Ihrer Bestellung ${number}`,
    text: (number: string, shop: string, url: string) =>
      `Guten Tag,\n\n${shop} hat Ihnen eine neue Nachricht zu Ihrer Bestellung ${number} geschrieben. Sie können sie auf Ihrer Bestellseite lesen und beantworten:\n\n${url}\n\nDiese Nachricht wurde automatisch erstellt, bitte antworten Sie nicht darauf. Schreiben Sie uns bitte über das Formular auf der Bestellseite.`,
  },
  pl: {
    subject: (number: string) => `Nowa wiadomość w sprawie zamówienia ${number}`,
    text: (number: string, shop: string, url: string) =>
      `Dzień dobry,\n\n${shop} przesyła nową wiadomość w sprawie Twojego zamówienia ${number}. Możesz ją przeczytać i odpowiedzieć na stronie zamówienia:\n\n${url}\n\nWiadomość wygenerowana automatycznie, prosimy na nią nie odpowiadać. Preferowany kontakt przez formularz na stronie zamówienia.`,
  },
} as const;

/**
 * The e-mail of kind "order page + e-mail without content": it says there is
 * a message and links to the order page, in the order's language (English
 * where no translation exists).
 */
export async function noticeFor(
  services: Services,
  settings: ShopSettings,
  order: { id: number; number: string; language: string | null; pageToken: string | null },
): Promise<RenderedMessage> {
  const language = (order.language ?? settings.defaultLanguage ?? 'en').slice(0, 2) as keyof typeof notices;
  const notice = notices[language] ?? notices.en;
  const url = orderPageUrl(settings, await ensurePageToken(services, order.id, order.pageToken));
  return {
    subject: notice.subject(order.number),
    html: null,
    text: notice.text(order.number, settings.shopName, url),
    preheader: null,
    warnings: [],
    attachments: [],
  };
}
