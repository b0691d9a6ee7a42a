import { customerAttachmentTypes, customerMessageFields as fields, trackingLink } from '@orderpost/shared';
import type { PropsWithChildren } from 'hono/jsx';
import { addressLines } from '../templates/templates.data.js';
import { pageCssName } from './page.css.js';
import { customerStatusName, type PageFormat, type PageLanguage, type PageTexts } from './page.i18n.js';
import type { OrderPageData, PageMessage } from './page.service.js';

/*
 * Everything here is text: JSX escapes every value it prints (element content
 * and attributes), and nothing is ever inserted as raw HTML. Multi-line text
 * keeps its line breaks through CSS (`.text { white-space: pre-wrap }`).
 */

/** Where the page's own addresses start, relative to the URL being answered, so a path prefix at a proxy keeps working. */
export interface PageLinks {
  /** `../` repeated to reach `/p/` from the answered URL. */
  up: string;
}

export interface ShopHeader {
  name: string;
  /** Relative address of the logo, or null. */
  logo: string | null;
}

interface LayoutProps {
  lang: PageLanguage;
  title: string;
  links: PageLinks;
  shop: ShopHeader | null;
  footer?: string;
}

export function Layout(props: PropsWithChildren<LayoutProps>) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.shop ? `${props.title} – ${props.shop.name}` : props.title}</title>
        <link rel="stylesheet" href={`${props.links.up}assets/${pageCssName}`} />
      </head>
      <body>
        <main>
          {props.shop && (
            <header class="shop">
              {props.shop.logo && <img src={props.shop.logo} alt="" />}
              <span class="name">{props.shop.name}</span>
            </header>
          )}
          {props.children}
        </main>
        {props.footer && <footer>{props.footer}</footer>}
      </body>
    </html>
  );
}

export interface FormState {
  /** HMAC form token (form.token.ts), bound to this page. */
  formToken: string;
  textLimit: number;
  attachmentBytes: number;
  error?: { code: string; message: string };
  draft?: string;
}

export interface OrderPageProps {
  data: OrderPageData;
  token: string;
  links: PageLinks;
  shopName: string;
  t: PageTexts;
  format: PageFormat;
  lang: PageLanguage;
  /** Null when the form is not shown (turned off in the settings, or the order is archived). */
  form: FormState | null;
  sent: boolean;
}

export function OrderPage(props: OrderPageProps) {
  const { data, t } = props;
  const current = data.order.statusId;
  return (
    <>
      <h1>{t.title(data.order.number)}</h1>
      <dl class="summary">
        <div>
          <dt>{t.orderNumber}</dt>
          <dd>{data.order.number}</dd>
        </div>
        <div>
          <dt>{t.orderedOn}</dt>
          <dd>
            <time datetime={data.order.orderedAt.toISOString()}>{props.format.date(data.order.orderedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>{t.status}</dt>
          <dd>
            <span class="status">{statusName(data, props.lang, current)}</span>
          </dd>
        </div>
      </dl>
      {props.sent && (
        <p class="notice ok" role="status">
          {t.sent}
        </p>
      )}
      {data.order.archived && <p class="notice info">{t.archived}</p>}
      <StatusHistory {...props} />
      <Items {...props} />
      <Delivery {...props} />
      <Documents {...props} />
      <Conversation {...props} />
      {props.form && <MessageForm {...props} form={props.form} />}
    </>
  );
}

function statusName(data: OrderPageData, lang: PageLanguage, statusId: string): string {
  return customerStatusName(lang, statusId, data.statusNames.get(statusId));
}

function StatusHistory({ data, t, format, lang }: OrderPageProps) {
  // Newest first: the customer looks for where the order is now.
  const steps = [...data.statusHistory].reverse();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t.statusHistory}</h2>
      <ol class="history">
        {steps.map((step) => (
          <li>
            <span>{statusName(data, lang, step.status)}</span>
            <time datetime={step.at.toISOString()}>{format.dateTime(step.at)}</time>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Items({ data, t, format }: OrderPageProps) {
  const { currency } = data.order;
  const lineTotal = (price: string, quantity: number) => (Math.round(Number(price) * 100) * quantity) / 100;
  return (
    <section aria-labelledby="items-title">
      <h2 id="items-title">{t.items}</h2>
      <table class="items">
        <thead>
          <tr>
            <th scope="col">{t.item}</th>
            <th scope="col" class="num">
              {t.quantity}
            </th>
            <th scope="col" class="num">
              {t.unitPrice}
            </th>
            <th scope="col" class="num">
              {t.lineTotal}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.order.items.map((item) => (
            <tr>
              <td>
                {item.name}
                {item.sku && <span class="sku">{item.sku}</span>}
              </td>
              <td class="num" data-label={t.quantity}>
                {format.integer(item.quantity)}
              </td>
              <td class="num" data-label={t.unitPrice}>
                {format.money(item.price, currency)}
              </td>
              <td class="num" data-label={t.lineTotal}>
                {format.money(lineTotal(item.price, item.quantity), currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={3}>
              {t.total}
            </th>
            <td class="num">{format.money(data.order.total, currency)}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

function Delivery({ data, t, lang }: OrderPageProps) {
  const address = addressLines(data.order.deliveryAddress, lang);
  return (
    <section aria-labelledby="delivery-title">
      <h2 id="delivery-title">{t.deliveryAddress}</h2>
      {address ? <p class="text">{address}</p> : <p class="meta">{t.noDeliveryAddress}</p>}
      {data.parcels.length > 0 && (
        <>
          <h2>{t.parcels}</h2>
          <ul class="plain">
            {data.parcels.map((parcel) => (
              <Parcel carrier={parcel.carrier} trackingNumber={parcel.trackingNumber} t={t} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Parcel(props: { carrier: string; trackingNumber: string; t: PageTexts }) {
  // Only links we build ourselves (https, a known carrier, the number URL-encoded): shop text never becomes an address.
  const link = trackingLink(props.carrier, props.trackingNumber);
  return (
    <li>
      <span class="meta">{props.t.carrier}: </span>
      {props.carrier}
      <br />
      <span class="meta">{props.t.trackingNumber}: </span>
      {props.trackingNumber}
      {link && (
        <>
          <br />
          <a href={link} rel="noreferrer noopener" target="_blank">
            {props.t.trackParcel}
          </a>
        </>
      )}
    </li>
  );
}

function Documents({ data, t, token, links }: OrderPageProps) {
  const invoice = data.invoice;
  if (!invoice?.file) return null;
  return (
    <section aria-labelledby="documents-title">
      <h2 id="documents-title">{t.documents}</h2>
      <a href={`${links.up}${token}/invoice`} download>
        {invoice.kind === 'invoice' ? t.invoice(invoice.number) : t.proforma(invoice.number)}
      </a>
    </section>
  );
}

function Conversation(props: OrderPageProps) {
  const { data, t } = props;
  return (
    <section id="conversation" aria-labelledby="conversation-title">
      <h2 id="conversation-title">{t.conversation}</h2>
      {data.messages.length === 0 ? (
        <p class="meta">{t.noMessages}</p>
      ) : (
        <ol class="messages">
          {data.messages.map((message) => (
            <Message message={message} {...props} />
          ))}
        </ol>
      )}
    </section>
  );
}

function Message(props: OrderPageProps & { message: PageMessage }) {
  const { message, t } = props;
  return (
    <li class={message.direction} id={`m${message.id}`}>
      <p class="meta">
        <span class="who">{message.direction === 'in' ? t.fromYou : t.fromShop(props.shopName)}</span>
        {' · '}
        <time datetime={message.at.toISOString()}>{props.format.dateTime(message.at)}</time>
      </p>
      {message.subject && <p class="subject">{message.subject}</p>}
      <p class="text">{message.text}</p>
      {message.attachment && (
        <p>
          <span class="meta">{t.attachment}: </span>
          <a href={`${props.links.up}${props.token}/files/${message.id}`} download>
            {message.attachment.filename}
          </a>{' '}
          <span class="meta">({formatSize(message.attachment.size)})</span>
        </p>
      )}
    </li>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The types the form takes, and their usual endings (some phones' pickers go by the ending). */
const accept = [...customerAttachmentTypes, '.png', '.jpg', '.jpeg', '.gif', '.webp', '.pdf'].join(',');

function MessageForm(props: OrderPageProps & { form: FormState }) {
  const { t, form } = props;
  const error = form.error;
  return (
    <section id="write" aria-labelledby="write-title">
      <h2 id="write-title">{t.writeToUs}</h2>
      {error && (
        <p class="notice bad" role="alert" data-error-code={error.code}>
          {t.formErrors[error.code] ?? error.message}
        </p>
      )}
      <form method="post" action={`${props.links.up}${props.token}/messages`} enctype="multipart/form-data">
        <input type="hidden" name={fields.formToken} value={form.formToken} />
        <div class="field">
          <label for="message">{t.message}</label>
          <textarea id="message" name={fields.message} required maxlength={form.textLimit} rows={6} aria-describedby="message-hint">
            {form.draft ?? ''}
          </textarea>
          <span class="hint" id="message-hint">
            {t.messageHint(form.textLimit)}
          </span>
        </div>
        <div class="field">
          <label for="attachment">{t.attachmentLabel}</label>
          <input type="file" id="attachment" name={fields.attachment} accept={accept} aria-describedby="attachment-hint" />
          <span class="hint" id="attachment-hint">
            {t.attachmentHint(Math.floor(form.attachmentBytes / (1024 * 1024)))}
          </span>
        </div>
        <div class="hp" aria-hidden="true">
          <label for="website">{t.honeypot}</label>
          <input type="text" id="website" name={fields.honeypot} tabindex={-1} autocomplete="off" value="" />
        </div>
        <button type="submit">{t.send}</button>
      </form>
    </section>
  );
}

/** A page with a title and a line of text: the 404 and the error pages. */
export function MessagePage(props: { title: string; text: string; code: string }) {
  return (
    <section class="card" data-error-code={props.code}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
    </section>
  );
}
