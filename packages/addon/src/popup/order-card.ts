import type { MatchCandidate } from '@orderpost/shared/schemas/match';
import type { Order } from '@orderpost/shared/schemas/orders';
import { trackingLink } from '@orderpost/shared/tracking-links';
import type { Translate } from '../features/i18n/translate.js';
import type { OrderDetails } from '../features/orders/orders.js';
import { h, safeHref } from '../ui/dom.js';
import { formatDate, formatMoney } from '../ui/format.js';

export interface Formatting {
  t: Translate;
  language: string;
}

/** One matched order in the list: a button that selects it, with why it matched. */
export function candidateButton(candidate: MatchCandidate, selected: boolean, f: Formatting, onSelect: () => void): HTMLElement {
  const { order } = candidate;
  return h(
    'li',
    { class: 'candidate', 'data-confidence': candidate.confidence },
    h(
      'button',
      { type: 'button', class: 'candidate-button', 'aria-pressed': selected ? 'true' : 'false', onclick: onSelect },
      h('span', { class: 'candidate-number' }, `#${order.number}`),
      h('span', { class: `confidence confidence-${candidate.confidence}` }, f.t(`confidence_${candidate.confidence}`)),
      h(
        'span',
        { class: 'candidate-meta' },
        [formatDate(order.orderedAt, f.language), order.source, order.status, order.buyerName ?? order.buyerEmail ?? '']
          .filter(Boolean)
          .join(' · '),
      ),
      h('span', { class: 'candidate-total' }, formatMoney(order.total, order.currency, f.language)),
    ),
    h('ul', { class: 'reasons', 'aria-label': f.t('reasonsLabel') }, ...candidate.reasons.map((reason) => h('li', {}, reason.text))),
  );
}

/** An order found by the search box, in the same list form (no reasons). */
export function searchResultButton(order: Order, selected: boolean, f: Formatting, onSelect: () => void): HTMLElement {
  return h(
    'li',
    { class: 'candidate' },
    h(
      'button',
      { type: 'button', class: 'candidate-button', 'aria-pressed': selected ? 'true' : 'false', onclick: onSelect },
      h('span', { class: 'candidate-number' }, `#${order.number}`),
      h(
        'span',
        { class: 'candidate-meta' },
        [formatDate(order.orderedAt, f.language), order.source, order.status, order.buyer.name ?? order.buyer.email ?? '']
          .filter(Boolean)
          .join(' · '),
      ),
      h('span', { class: 'candidate-total' }, formatMoney(order.total, order.currency, f.language)),
    ),
  );
}

function row(label: string, ...value: (Node | string | null)[]): HTMLElement | null {
  const present = value.filter((part) => part !== null && part !== '');
  if (present.length === 0) return null;
  return h('div', { class: 'row' }, h('dt', {}, label), h('dd', {}, ...present));
}

function link(url: string | null, text: string): Node | string {
  const href = safeHref(url);
  return href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text) : text;
}

/** Everything about one order: who, what, parcels, money, documents, the latest messages and the order page. */
export function orderDetailsView(details: OrderDetails, f: Formatting, statusNames: ReadonlyMap<string, string> = new Map()): HTMLElement {
  const { order, latestMessages, pageUrl } = details;
  const { t, language } = f;
  const paid = Number(order.payment.amountPaid) >= Number(order.total) && Number(order.total) > 0;
  const payment = order.payment.cashOnDelivery
    ? t('paymentCod')
    : paid
      ? t('paymentPaid', formatDate(order.payment.paidAt, language))
      : t('paymentPartial', formatMoney(order.payment.amountPaid, order.currency, language));
  return h(
    'section',
    { class: 'order', 'aria-labelledby': 'order-heading' },
    h('h2', { id: 'order-heading' }, t('orderHeading', order.number)),
    h(
      'dl',
      { class: 'facts' },
      row(t('orderDate'), formatDate(order.orderedAt, language)),
      row(t('orderSource'), order.externalId ? `${order.source} (${order.externalId})` : order.source),
      row(t('orderStatus'), statusNames.get(order.status) ?? order.status),
      row(t('orderBuyer'), [order.buyer.name, order.buyer.email, order.buyer.phone, order.buyer.login].filter(Boolean).join(' · ')),
      row(t('orderTotal'), formatMoney(order.total, order.currency, language)),
      row(t('orderPayment'), [order.payment.method, payment].filter(Boolean).join(' · ')),
      row(
        t('orderInvoices'),
        order.invoices.map((invoice) => `${invoice.kind === 'proforma' ? t('proforma') : t('invoice')} ${invoice.number}`).join(', ') ||
          t('none'),
      ),
      row(t('orderPage'), pageUrl ? link(pageUrl, t('openOrderPage')) : t('orderPageUnknown')),
    ),
    h('h3', {}, t('itemsHeading')),
    h(
      'ul',
      { class: 'items' },
      ...order.items.map((item) =>
        h(
          'li',
          {},
          `${item.quantity} × ${item.name}`,
          h('span', { class: 'muted' }, ` ${formatMoney(item.price, order.currency, language)}`),
        ),
      ),
    ),
    h('h3', {}, t('parcelsHeading')),
    order.parcels.length === 0
      ? h('p', { class: 'muted' }, t('none'))
      : h(
          'ul',
          { class: 'parcels' },
          ...order.parcels.map((parcel) =>
            h(
              'li',
              {},
              `${parcel.carrier}: `,
              link(trackingLink(parcel.carrier, parcel.trackingNumber), parcel.trackingNumber),
              ` · ${parcel.status}`,
            ),
          ),
        ),
    h('h3', {}, t('historyHeading')),
    latestMessages.length === 0
      ? h('p', { class: 'muted' }, t('none'))
      : h(
          'ul',
          { class: 'history', 'aria-label': t('historyHeading') },
          ...[...latestMessages]
            .reverse()
            .map((item) =>
              h(
                'li',
                { class: `history-${item.direction}` },
                h('span', { class: 'history-when' }, formatDate(item.occurredAt ?? item.createdAt, language)),
                h('span', { class: 'history-kind' }, t(`direction_${item.direction}`), item.status === 'failed' ? ` · ${t('failed')}` : ''),
                h('span', { class: 'history-subject' }, item.subject ?? (item.text ?? '').slice(0, 120)),
              ),
            ),
        ),
  );
}
