/**
 * The tags an e-mail template may use, BaseLinker style: `[name]` in a
 * subject, preheader or content becomes the order's value when the message is
 * rendered. The API renders them and `GET /v1/tags` lists them; the add-on
 * shows this same list.
 *
 * One naming rule: lower-case snake_case English, BaseLinker's own name where
 * its documentation gives one (`[name]`, `[items_list]`, `[order_price]`,
 * `[order_link]`, `[invoice_link]`, `[shipment_track_link]`), otherwise the
 * API's field name (`[tracking_number]`, `[carrier]`, `[payment_method]`).
 *
 * Every tag is also a Liquid variable (`{{ name }}`, `{% if phone %}`), and
 * `items` is the list of order lines for `{% for item in items %}`.
 */
export const templateTags = [
  { name: 'name', group: 'buyer', description: "The buyer's full name", example: 'Anna Kowalska' },
  { name: 'first_name', group: 'buyer', description: "The buyer's first name (the first word of the name)", example: 'Anna' },
  { name: 'email', group: 'buyer', description: "The buyer's e-mail address", example: 'anna.kowalska@example.pl' },
  { name: 'phone', group: 'buyer', description: "The buyer's phone number as the shop gave it", example: '600 123 456' },
  {
    name: 'client_login',
    group: 'buyer',
    description: "The buyer's login at the shop or marketplace (empty for guests)",
    example: 'anka_k',
  },
  { name: 'order_number', group: 'order', description: 'The order number', example: '10231' },
  { name: 'order_date', group: 'order', description: 'The date the order was placed (YYYY-MM-DD, UTC)', example: '2026-11-02' },
  {
    name: 'order_status',
    group: 'order',
    description: "The order's status as the customer sees it (the status's customer-facing name)",
    example: 'Shipped',
  },
  { name: 'order_price', group: 'order', description: 'The order total with its currency', example: '1477.00 PLN' },
  { name: 'currency', group: 'order', description: "The order's currency (ISO 4217 code)", example: 'PLN' },
  { name: 'payment_method', group: 'order', description: 'The payment method', example: 'transfer' },
  {
    name: 'delivery_method',
    group: 'delivery',
    description:
      "The delivery method: the order's extra field `delivery_method` when the shop sends one, else the carrier of its latest parcel",
    example: 'InPost Paczkomat',
  },
  {
    name: 'delivery_address',
    group: 'delivery',
    description: 'The delivery address, one part per line (name, company, street, postcode and city, country)',
    example: 'Anna Kowalska\nul. Długa 5\n10-234 Olsztyn\nPoland',
  },
  {
    name: 'invoice_address',
    group: 'delivery',
    description: 'The invoice address, one part per line',
    example: 'Anna Kowalska\nul. Długa 5\n10-234 Olsztyn\nPoland',
  },
  {
    name: 'items_list',
    group: 'items',
    description: 'The ordered products, one per line: name – quantity × unit price',
    example: 'Młynek ręczny Comandante C40 – 1 × 1199.00 PLN\nKawa Etiopia 1kg – 2 × 139.00 PLN',
  },
  {
    name: 'items_list_sku',
    group: 'items',
    description: 'The ordered products with their SKU, one per line: name (SKU) – quantity × unit price',
    example: 'Młynek ręczny Comandante C40 (COM-C40) – 1 × 1199.00 PLN\nKawa Etiopia 1kg (ETH-1K) – 2 × 139.00 PLN',
  },
  { name: 'items_count', group: 'items', description: 'How many pieces were ordered (the sum of the quantities)', example: '3' },
  {
    name: 'order_link',
    group: 'links',
    description: "The address of the order's own page for the customer (`<public address>/p/<secret>`)",
    example: 'https://shop.example/p/3q2-7wE1rWn0cNn9Y0iJzA',
  },
  {
    name: 'invoice_link',
    group: 'links',
    description: "The address of the order's invoice (its pro-forma when no invoice was issued) on the order page; empty when it has none",
    example: 'https://shop.example/p/3q2-7wE1rWn0cNn9Y0iJzA/invoice',
  },
  {
    name: 'invoice_number',
    group: 'links',
    description: "The number of the order's invoice (its pro-forma when no invoice was issued)",
    example: 'FV/2026/11/0042',
  },
  {
    name: 'shipment_track_link',
    group: 'links',
    description: "The carrier's tracking page for the latest parcel (empty when the carrier is not one we know)",
    example: 'https://inpost.pl/sledzenie-przesylek?number=620000000000000000000000',
  },
  { name: 'tracking_number', group: 'links', description: 'The tracking number of the latest parcel', example: '620000000000000000000000' },
  { name: 'carrier', group: 'links', description: 'The carrier of the latest parcel', example: 'InPost' },
  { name: 'shop_name', group: 'shop', description: "The shop's name from the settings", example: 'Kawiarnia Online' },
  { name: 'today', group: 'shop', description: "Today's date when the message is rendered (YYYY-MM-DD, UTC)", example: '2026-11-05' },
] as const satisfies readonly TemplateTag[];

export interface TemplateTag {
  name: string;
  group: 'buyer' | 'order' | 'delivery' | 'items' | 'links' | 'shop';
  description: string;
  example: string;
}

export type TagName = (typeof templateTags)[number]['name'];

/** The order lines for Liquid loops: `{% for item in items %}{{ item.name }}{% endfor %}`. */
export const itemFields = [
  { name: 'name', description: 'The product name', example: 'Kawa Etiopia 1kg' },
  { name: 'sku', description: 'The SKU (empty when none)', example: 'ETH-1K' },
  { name: 'ean', description: 'The EAN (empty when none)', example: '5901234123457' },
  { name: 'quantity', description: 'How many', example: '2' },
  { name: 'price', description: 'The unit price', example: '139.00' },
  { name: 'total', description: 'Quantity × unit price', example: '278.00' },
] as const;

export type ItemField = (typeof itemFields)[number]['name'];

/** The Liquid name of the order lines. */
export const itemsVariable = 'items';

const tagNames: ReadonlySet<string> = new Set(templateTags.map((tag) => tag.name));

export function isTagName(name: string): name is TagName {
  return tagNames.has(name);
}

/**
 * What a `[tag]` looks like: a letter, then letters, digits and underscores,
 * in brackets. Text in brackets that is not of this shape (`[1]`, `[ ]`,
 * `[see below]`) is left as written.
 */
export const tagPattern = /\[([A-Za-z][A-Za-z0-9_]*)\]/g;
