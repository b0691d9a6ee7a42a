import type { ShopSettings } from '@orderpost/shared';
import { orderPageUrl } from '../templates/templates.data.js';
import type { RenderedMessage } from '../templates/templates.render.js';

const notices = {
  en: {
    subject: (number: string) => `New message about your order ${number}`,
    text: (number: string, shop: string, url: string | null) =>
      `Hello,\n\nthere is a new message from ${shop} about your order ${number}. Read it and answer on your order page${url ? `:\n\n${url}` : '.'}`,
    closing: 'This message was generated automatically, please do not reply. Please write to us through the form on the order page.',
  },
  de: {
    subject: (number: string) => `Neue Nachricht zu Ihrer Bestellung ${number}`,
    text: (number: string, shop: string, url: string | null) =>
      `Guten Tag,\n\n${shop} hat Ihnen eine neue Nachricht zu Ihrer Bestellung ${number} geschrieben. Sie können sie auf Ihrer Bestellseite lesen und beantworten${url ? `:\n\n${url}` : '.'}`,
    closing:
      'Diese Nachricht wurde automatisch erstellt, bitte antworten Sie nicht darauf. Schreiben Sie uns bitte über das Formular auf der Bestellseite.',
  },
  pl: {
    subject: (number: string) => `Nowa wiadomość w sprawie zamówienia ${number}`,
    text: (number: string, shop: string, url: string | null) =>
      `Dzień dobry,\n\n${shop} przesyła nową wiadomość w sprawie Twojego zamówienia ${number}. Możesz ją przeczytać i odpowiedzieć na stronie zamówienia${url ? `:\n\n${url}` : '.'}`,
    closing:
      'Wiadomość wygenerowana automatycznie, prosimy na nią nie odpowiadać. Preferowany kontakt przez formularz na stronie zamówienia.',
  },
} as const;

/**
 * The e-mail of kind "order page + e-mail without content": it says there is
 * a message and links to the order page, in the order's language (English
 * where no translation exists).
 */
export function noticeFor(
  settings: ShopSettings,
  order: { number: string; language: string | null; pageToken: string | null },
): RenderedMessage {
  const language = (order.language ?? settings.defaultLanguage ?? 'en').slice(0, 2) as keyof typeof notices;
  const notice = notices[language] ?? notices.en;
  const url = orderPageUrl(settings, order);
  return {
    subject: notice.subject(order.number),
    html: null,
    // With the shop's no-reply footer on, the footer (added at delivery, with the link) says it instead.
    text: settings.noReplyFooter
      ? notice.text(order.number, settings.shopName, url)
      : `${notice.text(order.number, settings.shopName, url)}\n\n${notice.closing}`,
    preheader: null,
    warnings: url ? [] : ['The shop has no public base URL (settings): the notice carries no link to the order page'],
    attachments: [],
  };
}
