import { normalizePhone } from '../normalize/phone.js';

/**
 * Phone numbers written in a line, in any common notation ("+48 600-987-654",
 * "0048 600 987 654", "(22) 123 45 67", "+44 (0)7700 900123"). A candidate is
 * a stretch of digits and separators; `normalizePhone` decides whether it is a
 * phone. Stretches overlapping something already recognised as another
 * identifier or as a date, price, … (`blocked`) are skipped.
 */
export interface ScannedPhone {
  raw: string;
  e164: string;
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
    const e164 = normalizePhone(match[0], defaultCountry);
    if (e164) phones.push({ raw: match[0].trim(), e164 });
  }
  return phones;
}

/**
 * Optional "+" or "(", a digit, up to 24 digits/separators, a digit; not inside
 * a word or a longer number ("1-2-3-4-…" is one code, not phones cut out of
 * it). The bounded middle keeps backtracking short.
 */
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+]|\d[-/.])(?:\+|\(\+?)?\d[\d \u00a0\-./()]{5,24}\d(?![\p{N}]|[-/.]\d)/gu;

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
