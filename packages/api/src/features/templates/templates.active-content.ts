import { decodeHTML } from 'entities';

/**
 * Active content in an e-mail: what mail providers block and what could run
 * in a client. Found in the template's source when it is saved, and again in
 * every rendered HTML message, so order data placed where it could become
 * active (an attribute, a tag name) is caught too.
 */
export interface ActiveContent {
  what: string;
  /** A short piece of the source around it. */
  near: string;
}

const ACTIVE_ELEMENTS = /<\/?\s*(script|object|embed|applet|iframe|frameset|frame)(?=[\s/>]|$)/gi;

/**
 * URL schemes that run code. Browsers drop whitespace and control characters
 * inside a URL's scheme, and attribute values decode character references
 * first, so `jav&#x61;script:` and `java\tscript:` are `javascript:`.
 */
const CODE_SCHEME = /(?:java|vb|live)script:|data:text\/html/;
/** The same, as the scheme of a URL: a link whose query merely contains "javascript:" runs nothing. */
const CODE_SCHEME_AT_START = /^(?:(?:java|vb|live)script:|data:text\/html)/;
/** Attributes whose value may hold a URL anywhere inside (CSS, a meta refresh): every occurrence counts. */
const EMBEDDED_URL_ATTRIBUTES = new Set(['style', 'content']);
const CSS_CODE = /expression\(|-moz-binding|behaviou?r:/;

/** The first active content in `html`, or null. */
export function findActiveContent(html: string): ActiveContent | null {
  ACTIVE_ELEMENTS.lastIndex = 0;
  const element = ACTIVE_ELEMENTS.exec(html);
  if (element) return { what: `a <${(element[1] ?? '').toLowerCase()}> element`, near: around(html, element.index) };
  for (const tag of tags(html)) {
    for (const attribute of tag.attributes) {
      if (/^on/i.test(attribute.name)) {
        return { what: `an event-handler attribute (${attribute.name})`, near: around(html, tag.start) };
      }
      const value = normalizeUrl(attribute.value);
      const scheme = EMBEDDED_URL_ATTRIBUTES.has(attribute.name.toLowerCase()) ? CODE_SCHEME : CODE_SCHEME_AT_START;
      if (scheme.test(value)) return { what: `a script URL in ${attribute.name}`, near: around(html, tag.start) };
      if (attribute.name.toLowerCase() === 'style' && CSS_CODE.test(value)) {
        return { what: 'a CSS expression or binding', near: around(html, tag.start) };
      }
    }
    if (tag.name === 'style') {
      const css = normalizeUrl(html.slice(tag.end, endOfStyle(html, tag.end)));
      if (CODE_SCHEME.test(css) || CSS_CODE.test(css))
        return { what: 'a script URL or expression in a <style>', near: around(html, tag.start) };
    }
  }
  return null;
}

/** Text templates show their content literally, but a script URL in one is still a link some clients follow. */
export function findScriptUrl(text: string): ActiveContent | null {
  const match = /(?:java|vb|live)\s*script\s*:(?=\S)/i.exec(decodeHTML(text));
  return match ? { what: 'a script URL', near: around(text, match.index) } : null;
}

/** Character references decoded, whitespace and controls dropped, lower case: how a browser reads a URL's scheme. */
function normalizeUrl(value: string): string {
  return decodeHTML(value)
    .replace(/[\s\p{Cc}\u200b-\u200d\ufeff]+/gu, '')
    .toLowerCase();
}

function endOfStyle(html: string, from: number): number {
  const close = html.toLowerCase().indexOf('</style', from);
  return close < 0 ? html.length : close;
}

function around(text: string, at: number): string {
  return text
    .slice(Math.max(0, at - 20), at + 60)
    .replace(/\s+/g, ' ')
    .trim();
}

interface Tag {
  name: string;
  start: number;
  /** Just after the closing `>`. */
  end: number;
  attributes: { name: string; value: string }[];
}

/**
 * The start tags of an HTML text with their attributes, read the way a
 * browser reads them: names end at whitespace, `/`, `=` or `>`; values are
 * quoted or run to whitespace or `>`; a `/` between attributes separates them
 * (`<svg/onload=…>`).
 */
export function* tags(html: string): Generator<Tag> {
  const tagStart = /<([a-zA-Z][^\s/>]*)/g;
  let match = tagStart.exec(html);
  while (match) {
    const name = (match[1] ?? '').toLowerCase();
    const start = match.index;
    let at = start + match[0].length;
    const attributes: { name: string; value: string }[] = [];
    while (at < html.length) {
      while (at < html.length && /[\s/]/.test(html[at] ?? '')) at += 1;
      if (at >= html.length || html[at] === '>') break;
      const nameStart = at;
      // The first character of a name may be anything but whitespace, '/' and '>' (even '=' or a quote).
      at += 1;
      while (at < html.length && !/[\s/>=]/.test(html[at] ?? '')) at += 1;
      const attributeName = html.slice(nameStart, at);
      while (at < html.length && /\s/.test(html[at] ?? '')) at += 1;
      let value = '';
      if (html[at] === '=') {
        at += 1;
        while (at < html.length && /\s/.test(html[at] ?? '')) at += 1;
        const quote = html[at];
        if (quote === '"' || quote === "'") {
          const close = html.indexOf(quote, at + 1);
          const valueEnd = close < 0 ? html.length : close;
          value = html.slice(at + 1, valueEnd);
          at = valueEnd + 1;
        } else {
          const valueStart = at;
          while (at < html.length && !/[\s>]/.test(html[at] ?? '')) at += 1;
          value = html.slice(valueStart, at);
        }
      }
      attributes.push({ name: attributeName, value });
    }
    const end = Math.min(html.length, at + 1);
    yield { name, start, end, attributes };
    tagStart.lastIndex = end;
    match = tagStart.exec(html);
  }
}
