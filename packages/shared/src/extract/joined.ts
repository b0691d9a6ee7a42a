import { compactIdentifier, LOOK_ALIKE_LETTERS } from '../identifiers.js';
import { classifyWord, foldWord } from './keywords.js';

/**
 * Numbers typed in groups with spaces where the stored value has separators
 * or none: "AB 2025 0042" for "AB-2025-0042", "1Z 999 AA 10 1234 5678 4" for a
 * UPS number. Groups that hold digits are already joined into one run by the
 * token scan; a group of letters only ends such a run, as a word would. Here
 * neighbouring groups separated by one space, at least one of them letters
 * only, are joined into candidates: the database decides which joined form is
 * one of ours (each is a look-up key; nothing is scanned), and the separator
 * rules of `compareIdentifier` decide whether the spaces fit the stored value.
 *
 * A letters-only group is short and in capitals, as codes are printed (up to
 * four: "AB", "WEB", "AA"), and no word with a meaning here ("NR"); a joined
 * form holds four digits or more and spans at most eight groups, so ordinary
 * text ("for 1234", "W dniu 3.11.2026") yields no candidates.
 */
export interface JoinedGroup {
  raw: string;
  compact: string;
  start: number;
  end: number;
}

export function joinedGroups(line: string, maxGroups: number): JoinedGroup[] {
  if (maxGroups <= 0 || !LETTER_GROUP_NEXT_TO_DIGITS.test(line)) return [];
  const joined: JoinedGroup[] = [];
  for (const chain of chains(line)) {
    for (let first = 0; first < chain.length; first++) {
      for (let last = first + 1; last < chain.length && last - first < MAX_GROUPS; last++) {
        const window = chain.slice(first, last + 1);
        if (!window.some((group) => group.lettersOnly) || !window.some((group) => group.hasDigit)) continue;
        const start = window[0]?.start ?? 0;
        const end = window[window.length - 1]?.end ?? 0;
        const raw = line.slice(start, end);
        const compact = compactIdentifier(raw);
        if (countDigits(compact) < MIN_DIGITS || compact.length > MAX_LENGTH) continue;
        joined.push({ raw, compact, start, end });
        if (joined.length >= maxGroups) return joined;
      }
    }
  }
  return joined;
}

interface Group {
  start: number;
  end: number;
  hasDigit: boolean;
  lettersOnly: boolean;
}

const LETTERS = `A-Za-z${LOOK_ALIKE_LETTERS}`;
const GROUP = new RegExp(`(?<![\\p{L}\\p{N}_])[${LETTERS}0-9]+(?:[-/.][${LETTERS}0-9]+)*(?![\\p{L}\\p{N}_])`, 'gu');
/** A cheap first look: a short letters-only group and a digit group next to each other. */
const LETTER_GROUP_NEXT_TO_DIGITS = new RegExp(
  `(?<![\\p{L}\\p{N}])\\p{Lu}{1,4}[ \\u00a0\\u202f][${LETTERS}]*\\d|\\d[${LETTERS}]*[ \\u00a0\\u202f]\\p{Lu}{1,4}(?![\\p{L}\\p{N}])`,
  'u',
);
const SINGLE_SPACE = /^[ \u00a0\u202f]$/;
const DIGIT = /\d/;
const LETTERS_ONLY = new RegExp(`^[${LETTERS}]+$`, 'u');
const CAPITALS = /^\p{Lu}+$/u;
const MAX_LETTERS = 4;
const MAX_GROUPS = 8;
const MIN_DIGITS = 4;
const MAX_LENGTH = 40;

/**
 * Runs of groups separated by single spaces in which every letters-only group
 * is short and means nothing; a long word or a keyword breaks the run.
 */
function chains(line: string): Group[][] {
  const found: Group[][] = [];
  let chain: Group[] = [];
  let previousEnd = -1;
  const close = () => {
    if (chain.length > 1 && chain.some((group) => group.lettersOnly)) found.push(chain);
    chain = [];
  };
  for (const match of line.matchAll(GROUP)) {
    const text = match[0];
    const group: Group = {
      start: match.index,
      end: match.index + text.length,
      hasDigit: DIGIT.test(text),
      lettersOnly: LETTERS_ONLY.test(text),
    };
    const joinable = !group.lettersOnly || (text.length <= MAX_LETTERS && CAPITALS.test(text) && classifyWord(foldWord(text)) === null);
    const adjacent = previousEnd >= 0 && SINGLE_SPACE.test(line.slice(previousEnd, group.start));
    if (!adjacent || !joinable) close();
    if (joinable) chain.push(group);
    previousEnd = group.end;
  }
  close();
  return found;
}

function countDigits(text: string): number {
  let count = 0;
  for (const char of text) if (char >= '0' && char <= '9') count++;
  return count;
}
