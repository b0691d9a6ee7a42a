/**
 * How identifiers typed by people are compared: upper case, digits of any
 * script as their ASCII values, every character that is not a letter or digit
 * removed ("zam. 10-243 / a" → "10243A", "١٠٢٤٣" → "10243"). Order numbers,
 * marketplace ids and tracking numbers are stored in this form too.
 */
export function compactIdentifier(value: string): string {
  return foldDigits(value.normalize('NFKC'))
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
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
  return value.replace(NON_ASCII_DIGIT, digitValue);
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
