import { type Address, type ItemField, itemFields, type TagName, templateTags, trackingLink } from '@orderpost/shared';
import type { orders } from '../../db/schema/index.js';
import { HtmlBlock } from './templates.html.js';

/** The columns of an order a template reads (templates.render.ts selects exactly these). */
export type TemplateOrder = Pick<
  typeof orders.$inferSelect,
  | 'id'
  | 'number'
  | 'statusId'
  | 'orderedAt'
  | 'currency'
  | 'buyerName'
  | 'buyerEmail'
  | 'buyerPhone'
  | 'buyerLogin'
  | 'deliveryAddress'
  | 'invoiceAddress'
  | 'paymentMethod'
  | 'items'
  | 'total'
  | 'language'
  | 'extraFields'
  | 'invoicesView'
  | 'parcelsView'
  | 'pageToken'
>;

/** An invoice or a parcel as the order row keeps its copy (orders.documents.ts). */
export interface InvoiceCopy {
  kind: 'invoice' | 'proforma';
  number: string;
  file: { id: number; filename: string; contentType: string; size: number } | null;
}
export interface ParcelCopy {
  carrier: string;
  trackingNumber: string;
  photo: { id: number; filename: string; contentType: string; size: number } | null;
}

/** What a template sees besides the order. */
export interface TemplateContext {
  shopName: string;
  /** The shop's public address without a trailing slash, or null when not set. */
  publicBaseUrl: string | null;
  defaultLanguage: string;
  /** Customer-facing status names by status id. */
  statusNames: ReadonlyMap<string, string>;
  today: Date;
}

type Value = string | HtmlBlock;
export type ItemData = Record<ItemField, string>;
export type TemplateData = Record<TagName, Value> & { items: ItemData[] };
/** The values as text: subjects, preheaders and text templates. */
export type TextData = Record<TagName, string> & { items: ItemData[] };

/** Tags whose value has several lines: in HTML templates their lines are joined with `<br>`. */
const multiLineTags: ReadonlySet<TagName> = new Set(['delivery_address', 'invoice_address', 'items_list', 'items_list_sku']);

/** The order's invoice, or its pro-forma when no invoice was issued (the latest of each). */
export function chosenInvoice(order: Pick<TemplateOrder, 'invoicesView'>): InvoiceCopy | null {
  const documents = order.invoicesView as InvoiceCopy[];
  return documents.findLast((doc) => doc.kind === 'invoice') ?? documents.findLast((doc) => doc.kind === 'proforma') ?? null;
}

export function latestParcel(order: Pick<TemplateOrder, 'parcelsView'>): ParcelCopy | null {
  return (order.parcelsView as ParcelCopy[]).at(-1) ?? null;
}

export function orderPageUrl(context: Pick<TemplateContext, 'publicBaseUrl'>, order: Pick<TemplateOrder, 'pageToken'>): string | null {
  return context.publicBaseUrl && order.pageToken ? `${context.publicBaseUrl}/p/${order.pageToken}` : null;
}

const money = (amount: string | number) => Number(amount).toFixed(2);

/**
 * The values of every tag for one order, as text; for HTML templates the
 * multi-line ones as HtmlBlocks (everything else is escaped on output).
 * Missing data is an empty string, so `{% if phone %}` works and no name is
 * ever undefined.
 */
export function templateData(order: TemplateOrder, context: TemplateContext): TextData {
  const language = order.language ?? context.defaultLanguage;
  const invoice = chosenInvoice(order);
  const parcel = latestParcel(order);
  const pageUrl = orderPageUrl(context, order);
  const name = order.buyerName ?? '';
  const items = order.items.map((item) => ({
    name: item.name,
    sku: item.sku ?? '',
    ean: item.ean ?? '',
    quantity: String(item.quantity),
    price: money(item.price),
    total: money(Math.round(Number(item.price) * 100 * item.quantity) / 100),
  }));
  const line = (item: ItemData, withSku: boolean) =>
    `${item.name}${withSku && item.sku ? ` (${item.sku})` : ''} – ${item.quantity} × ${item.price} ${order.currency}`;
  const extraMethod = order.extraFields.delivery_method ?? order.extraFields.deliveryMethod;
  const values: Record<TagName, string> = {
    name,
    first_name: name.trim().split(/\s+/)[0] ?? '',
    email: order.buyerEmail ?? '',
    phone: order.buyerPhone ?? '',
    client_login: order.buyerLogin ?? '',
    order_number: order.number,
    order_date: isoDate(order.orderedAt),
    order_status: context.statusNames.get(order.statusId) ?? order.statusId,
    order_price: `${money(order.total)} ${order.currency}`,
    currency: order.currency,
    payment_method: order.paymentMethod ?? '',
    delivery_method: typeof extraMethod === 'string' && extraMethod !== '' ? extraMethod : (parcel?.carrier ?? ''),
    delivery_address: addressLines(order.deliveryAddress, language),
    invoice_address: addressLines(order.invoiceAddress, language),
    items_list: items.map((item) => line(item, false)).join('\n'),
    items_list_sku: items.map((item) => line(item, true)).join('\n'),
    items_count: String(order.items.reduce((sum, item) => sum + item.quantity, 0)),
    order_link: pageUrl ?? '',
    invoice_link: pageUrl && invoice?.file ? `${pageUrl}/invoice` : '',
    invoice_number: invoice?.number ?? '',
    shipment_track_link: parcel ? (trackingLink(parcel.carrier, parcel.trackingNumber) ?? '') : '',
    tracking_number: parcel?.trackingNumber ?? '',
    carrier: parcel?.carrier ?? '',
    shop_name: context.shopName,
    today: isoDate(context.today),
  };
  return { ...values, items };
}

/** The same values for the content of an HTML template: multi-line ones as HtmlBlocks, the rest escaped on output. */
export function htmlData(data: TextData): TemplateData {
  const html: Record<string, Value | ItemData[]> = { ...data };
  for (const tag of multiLineTags) html[tag] = new HtmlBlock(data[tag]);
  return html as TemplateData;
}

/** The tags' examples as data: what a template is tried with when it is saved. */
export function sampleData(): TextData {
  const values = Object.fromEntries(templateTags.map((tag) => [tag.name, tag.example])) as Record<TagName, string>;
  const item = Object.fromEntries(itemFields.map((field) => [field.name, field.example])) as ItemData;
  return { ...values, items: [item, { ...item, sku: '', ean: '' }] };
}

const isoDate = (value: Date) => value.toISOString().slice(0, 10);

const regionNames = new Map<string, Intl.DisplayNames | null>();

/** "Polska" for PL in a Polish message: the country in the order's language (the shop's default when it has none). */
function countryName(code: string, language: string): string {
  let names = regionNames.get(language);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([language, 'en'], { type: 'region' });
    } catch {
      names = null;
    }
    regionNames.set(language, names);
  }
  return names?.of(code) ?? code;
}

export function addressLines(address: Address | null, language: string): string {
  if (!address) return '';
  const place = [address.postcode, address.city].filter(Boolean).join(' ');
  return [
    address.name,
    address.company,
    address.street,
    place,
    address.state,
    address.countryCode && countryName(address.countryCode, language),
  ]
    .filter((part): part is string => Boolean(part))
    .join('\n');
}
