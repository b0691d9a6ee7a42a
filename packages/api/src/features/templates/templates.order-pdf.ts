import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { addressLines, type TemplateContext, type TemplateOrder } from './templates.data.js';

/**
 * The order printout attached as `order_pdf`: shop, number, date, status,
 * buyer, addresses, items and total, on as many A4 pages as the items need.
 *
 * pdf-lib's standard fonts (no font file to ship or find) encode WinAnsi
 * only: German letters, ó, Š/š, Ž/ž, €, – and × are in it, most Polish,
 * Czech and other Central European letters are not. Those are written without
 * their accents (ą → a, ł → l); anything else outside WinAnsi becomes "?".
 */
export async function orderPdf(order: TemplateOrder, context: TemplateContext): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsi(`Order ${order.number}`));
  doc.setAuthor(winAnsi(context.shopName));
  doc.setProducer('Orderpost');
  doc.setCreationDate(context.today);
  const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const writer = new PageWriter(doc, fonts);
  const language = order.language ?? context.defaultLanguage;

  writer.line(context.shopName, { size: 16, bold: true });
  writer.gap(6);
  writer.line(`Order ${order.number}`, { size: 14, bold: true });
  writer.line(`Date: ${order.orderedAt.toISOString().slice(0, 10)}`);
  writer.line(`Status: ${context.statusNames.get(order.statusId) ?? order.statusId}`);
  writer.gap(10);

  writer.line('Buyer', { bold: true });
  for (const part of [order.buyerName, order.buyerEmail, order.buyerPhone]) if (part) writer.line(part);
  for (const [title, address] of [
    ['Delivery address', order.deliveryAddress],
    ['Invoice address', order.invoiceAddress],
  ] as const) {
    const lines = addressLines(address, language);
    if (!lines) continue;
    writer.gap(8);
    writer.line(title, { bold: true });
    for (const line of lines.split('\n')) writer.line(line);
  }
  writer.gap(12);

  writer.row(['Product', 'SKU', 'Qty', 'Unit price', 'Total'], { bold: true });
  for (const item of order.items) {
    const lineTotal = (Math.round(Number(item.price) * 100 * item.quantity) / 100).toFixed(2);
    writer.row([item.name, item.sku ?? '', String(item.quantity), Number(item.price).toFixed(2), lineTotal]);
  }
  writer.gap(8);
  writer.line(`Total: ${Number(order.total).toFixed(2)} ${order.currency}`, { bold: true, size: 12 });
  if (order.paymentMethod) writer.line(`Payment: ${order.paymentMethod}`);
  return doc.save();
}

const A4 = { width: 595.28, height: 841.89 };
const margin = 50;
/** Column positions of the item table (x from the margin) and their widths. */
const columns = [
  { x: 0, width: 230 },
  { x: 235, width: 90 },
  { x: 330, width: 40, right: true },
  { x: 375, width: 60, right: true },
  { x: 440, width: 55, right: true },
];

class PageWriter {
  private page: PDFPage;
  private y: number;
  private font: PDFFont | null = null;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: { regular: PDFFont; bold: PDFFont },
  ) {
    this.page = doc.addPage([A4.width, A4.height]);
    this.y = A4.height - margin;
  }

  gap(points: number): void {
    this.y -= points;
  }

  line(text: string, options: { size?: number; bold?: boolean } = {}): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    for (const piece of wrap(winAnsi(text), font, size, A4.width - 2 * margin)) {
      this.room(size * 1.3);
      this.use(font);
      this.page.drawText(piece, { x: margin, y: this.y, size, color: rgb(0, 0, 0) });
    }
  }

  /** One row of the item table; long cells wrap within their column. */
  row(cells: string[], options: { bold?: boolean } = {}): void {
    const size = 9;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const wrapped = cells.map((cell, i) => wrap(winAnsi(cell), font, size, columns[i]?.width ?? 50));
    const height = Math.max(...wrapped.map((lines) => lines.length)) * size * 1.3;
    this.room(height + 2);
    this.use(font);
    const top = this.y;
    wrapped.forEach((lines, i) => {
      const column = columns[i];
      if (!column) return;
      lines.forEach((piece, n) => {
        const x = margin + column.x + (column.right ? column.width - font.widthOfTextAtSize(piece, size) : 0);
        this.page.drawText(piece, { x, y: top - n * size * 1.3, size });
      });
    });
    this.y = top - height + size * 1.3 - 2;
  }

  /** The font for what is drawn next; set on the page only when it changes (pdf-lib adds a resource entry per setFont). */
  private use(font: PDFFont): void {
    if (this.font === font) return;
    this.page.setFont(font);
    this.font = font;
  }

  /** Moves down by `height`, starting a new page when it does not fit. */
  private room(height: number): void {
    if (this.y - height < margin) {
      this.page = this.doc.addPage([A4.width, A4.height]);
      this.font = null;
      this.y = A4.height - margin;
    }
    this.y -= height;
  }
}

/** Words onto lines no wider than `width`; a word longer than a line is cut. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/**
 * The code points WinAnsi (the standard fonts' encoding) can write: Latin-1,
 * plus what Windows-1252 puts in 0x80–0x9F.
 */
const WIN_ANSI: ReadonlySet<number> = new Set([
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i),
  ...Array.from({ length: 0x100 - 0xa0 }, (_, i) => 0xa0 + i),
  ...[0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d],
  ...[0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178],
]);

/** Letters that do not lose their accent by Unicode decomposition. */
const FALLBACKS: Record<string, string> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H', ı: 'i', ŀ: 'l', Ŀ: 'L', ŧ: 't', Ŧ: 'T' };

/** Text the standard fonts can write: WinAnsi letters kept, others without their accents, the rest "?". */
export function winAnsi(text: string): string {
  let out = '';
  for (const char of text.replace(/[\t\r\n]+/g, ' ')) {
    const code = char.codePointAt(0) ?? 0;
    if (WIN_ANSI.has(code)) {
      out += char;
      continue;
    }
    const base = FALLBACKS[char] ?? char.normalize('NFD').replace(/\p{M}+/gu, '');
    out += [...base].every((c) => WIN_ANSI.has(c.codePointAt(0) ?? 0)) && base !== '' ? base : '?';
  }
  return out;
}
