import type { TruncatedPart } from './types.js';

/**
 * How much of a message the extractor reads, so that one message costs a
 * bounded time wherever it runs: on the API's event loop for `POST /v1/match`
 * and in the add-on's background page. What says most about the order sits
 * near the top (the sender, the subject, the customer's own words) or in the
 * threading headers; our quoted e-mails follow within a few KB in ordinary
 * replies. Past these bounds the rest is not read, and the result says so
 * (`truncated`). The time is bounded by the characters read and by the
 * number-like candidates classified (`candidates`); `pnpm bench match` prints
 * the worst cases' CPU time.
 */
export const readLimits = {
  /** Each address header (From, Reply-To, To, Cc) and the subject: the first characters. */
  header: 4_000,
  /** In-Reply-To and References: the last characters, where the most recent ancestors are. */
  references: 16_000,
  /** Body text scanned in all: the text part first, then the HTML part's text with what is left. */
  bodyText: 32_000,
  /** Characters of the HTML part converted to text at most. */
  html: 128_000,
  /**
   * Number-like candidates classified in all (subject, then the bodies): a text
   * made only of digits and separators ("1-2 3/4.5#6 …") holds one every few
   * characters, about 3,000 in the body bound, and each costs a few µs plus a
   * phone check. Ordinary mail holds a few dozen; a body cut here is reported
   * in `truncated` with where the reading stopped.
   */
  candidates: 1_000,
} as const;

/** A cut looks back this far for a line break, then for a gap between words, so no number is cut in two. */
const LINE_WINDOW = 2_000;
const WORD_WINDOW = 200;

export interface Bounded {
  text: string;
  truncated: TruncatedPart | null;
}

/** The first `max` characters of a part (or a little fewer, ending at a line break or space). */
export function prefixWithin(part: TruncatedPart['part'], value: string, max: number): Bounded {
  if (value.length <= max) return { text: value, truncated: null };
  const cut = cutPoint(value, max);
  const text = value.slice(0, cut);
  return { text, truncated: { part, read: text.length, length: value.length } };
}

/** The last `max` characters of a part (or a little fewer, starting after a space). */
export function suffixWithin(part: TruncatedPart['part'], value: string, max: number): Bounded {
  if (value.length <= max) return { text: value, truncated: null };
  const from = value.length - max;
  let start = value.slice(from, from + WORD_WINDOW).search(/\s/);
  start = start < 0 ? from : from + start + 1;
  const text = value.slice(start);
  return { text, truncated: { part, read: text.length, length: value.length } };
}

/** Where to cut `value` to at most `max` characters: a line break or gap between words near `max`. */
export function cutPoint(value: string, max: number): number {
  const lineBreak = value.lastIndexOf('\n', max);
  if (lineBreak > max - LINE_WINDOW) return lineBreak;
  for (let index = max; index > max - WORD_WINDOW && index > 0; index--) {
    if (isGap(value, index)) return index;
  }
  return max;
}

/** A character no identifier runs across: punctuation, or white space not joining two groups ("302 4417781"). */
function isGap(value: string, index: number): boolean {
  const char = value.charAt(index);
  if (!RUN_CHAR.test(char)) return true;
  return SPACE.test(char) && !(ALNUM.test(value.charAt(index - 1)) && ALNUM.test(value.charAt(index + 1)));
}

const RUN_CHAR = /[A-Za-z0-9\-/.\s]/;
const SPACE = /\s/;
const ALNUM = /[A-Za-z0-9]/;
