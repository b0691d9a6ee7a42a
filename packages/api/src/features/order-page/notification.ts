import type { ShopSettings } from '@orderpost/shared';
import { orderPageUrl } from '../templates/templates.data.js';
import { escapeHtml } from '../templates/templates.html.js';

/** What the notification says about the order and the buyer (as they were when the customer wrote). */
export interface NotifiedOrder {
  id: number;
  number: string;
  pageToken: string;
  buyerLogin: string | null;
  buyerName: string | null;
  buyerEmail: string | null;
  buyerPhone: string | null;
}

export interface NotifiedMessage {
  text: string;
  attachment: { filename: string; contentType: string; size: number } | null;
}

const labels = {
  en: {
    subject: (number: string) => `Order ${number}: message from the customer`,
    intro: (number: string) => `The customer wrote a message about order ${number} on the order page.`,
    login: 'Customer login',
    name: 'Buyer',
    email: 'E-mail',
    phone: 'Phone',
    page: 'Order page',
    api: 'Order in Orderpost (API)',
    attachment: 'Attachment',
    attached: 'attached to this e-mail and kept with the message in the order history',
    message: 'Message',
    answer:
      'Replying to this e-mail writes to the customer by e-mail. To answer on the order page, send a message of kind "order page + e-mail" from the order.',
    none: '(not given)',
  },
  de: {
    subject: (number: string) => `Bestellung ${number}: Nachricht des Kunden`,
    intro: (number: string) => `Der Kunde hat auf der Bestellseite eine Nachricht zur Bestellung ${number} geschrieben.`,
    login: 'Kunden-Login',
    name: 'Käufer',
    email: 'E-Mail',
    phone: 'Telefon',
    page: 'Bestellseite',
    api: 'Bestellung in Orderpost (API)',
    attachment: 'Anhang',
    attached: 'dieser E-Mail angehängt und mit der Nachricht im Verlauf der Bestellung gespeichert',
    message: 'Nachricht',
    answer:
      'Eine Antwort auf diese E-Mail geht per E-Mail an den Kunden. Um auf der Bestellseite zu antworten, senden Sie aus der Bestellung eine Nachricht der Art „Bestellseite + E-Mail“.',
    none: '(nicht angegeben)',
  },
  pl: {
    subject: (number: string) => `Zamówienie ${number}: wiadomość od klienta`,
    intro: (number: string) => `Klient napisał wiadomość w sprawie zamówienia ${number} na stronie zamówienia.`,
    login: 'Login klienta',
    name: 'Kupujący',
    email: 'E-mail',
    phone: 'Telefon',
    page: 'Strona zamówienia',
    api: 'Zamówienie w Orderpost (API)',
    attachment: 'Załącznik',
    attached: 'dołączony do tej wiadomości i zapisany z wiadomością w historii zamówienia',
    message: 'Wiadomość',
    answer:
      'Odpowiedź na tę wiadomość trafi do klienta e-mailem. Aby odpowiedzieć na stronie zamówienia, wyślij z zamówienia wiadomość typu „strona zamówienia + e-mail”.',
    none: '(brak)',
  },
} as const;

/** One line for a header or a label: no line breaks or other controls (order data is validated so already; this is the last guard). */
export function oneLine(value: string): string {
  return value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();
}

function sizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} B`;
}

/**
 * The e-mail telling the shop that a customer wrote on the order page, in the
 * shop's default language: who (login, name, e-mail, phone), which order
 * (number, page link, API link) and the message. The HTML part escapes
 * everything the customer or the order data holds; the text part is plain text.
 */
export function renderNotification(settings: ShopSettings, order: NotifiedOrder, message: NotifiedMessage) {
  const l = labels[settings.defaultLanguage.slice(0, 2) as keyof typeof labels] ?? labels.en;
  const number = oneLine(order.number);
  const pageUrl = orderPageUrl(settings, order);
  const apiPath = `/v1/orders/${order.id}`;
  const apiUrl = settings.publicBaseUrl ? `${settings.publicBaseUrl}${apiPath}` : apiPath;
  const value = (text: string | null) => (text ? oneLine(text) : l.none);
  const facts: [string, string, string | null][] = [
    [l.login, value(order.buyerLogin), null],
    [l.name, value(order.buyerName), null],
    [l.email, value(order.buyerEmail), order.buyerEmail ? `mailto:${order.buyerEmail}` : null],
    [l.phone, value(order.buyerPhone), null],
    [l.page, pageUrl ?? `/p/${order.pageToken}`, pageUrl],
    [l.api, apiUrl, settings.publicBaseUrl ? apiUrl : null],
  ];
  if (message.attachment) {
    const { filename, contentType, size } = message.attachment;
    facts.push([l.attachment, `${oneLine(filename)} (${contentType}, ${sizeLabel(size)}) — ${l.attached}`, null]);
  }
  const text = [
    l.intro(number),
    '',
    ...facts.map(([label, shown]) => `${label}: ${shown}`),
    '',
    `${l.message}:`,
    '',
    message.text,
    '',
    '-- ',
    l.answer,
  ].join('\n');
  const cell = 'padding:2px 12px 2px 0;vertical-align:top';
  const rows = facts
    .map(([label, shown, href]) => {
      const content = href ? `<a href="${escapeHtml(href)}">${escapeHtml(shown)}</a>` : escapeHtml(shown);
      return `<tr><th style="${cell};text-align:left">${escapeHtml(label)}</th><td style="${cell}">${content}</td></tr>`;
    })
    .join('\n');
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(l.subject(number))}</title></head>
<body style="font-family:sans-serif">
<p>${escapeHtml(l.intro(number))}</p>
<table>
${rows}
</table>
<h3>${escapeHtml(l.message)}</h3>
<div style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:12px">${escapeHtml(message.text)}</div>
<p style="color:#666;font-size:small">${escapeHtml(l.answer)}</p>
</body></html>`;
  return { subject: oneLine(l.subject(number)), text, html };
}
