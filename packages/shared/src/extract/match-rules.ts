import { foldDigits, foldLookAlikes, isAscii, lookupForm, withoutLeadingZeros } from '../identifiers.js';
import type { TokenContext, Where } from './types.js';

/**
 * Whether a token read from an e-mail refers to a stored identifier (order
 * number, marketplace id, tracking number), for the API after it has looked
 * the token up by its compact form.
 *
 * - 'exact': the same characters, case-insensitively, ignoring punctuation
 *   around them ("#10245", "(10245)") and the kind of white space.
 * - 'normalized': the same letters and digits, and every separator the token
 *   has is compatible with the stored format:
 *   - a dash, slash or dot only where the stored value has a separator
 *     ("10-234" is not "10234"; "302/4417781/5520342" is "302-4417781-5520342");
 *   - a space where the stored value has a separator is fine ("302 4417781 5520342");
 *   - a space where it has none is how people type long numbers
 *     ("6201 2345 6789 0123 4567 8901"); for identifiers shorter than ten
 *     characters it is ambiguous ("10 243" may be "10" and "243"), so it
 *     counts only after an order or parcel keyword or in the subject;
 *   - missing separators are fine ("30244177815520342");
 *   - leading zeros of a number of digits only are forgiven, written or not
 *     ("123" and "#000000123" are Magento's "000000123", see `lookupForm`).
 * - null otherwise; different letters or digits never match ("110243" is not "10243").
 */
export type IdentifierMatch = 'exact' | 'normalized';

export interface ComparableToken {
  raw: string;
  compact: string;
  context?: TokenContext;
  where?: Where;
}

export function compareIdentifier(token: ComparableToken, stored: string): IdentifierMatch | null {
  if (lookupForm(token.compact) !== lookupForm(stored)) return null;
  const written = splitSeparators(token.raw);
  const known = splitSeparators(stored);
  if (written.characters !== known.characters || written.characters === '') return null;
  if (sameSpelling(token.raw, stored)) return 'exact';

  let unmatchedSpace = false;
  for (let gap = 1; gap < written.gaps.length - 1; gap++) {
    const typed = written.gaps[gap] ?? '';
    const storedHasSeparator = (known.gaps[gap] ?? '') !== '';
    if (typed === '' || storedHasSeparator) continue;
    if (!WHITESPACE_ONLY.test(typed)) return null;
    unmatchedSpace = true;
  }
  if (unmatchedSpace && written.characters.length < LONG_IDENTIFIER && !spaceIsMeant(token)) return null;
  return 'normalized';
}

const LONG_IDENTIFIER = 10;
const WHITESPACE_ONLY = /^\s+$/u;
const SURROUNDING_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

function spaceIsMeant(token: ComparableToken): boolean {
  return token.context === 'keyword' || token.context === 'tracking' || token.where === 'subject';
}

function sameSpelling(a: string, b: string): boolean {
  return spelling(a) === spelling(b);
}

function spelling(value: string): string {
  return foldDigits(isAscii(value) ? value : value.normalize('NFKC'))
    .replace(SURROUNDING_PUNCTUATION, '')
    .replace(/\s+/gu, ' ')
    .toUpperCase();
}

/**
 * The letters and digits (upper case, look-alikes folded, as `compactIdentifier` has them) and the
 * separator text in each gap: gaps[i] is what stands before character i.
 */
function splitSeparators(value: string): { characters: string; gaps: string[] } {
  let characters = '';
  const gaps: string[] = [''];
  for (const char of foldDigits(isAscii(value) ? value : value.normalize('NFKC'))) {
    if (ALPHANUMERIC.test(char)) {
      const capital = char.toUpperCase();
      for (const upper of capital.charCodeAt(0) < 0x80 ? capital : foldLookAlikes(capital)) {
        characters += upper;
        gaps.push('');
      }
    } else {
      gaps[gaps.length - 1] += char;
    }
  }
  return withoutLeadingZeroCharacters(characters, gaps);
}

/** Digits only: the leading zeros and the gaps after them go, as `lookupForm` drops them. */
function withoutLeadingZeroCharacters(characters: string, gaps: string[]): { characters: string; gaps: string[] } {
  const kept = withoutLeadingZeros(characters);
  if (kept.length === characters.length) return { characters, gaps };
  return { characters: kept, gaps: ['', ...gaps.slice(characters.length - kept.length + 1)] };
}

const ALPHANUMERIC = /^[\p{L}\p{N}]$/u;
