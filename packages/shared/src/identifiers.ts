/**
 * How identifiers typed by people are compared: upper case, digits of any
 * script as their ASCII values, Cyrillic and Greek capitals that look like a
 * Latin capital as that Latin letter, every character that is not a letter or
 * digit removed ("zam. 10-243 / a" → "10243A", "١٠٢٤٣" → "10243",
 * "У-77123" (Cyrillic У) → "Y77123"). Order numbers, marketplace ids and
 * tracking numbers are stored in this form too (`orders_number_compact_key`).
 */
export function compactIdentifier(value: string): string {
  // Most identifiers are plain ASCII: nothing to normalise or fold (this runs for every token of every match).
  if (isAscii(value)) return value.toUpperCase().replace(/[^A-Z0-9]+/g, '');
  return foldLookAlikes(foldDigits(value.normalize('NFKC')).toUpperCase()).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The form order numbers, marketplace ids and tracking numbers are stored and
 * looked up in: `compactIdentifier`, and for a value of digits only, without
 * its leading zeros ("#1001" → "1001", "000000123" → "123", "0" stays "0").
 * Zeros in front of digits carry no meaning to people: a shop that pads its
 * numbers pads them all to one width, so no two of its numbers differ only
 * there, and a customer writes "order 123" for "000000123"; the unique index
 * on this form refuses a second number that does. A value with letters keeps
 * its zeros ("A-0012" is not "A-12"); so do the characters compared by
 * `compareIdentifier`, which only forgives leading zeros of such numbers.
 */
export function lookupForm(value: string): string {
  return withoutLeadingZeros(compactIdentifier(value));
}

/** A compact form of digits only without its leading zeros (one zero stays); anything else as it is. */
export function withoutLeadingZeros(compact: string): string {
  if (compact.length < 2 || compact.charCodeAt(0) !== ZERO || !ALL_DIGITS.test(compact)) return compact;
  let first = 0;
  while (first < compact.length - 1 && compact.charCodeAt(first) === ZERO) first++;
  return compact.slice(first);
}

const ZERO = 48;
const ALL_DIGITS = /^[0-9]+$/;

/**
 * Distinctive: a chance collision with one of our identifiers is unlikely, so
 * finding it is a claim whatever words stand around it: long (ten characters
 * or more), or six or more mixing letters and digits. Shorter numbers need
 * words around them ("order", "#", the subject) before they are trusted, and
 * other words ("invoice", "tel.") may demote them.
 */
export function isDistinctive(compact: string): boolean {
  if (compact.length >= 10) return true;
  return compact.length >= 6 && HAS_LETTER.test(compact) && HAS_DIGIT.test(compact);
}

const HAS_LETTER = /\p{L}/u;
const HAS_DIGIT = /\p{N}/u;

/**
 * Capital letters of other scripts that look like a Latin capital, as that
 * capital: a small table in the spirit of the confusables of Unicode UTS #39,
 * for Cyrillic and Greek. It is keyed by capitals because `compactIdentifier`
 * upper-cases first, so a lower-case letter folds as its capital does: "у" is
 * "У", is "Y". Where a small letter looks Latin but its capital does not, the
 * capital decides, so that case never matters: Greek "ν" (like "v") is "Ν",
 * which looks like "N", and compares as "N". Letters that look like no Latin
 * letter ("Ж", "Д", "Л", "Σ") stay, so numbers written in those scripts still
 * work. Latin "U" and Cyrillic "У" are no look-alikes ("У" looks like "Y").
 */
const LOOK_ALIKE_CAPITALS: Readonly<Record<string, string>> = {
  // Cyrillic
  '\u0405': 'S', // Ѕ
  '\u0406': 'I', // І
  '\u0408': 'J', // Ј
  '\u0410': 'A', // А
  '\u0412': 'B', // В
  '\u0415': 'E', // Е
  '\u041A': 'K', // К
  '\u041C': 'M', // М
  '\u041D': 'H', // Н
  '\u041E': 'O', // О
  '\u0420': 'P', // Р
  '\u0421': 'C', // С
  '\u0422': 'T', // Т
  '\u0423': 'Y', // У
  '\u0425': 'X', // Х
  '\u04AE': 'Y', // Ү (straight U)
  '\u04BA': 'H', // Һ (capital of һ)
  '\u0500': 'D', // Ԁ (capital of ԁ)
  '\u051A': 'Q', // Ԛ
  '\u051C': 'W', // Ԝ
  // Greek
  '\u037F': 'J', // Ϳ
  '\u0391': 'A', // Α
  '\u0392': 'B', // Β
  '\u0395': 'E', // Ε
  '\u0396': 'Z', // Ζ
  '\u0397': 'H', // Η
  '\u0399': 'I', // Ι
  '\u039A': 'K', // Κ
  '\u039C': 'M', // Μ
  '\u039D': 'N', // Ν
  '\u039F': 'O', // Ο
  '\u03A1': 'P', // Ρ
  '\u03A4': 'T', // Τ
  '\u03A5': 'Y', // Υ
  '\u03A7': 'X', // Χ
};

const LOOK_ALIKE = new RegExp(`[${Object.keys(LOOK_ALIKE_CAPITALS).join('')}]`, 'gu');

/** The Cyrillic and Greek letters (capital and small) that fold to a Latin letter, for a regular expression class. */
export const LOOK_ALIKE_LETTERS: string = [
  ...new Set(Object.keys(LOOK_ALIKE_CAPITALS).flatMap((capital) => [capital, ...lowerCaseOf(capital)])),
].join('');

function lowerCaseOf(capital: string): string[] {
  const lower = capital.toLowerCase();
  return lower !== capital && lower.toUpperCase() === capital ? [lower] : [];
}

/** Cyrillic and Greek capitals that look like a Latin capital as that capital (expects upper case). */
export function foldLookAlikes(value: string): string {
  return value.replace(LOOK_ALIKE, (char) => LOOK_ALIKE_CAPITALS[char] ?? char);
}

const NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/gu;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const digitValues = new Map<string, string>();

/**
 * Every Unicode decimal digit (`\p{Nd}`: Arabic-Indic, Devanagari, full-width …)
 * as its ASCII digit; other characters as they are. Unicode assigns decimal
 * digits only in contiguous runs that start at zero, so a digit's value is its
 * distance from the start of its run, modulo 10 (adjacent runs are each 0–9).
 */
export function foldDigits(value: string): string {
  return isAscii(value) ? value : value.replace(NON_ASCII_DIGIT, digitValue);
}

/** Nothing beyond ASCII: no other script's digits or letters to fold, and NFKC changes nothing. */
export function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

function digitValue(digit: string): string {
  const known = digitValues.get(digit);
  if (known !== undefined) return known;
  const codePoint = digit.codePointAt(0) ?? 0;
  let start = codePoint;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  const ascii = String((codePoint - start) % 10);
  digitValues.set(digit, ascii);
  return ascii;
}

/**
 * Letter scripts that people confuse with one another or that are never
 * mixed in one identifier. Han, Hiragana and Katakana (Japanese), and Han with
 * Hangul (Korean) belong together; digits and separators belong to none.
 */
const SCRIPTS: readonly [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Coptic', /\p{Script=Coptic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}]/u],
];
const LETTER = /\p{L}/u;

/** The scripts of the letters in a value (Japanese and Korean count as one each). */
export function letterScripts(value: string): Set<string> {
  const scripts = new Set<string>();
  for (const char of value) {
    if (!LETTER.test(char)) continue;
    scripts.add(SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0] ?? 'Other');
  }
  if (scripts.has('CJK') && scripts.has('Hangul')) scripts.delete('Hangul');
  return scripts;
}

/** Letters of two scripts in one identifier ("UУ-1", Latin U and Cyrillic У) make look-alikes. */
export function mixesScripts(value: string): boolean {
  return letterScripts(value).size > 1;
}
