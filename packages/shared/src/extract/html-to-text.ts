import { decodeHTML } from 'entities';

/**
 * A small HTML → text conversion for scanning, not for display: no DOM, one
 * linear pass. Scripts, styles and the head are dropped; block elements and
 * <br> end lines; table cells are separated by tabs (so numbers in adjacent
 * cells never run together); text inside <blockquote> is prefixed with "> "
 * per nesting level, which is how the quote detector recognises it in plain
 * text too.
 */
export function htmlToText(html: string): string {
  const out = new LineWriter();
  let position = 0;
  let searchedGt = -1;
  let nextGt = -1;
  while (position < html.length) {
    const lt = html.indexOf('<', position);
    if (lt < 0) {
      out.text(html.slice(position));
      break;
    }
    if (lt > position) out.text(html.slice(position, lt));

    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      position = end < 0 ? html.length : end + 3;
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
      out.text('<');
      position = lt + 1;
      continue;
    }
    const closing = tag[1] === '/';
    const name = (tag[2] ?? '').toLowerCase();
    position = nextGt + 1;
    if (!closing && SKIPPED_ELEMENTS.has(name)) {
      position = endOfElement(html, name, position);
      continue;
    }
    out.tag(name, closing);
  }
  return out.finish();
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

  text(raw: string): void {
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

  private append(text: string): void {
    if (text === '') return;
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
