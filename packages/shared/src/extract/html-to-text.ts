import { decodeHTML } from 'entities';
import { cutPoint } from './bounds.js';

/**
 * A small HTML → text conversion for scanning, not for display: no DOM, one
 * linear pass. Scripts, styles and the head are dropped; block elements and
 * <br> end lines; table cells are separated by tabs (so numbers in adjacent
 * cells never run together); text inside <blockquote> is prefixed with "> "
 * per nesting level, which is how the quote detector recognises it in plain
 * text too.
 */
export function htmlToText(html: string): string {
  return convertHtml(html, Number.POSITIVE_INFINITY).text;
}

/**
 * `htmlToText` that writes at most `maxText` characters of text (cut between
 * words): `consumed` is how much of the HTML it read before stopping.
 */
export function convertHtml(html: string, maxText: number): { text: string; consumed: number } {
  const out = new LineWriter(maxText);
  let position = 0;
  // Text runs from `textStart` to the next tag; a stray '<' stays inside it, so text full of them is one piece.
  let textStart = 0;
  let searchedGt = -1;
  let nextGt = -1;
  const flushText = (end: number) => {
    out.text(html.slice(textStart, end));
    return out.full;
  };
  while (position < html.length) {
    const lt = html.indexOf('<', position);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      if (flushText(lt)) return { text: out.finish(), consumed: textStart };
      const end = html.indexOf('-->', lt + 4);
      position = end < 0 ? html.length : end + 3;
      textStart = position;
      continue;
    }
    // The next '>' is looked up once and reused, so text full of stray '<' stays linear.
    if (searchedGt < lt) {
      nextGt = html.indexOf('>', lt);
      searchedGt = nextGt < 0 ? html.length : nextGt;
    }
    TAG_NAME.lastIndex = lt;
    const tag = TAG_NAME.exec(html);
    if (!tag || nextGt < 0) {
      position = lt + 1;
      continue;
    }
    if (flushText(lt)) return { text: out.finish(), consumed: textStart };
    const closing = tag[1] === '/';
    const name = (tag[2] ?? '').toLowerCase();
    position = nextGt + 1;
    if (!closing && SKIPPED_ELEMENTS.has(name)) position = endOfElement(html, name, position);
    else out.tag(name, closing);
    textStart = position;
  }
  if (flushText(html.length)) return { text: out.finish(), consumed: textStart };
  return { text: out.finish(), consumed: html.length };
}

const TAG_NAME = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)/y;

const SKIPPED_ELEMENTS: ReadonlySet<string> = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg']);

const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
  'body',
  'html',
  'caption',
]);

const CELL_ELEMENTS: ReadonlySet<string> = new Set(['td', 'th']);

const closingTagPatterns = new Map<string, RegExp>();

/** Position after `</name>`, or the end of the document when it is never closed. */
function endOfElement(html: string, name: string, from: number): number {
  let pattern = closingTagPatterns.get(name);
  if (!pattern) {
    pattern = new RegExp(`</${name}\\s*>`, 'gi');
    closingTagPatterns.set(name, pattern);
  }
  pattern.lastIndex = from;
  const match = pattern.exec(html);
  return match ? match.index + match[0].length : html.length;
}

/** Collects text into lines, remembering the blockquote depth each line started at. */
class LineWriter {
  private readonly lines: string[] = [];
  private line = '';
  private lineDepth = 0;
  private quoteDepth = 0;
  private preDepth = 0;
  private room: number;
  /** True once `maxText` characters are written: the rest of the text is dropped. */
  full = false;

  constructor(maxText: number) {
    this.room = maxText;
  }

  text(raw: string): void {
    if (raw === '' || this.full) return;
    const decoded = decodeHTML(raw);
    if (this.preDepth > 0) {
      const [first = '', ...rest] = decoded.split(/\r?\n/);
      this.append(first);
      for (const next of rest) {
        this.endLine(true);
        this.append(next);
      }
      return;
    }
    const collapsed = decoded.replace(/[ \t\r\n\f]+/g, ' ');
    this.append(this.line === '' ? collapsed.trimStart() : collapsed);
  }

  tag(name: string, closing: boolean): void {
    if (name === 'br') this.endLine(true);
    else if (BLOCK_ELEMENTS.has(name)) this.endLine(false);
    else if (CELL_ELEMENTS.has(name) && !closing && this.line !== '') this.line += '\t';
    if (name === 'blockquote') this.quoteDepth = Math.max(0, this.quoteDepth + (closing ? -1 : 1));
    if (name === 'pre') this.preDepth = Math.max(0, this.preDepth + (closing ? -1 : 1));
  }

  finish(): string {
    this.endLine(false);
    return this.lines.join('\n').trim();
  }

  private append(whole: string): void {
    if (whole === '' || this.full) return;
    let text = whole;
    if (text.length > this.room) {
      text = text.slice(0, cutPoint(text, this.room));
      this.full = true;
    }
    this.room -= text.length;
    if (this.line === '') this.lineDepth = this.quoteDepth;
    this.line += text;
  }

  /** Block boundaries end a line with text only; <br> and <pre> newlines always do. */
  private endLine(evenIfEmpty: boolean): void {
    const line = this.line.trimEnd();
    if (line !== '') this.lines.push(`${'> '.repeat(this.lineDepth)}${line}`);
    else if (evenIfEmpty) this.lines.push('');
    this.line = '';
  }
}
