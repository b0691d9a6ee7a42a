/**
 * Link shorteners: mail providers often take mail with shortened links for
 * spam, so a template using one is saved with a warning to use the full
 * address (RetailCRM's rule).
 */
export const linkShorteners: readonly string[] = [
  'bit.ly',
  'bitly.com',
  'tinyurl.com',
  't.co',
  'goo.gl',
  'ow.ly',
  'is.gd',
  'v.gd',
  'buff.ly',
  'rebrand.ly',
  'cutt.ly',
  'shorturl.at',
  'tiny.cc',
  't.ly',
  'rb.gy',
  'bl.ink',
  'bit.do',
  'lnkd.in',
  'adf.ly',
  'shorte.st',
  'soo.gd',
  's.id',
  'clck.ru',
  'tiny.one',
  'short.io',
  'shorturl.com',
  'qr.ae',
  'trib.al',
];

const hosts = linkShorteners.map((host) => host.replace(/\./g, '\\.')).join('|');
/**
 * A shortener's host as a link (`https://bit.ly/x`, `//t.co/x`) or written bare
 * (`bit.ly/x`, `www.tinyurl.com/x`), not part of a longer name (`habit.ly`) or of another address's path.
 */
const SHORT_LINK = new RegExp(`(?<![\\w./@-])(?:https?:)?(?:\\/\\/)?(?:www\\.)?(${hosts})\\/[^\\s"'<>]*`, 'gi');

/** The shortened links in a text, each once, as written. */
export function findShortenedLinks(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(SHORT_LINK)) found.add(match[0]);
  return [...found];
}
