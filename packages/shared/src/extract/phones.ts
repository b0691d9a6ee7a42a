import { nationalDigits, normalizePhone } from '../normalize/phone.js';

/**
 * Phone numbers written in a line, in any common notation ("+48 600-987-654",
 * "0048 600 987 654", "(22) 123 45 67", "+44 (0)7700 900123"). A candidate is
 * a stretch of digits and separators; `normalizePhone` decides whether it is a
 * phone in the shop's country or in international notation (`e164`). A
 * stretch in national notation that the shop's country does not read may be
 * another country's number ("347 123 4567", "(212) 555-0100"): it is kept with
 * its national digits only (`e164` null), for the matcher to read in the
 * countries of the stored phones. Stretches overlapping something already
 * recognised as another identifier or as a date, price, … (`blocked`) are skipped.
 */
export interface ScannedPhone {
  raw: string;
  e164: string | null;
  /** `nationalDigits`: the national significant number, or the digits of national notation. */
  national: string;
}

export interface Range {
  start: number;
  end: number;
}

export function scanPhones(line: string, blocked: readonly Range[], defaultCountry: string | undefined): ScannedPhone[] {
  const phones: ScannedPhone[] = [];
  const blockedRanges = mergeRanges(blocked);
  let next = 0;
  for (const match of line.matchAll(PHONE_CANDIDATE)) {
    const start = match.index;
    const end = start + match[0].length;
    // Candidates come left to right, so one pointer walks the merged ranges once.
    while (next < blockedRanges.length && (blockedRanges[next]?.end ?? 0) <= start) next++;
    const ahead = blockedRanges[next];
    if (ahead && ahead.start < end) continue;
    const national = nationalDigits(match[0]);
    if (national === null) continue;
    const e164 = normalizePhone(match[0], defaultCountry);
    if (e164 || looksLikeForeignPhone(match[0], national)) phones.push({ raw: match[0].trim(), e164, national });
  }
  return phones;
}

/**
 * Optional "+" or "(", a digit, up to 24 digits/separators, a digit; not inside
 * a word or a longer number ("1-2-3-4-…" is one code, not phones cut out of
 * it). The bounded middle keeps backtracking short.
 */
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+]|\d[-/.])(?:\+|\(\+?)?\d[\d \u00a0\-./()]{5,24}\d(?![\p{N}]|[-/.]\d)/gu;

/**
 * A number the shop's country does not read is kept for other countries only
 * when it is written the way phones are: in groups or with brackets, and as
 * long as a national number with its area or mobile prefix (9 to 12 digits).
 * A bare run of digits is more often something else.
 */
function looksLikeForeignPhone(raw: string, national: string): boolean {
  return national.length >= 9 && national.length <= 12 && PHONE_GROUPING.test(raw.trim());
}

const PHONE_GROUPING = /\d[ \u00a0\-./()]+\d|^\(/;

/** Sorted, non-overlapping ranges covering the same positions. */
function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}
