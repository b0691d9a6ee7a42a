import { htmlToText } from '@orderpost/shared/extract/html-to-text';
import { decodeHTML } from 'entities';

const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIAL_ALL = /[&<>"']/g;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML: safe between tags and inside quoted attribute values. */
export function escapeHtml(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIAL_ALL, (char) => entities[char] ?? char) : text;
}

/**
 * A multi-line value (an address, the item list) for an HTML template: the
 * lines escaped and joined with `<br>`. Used as text (by a filter, in a
 * condition) it is the plain text, so whatever a template does with it, order
 * data never reaches the HTML unescaped.
 */
export class HtmlBlock {
  readonly html: string;

  constructor(readonly text: string) {
    this.html = text.split('\n').map(escapeHtml).join('<br>\n');
  }

  toString(): string {
    return this.text;
  }
}

const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

/**
 * The plain-text part of an HTML e-mail: the shared one-pass converter, with
 * links written out as `label (address)` so they still work in text, a blank
 * line after paragraphs and headings, and list items as `- item`.
 */
export function htmlToPlainText(html: string): string {
  const prepared = html
    .replace(ANCHOR, (_whole, attributes: string, label: string) => {
      const href = HREF.exec(attributes);
      const url = href ? decodeHTML(href[1] ?? href[2] ?? href[3] ?? '').trim() : '';
      if (url === '' || url.startsWith('#')) return label;
      const labelText = htmlToText(label).trim();
      const shown = url.replace(/^mailto:/i, '');
      if (labelText === '' || labelText === shown || labelText === url) return escapeHtml(shown);
      return `${label} (${escapeHtml(shown)})`;
    })
    .replace(/<\/(p|h[1-6]|table|ul|ol)\s*>/gi, '$&<br>')
    .replace(/<li\b[^>]*>/gi, '$&- ');
  return htmlToText(prepared)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Styles that keep the preheader out of sight in every common client while
 * it still is the first text of the body, which clients show after the subject.
 */
const PREHEADER_STYLE =
  'display:none!important;visibility:hidden;mso-hide:all;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;color:transparent';

/** The preheader as a hidden span at the start of the body (after `<body …>` when the template has one). */
export function withPreheader(html: string, preheader: string | null): string {
  if (!preheader) return html;
  const span = `<span style="${PREHEADER_STYLE}">${escapeHtml(preheader)}</span>`;
  const body = /<body\b[^>]*>/i.exec(html);
  if (!body) return `${span}\n${html}`;
  const at = body.index + body[0].length;
  return `${html.slice(0, at)}\n${span}${html.slice(at)}`;
}

// Controls (C0, C1, DEL), line and paragraph separators and the text-direction overrides.
const LINE_BREAKS = /\s*[\r\n\u2028\u2029]+\s*/g;
const CONTROLS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/** One line for a header (subject) or the preheader: line breaks become ", ", controls a space, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(LINE_BREAKS, ', ').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  // Not in the middle of a surrogate pair.
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}
