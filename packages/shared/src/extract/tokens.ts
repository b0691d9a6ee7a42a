import { compactIdentifier, isDistinctive, LOOK_ALIKE_LETTERS } from '../identifiers.js';
import { classifyPreceding, isListContinuation, saysOrderNumber } from './context.js';
import { joinedGroups } from './joined.js';
import type { WordClass } from './keywords.js';
import { classifyWord, foldWord } from './keywords.js';
import { hasAddressWords, isPostcode } from './postcode.js';
import { looksLikeInvoiceNumber, rejectedShape, tokenKind } from './shapes.js';
import type { RejectedKind, TokenContext, TokenKind } from './types.js';

/**
 * Order-number-like tokens of one line (URLs and e-mail addresses already
 * masked). A token is a maximal run of ASCII letters and digits joined by
 * "-", "/", "." or a single space (the space only between groups that hold
 * digits), holding at least one digit. Runs are maximal, so "110243" never
 * yields "10243", and a run glued to a following letter ("10243ó") is skipped.
 *
 * A run typed with spaces ("10240 10241", "302 4417781 5520342") is returned
 * whole, and so are its space-separated parts of five or more characters
 * (people list numbers with a space too). Shorter parts are digit groups
 * ("6201 2345 …") and no numbers of their own. After an order, parcel or
 * invoice word, a short word typed before a run of digits is also tried as
 * its prefix ("Auftragsnummer web 2026 00417" for "WEB-2026-00417"), unless
 * it is a word with a meaning here ("nr", "und").
 */
export interface ScannedToken {
  raw: string;
  compact: string;
  start: number;
  end: number;
  context: TokenContext;
  kind: TokenKind;
  /** The word class behind `context`: 'number' ("nr", "#") alone is a weaker hint than 'order'. */
  wordClass: WordClass | null;
}

export interface ScannedRejection {
  raw: string;
  start: number;
  end: number;
  kind: RejectedKind;
}

export interface LineTokens {
  tokens: ScannedToken[];
  rejected: ScannedRejection[];
  /** Candidates classified (a run, its space-separated parts, its typed prefix: each counts). */
  candidates: number;
  /** Where the scan stopped because `maxCandidates` were classified (the start of the first run not read), or null. */
  stoppedAt: number | null;
}

/**
 * Classifying a candidate is the costly step (its words before, its shape, its
 * surroundings): a text made only of digits and separators holds one every
 * few characters. The scan classifies at most `maxCandidates` and then stops
 * before the next run, saying where (`stoppedAt`), so the caller can report
 * the rest as not read.
 */
export function scanTokens(line: string, maxCandidates = Number.POSITIVE_INFINITY): LineTokens {
  const found: LineTokens = { tokens: [], rejected: [], candidates: 0, stoppedAt: null };
  let addressLine: boolean | undefined;
  const isAddressLine = () => (addressLine ??= hasAddressWords(line));
  const take = (run: Run, cls: WordClass | null) => {
    found.candidates++;
    return classify(line, run, cls, isAddressLine);
  };
  let previous: PreviousRun | null = null;
  for (const match of line.matchAll(RUN)) {
    const { run, label } = splitLeadingLabel({ raw: match[0], start: match.index, end: match.index + match[0].length });
    if (isGluedToWord(line, run.end)) continue;
    if (!HAS_DIGIT.test(run.raw)) {
      if (CAPITALS_REFERENCE.test(run.raw) && found.candidates < maxCandidates) {
        found.candidates++;
        const reference = capitalsReference(line, run, precedingClass(line, run.start, previous));
        if (reference) found.tokens.push(reference);
      }
      continue;
    }
    if (found.candidates >= maxCandidates) {
      found.stoppedAt = match.index;
      break;
    }
    const cls: WordClass | null = label ?? precedingClass(line, run.start, previous);
    if (run.raw.length > MAX_RUN_LENGTH) {
      // No identifier is this long: only numbers listed with single spaces ("10240 10241 …") are read from it.
      for (const part of spaceSeparatedParts(run)) if (part.raw.length <= MAX_RUN_LENGTH) record(found, take(part, cls));
      previous = { end: run.end, cls };
      continue;
    }
    const whole = take(run, cls);
    record(found, whole);
    if (isToken(whole) && (whole.kind === 'number' || whole.kind === 'code')) {
      const prefixed = whole.context === 'bare' ? [] : withTypedPrefix(line, run);
      for (const variant of [...spaceSeparatedParts(run), ...prefixed]) record(found, take(variant, cls));
    }
    previous = { end: run.end, cls };
  }
  if (found.stoppedAt === null) addJoinedGroups(line, found, maxCandidates);
  return found;
}

/** Neighbouring groups typed with single spaces, a letters-only one among them ("AB 2025 0042"), joined. */
function addJoinedGroups(line: string, found: LineTokens, maxCandidates: number): void {
  for (const group of joinedGroups(line, maxCandidates - found.candidates)) {
    found.candidates++;
    const cls = classifyPreceding(line.slice(Math.max(0, group.start - SURROUNDING * 4), group.start));
    if (rejectedByWord(cls) && !isDistinctive(group.compact)) continue;
    const context = tokenContext(cls, group.raw);
    if (!isLongEnough(group.compact, context)) continue;
    found.tokens.push({ ...group, context, kind: tokenKind(group.raw, group.compact), wordClass: cls });
  }
}

/**
 * References of capital letters only (PrestaShop's "KHWLILZLL") hold no digit,
 * so no run of digits finds them: right after an order word ("commande
 * KHWLILZLL", "Ordine XKBKNABJK", "order ref. KHWLILZLL") such a word of six
 * to sixteen capitals is a candidate; elsewhere capitals are just shouting.
 */
function capitalsReference(line: string, run: Run, cls: WordClass | null): ScannedToken | null {
  if (cls !== 'order' && !(cls === 'number' && saysOrderNumber(line.slice(0, run.start)))) return null;
  return { ...run, compact: compactIdentifier(run.raw), context: 'keyword', kind: 'code', wordClass: cls };
}

const CAPITALS_REFERENCE = /^[A-Z]{6,16}$/;

interface Run {
  raw: string;
  start: number;
  end: number;
}

interface PreviousRun {
  end: number;
  cls: WordClass | null;
}

/** Segments joined by "-", "/", "." or a single space between two segments that both hold a digit ("1Z 123 45E 02"). */
const LETTERS = `A-Za-z${LOOK_ALIKE_LETTERS}`;
const RUN = new RegExp(
  `(?<![\\p{L}\\p{N}_])[${LETTERS}0-9]+(?:(?:[-/.]|(?<=\\d[${LETTERS}]*)[ \\u00a0\\u202f](?=[${LETTERS}]*\\d))[${LETTERS}0-9]+)*`,
  'gu',
);
const HAS_DIGIT = /\d/;
const GLUED_AFTER = /^[\p{L}\p{N}_]/u;
const LEADING_LABEL = /^([A-Za-z]{1,16})\.(?=[A-Za-z0-9])/;
const MIN_PART_LENGTH = 5;
/** Longer than any order number, marketplace id or tracking number (and than the API takes). */
const MAX_RUN_LENGTH = 100;

function isGluedToWord(line: string, end: number): boolean {
  return GLUED_AFTER.test(line.slice(end, end + 2));
}

/** "Nr.10243", "Tel.600987654": a label word glued to the number by a dot is a word before it. */
function splitLeadingLabel(run: Run): { run: Run; label: WordClass | null } {
  const label = LEADING_LABEL.exec(run.raw);
  const cls = label?.[1] ? classifyWord(foldWord(label[1])) : null;
  if (!label || cls === null) return { run, label: null };
  const offset = label[0].length;
  return { run: { raw: run.raw.slice(offset), start: run.start + offset, end: run.end }, label: cls };
}

/** Words before the token, or the previous token's class when this one continues a list. */
function precedingClass(line: string, start: number, previous: PreviousRun | null): WordClass | null {
  if (previous && previous.cls !== null && isListContinuation(line.slice(previous.end, start))) return previous.cls;
  return classifyPreceding(line.slice(previous?.end ?? 0, start));
}

function spaceSeparatedParts(run: Run): Run[] {
  if (!SPACE.test(run.raw)) return [];
  const parts: Run[] = [];
  for (const match of run.raw.matchAll(PART)) {
    if (match[0].length >= MIN_PART_LENGTH)
      parts.push({ raw: match[0], start: run.start + match.index, end: run.start + match.index + match[0].length });
  }
  return parts;
}

/** "web 2026 00417": a short letters-only word right before a run of digits, separated by one space. */
function withTypedPrefix(line: string, run: Run): Run[] {
  if (!STARTS_WITH_DIGIT.test(run.raw)) return [];
  const prefix = TYPED_PREFIX.exec(line.slice(Math.max(0, run.start - PREFIX_WINDOW), run.start));
  const word = prefix?.[1];
  if (!prefix || !word || classifyWord(foldWord(word)) !== null) return [];
  const start = run.start - prefix[0].length;
  return [{ raw: line.slice(start, run.end), start, end: run.end }];
}

const TYPED_PREFIX = /(?<![\p{L}\p{N}_.\-/])([A-Za-z]{1,5})[ \u00a0\u202f]$/u;
const PREFIX_WINDOW = 8;
const STARTS_WITH_DIGIT = /^\d/;
const SPACE = /[ \u00a0\u202f]/;
const PART = /[^ \u00a0\u202f]+/g;

type Classified = ScannedToken | ScannedRejection | null;

function classify(line: string, run: Run, cls: WordClass | null, isAddressLine: () => boolean): Classified {
  const before = line.slice(Math.max(0, run.start - SURROUNDING), run.start);
  const after = line.slice(run.end, run.end + SURROUNDING);
  // After an order, parcel or invoice word a postcode-shaped number is taken as meant.
  const postcode = !isIdentifierWord(cls) && isPostcode(run.raw, line, run.end, before, isAddressLine);
  const compact = compactIdentifier(run.raw);
  // Words may only demote short numbers: "Tytuł przelewu: AB-2025-0042" is still the order's number.
  const byWord = isDistinctive(compact) ? null : rejectedByWord(cls);
  const rejectedKind = byWord ?? rejectedShape(run.raw, before, after) ?? (postcode ? 'postcode' : null);
  if (rejectedKind) return { ...run, kind: rejectedKind };

  const context = tokenContext(cls, run.raw);
  if (!isLongEnough(compact, context) && !(cls === 'order' && isShortOrderNumber(compact, before))) return null;
  return { ...run, compact, context, kind: tokenKind(run.raw, compact), wordClass: cls };
}

const SURROUNDING = 16;

function rejectedByWord(cls: WordClass | null): RejectedKind | null {
  switch (cls) {
    case 'phone':
      return 'phone';
    case 'bank':
      return 'iban';
    case 'tax':
      return 'tax-id';
    case 'postcode':
      return 'postcode';
    default:
      return null;
  }
}

function isIdentifierWord(cls: WordClass | null): boolean {
  return cls === 'order' || cls === 'number' || cls === 'tracking' || cls === 'invoice';
}

function tokenContext(cls: WordClass | null, raw: string): TokenContext {
  if (cls === 'order' || cls === 'number') return 'keyword';
  if (cls === 'tracking') return 'tracking';
  if (cls === 'invoice' || looksLikeInvoiceNumber(raw)) return 'invoice';
  return 'bare';
}

/**
 * After a keyword even "#123" is meant as a number; without one, short
 * numbers are mostly quantities, years and times, so a bare token needs five
 * characters with four digits ("10243", "A-1001").
 */
function isLongEnough(compact: string, context: TokenContext): boolean {
  if (context !== 'bare') return compact.length >= 3;
  return compact.length >= 5 && countDigits(compact) >= 4;
}

/**
 * "zamówienie nr 12", "order #7": a number of one or two characters holding a
 * digit counts only right after an order word followed by a number word.
 */
function isShortOrderNumber(compact: string, before: string): boolean {
  return compact.length > 0 && compact.length < 3 && countDigits(compact) > 0 && saysOrderNumber(before);
}

function countDigits(text: string): number {
  let count = 0;
  for (const char of text) if (char >= '0' && char <= '9') count++;
  return count;
}

function isToken(item: Classified): item is ScannedToken {
  return item !== null && 'context' in item;
}

function record(found: LineTokens, item: Classified): void {
  if (isToken(item)) found.tokens.push(item);
  else if (item !== null) found.rejected.push(item);
}
