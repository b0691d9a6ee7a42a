/**
 * URLs and e-mail addresses inside a line. Both are found first and masked
 * before numbers are read, so "https://shop.example/u/10240" or
 * "jan10243@example.pl" never yield an order-number token.
 */

export interface Span {
  start: number;
  end: number;
  text: string;
}

const URL_PATTERN = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"'`]+/gi;
const URL_TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

export function findUrls(line: string): Span[] {
  const spans: Span[] = [];
  for (const match of line.matchAll(URL_PATTERN)) {
    const text = match[0].replace(URL_TRAILING_PUNCTUATION, '');
    spans.push({ start: match.index, end: match.index + text.length, text });
  }
  return spans;
}

/**
 * Addresses are found from each "@" outwards rather than with one regular
 * expression: a pattern like /[\w.]+@…/ backtracks quadratically over long
 * runs of word characters without an "@".
 */
export function findEmailAddresses(line: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (let at = line.indexOf('@'); at >= 0; at = line.indexOf('@', from)) {
    let start = at;
    while (start > from && isLocalChar(line.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < line.length && isDomainChar(line.charCodeAt(end))) end++;
    const span = trimAddress(line, start, at, end);
    if (span) {
      spans.push(span);
      from = span.end;
    } else {
      from = at + 1;
    }
  }
  return spans;
}

/** Replaces the spans with "~" (neither a letter, digit nor separator), keeping positions. */
export function maskSpans(line: string, spans: readonly Span[]): string {
  if (spans.length === 0) return line;
  let masked = '';
  let position = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < position) continue;
    masked += line.slice(position, span.start) + '~'.repeat(span.end - span.start);
    position = span.end;
  }
  return masked + line.slice(position);
}

function trimAddress(line: string, start: number, at: number, end: number): Span | null {
  let first = start;
  while (first < at && line.charCodeAt(first) === DOT) first++;
  let last = end;
  while (last > at + 1 && !isAlphanumeric(line.charCodeAt(last - 1))) last--;
  if (first === at || at - first > MAX_LOCAL_LENGTH || !isDomainName(line.slice(at + 1, last))) return null;
  return { start: first, end: last, text: line.slice(first, last) };
}

const MAX_DOMAIN_LENGTH = 253;
const MAX_LOCAL_LENGTH = 64;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const TOP_LEVEL = /^[a-z]{2,63}$/i;

function isDomainName(domain: string): boolean {
  if (domain.length > MAX_DOMAIN_LENGTH) return false;
  const labels = domain.split('.');
  const top = labels[labels.length - 1] ?? '';
  return labels.length >= 2 && TOP_LEVEL.test(top) && labels.every((label) => LABEL.test(label));
}

const DOT = 46;

function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Local-part characters people actually use (RFC 5322 "atext" minus the rare ones). */
function isLocalChar(code: number): boolean {
  return (
    isAlphanumeric(code) ||
    code === DOT ||
    code === 95 /* _ */ ||
    code === 45 /* - */ ||
    code === 43 /* + */ ||
    code === 37 /* % */ ||
    code === 39 /* ' */
  );
}

function isDomainChar(code: number): boolean {
  return isAlphanumeric(code) || code === DOT || code === 45;
}
