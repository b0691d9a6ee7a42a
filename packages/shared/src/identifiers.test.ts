import { describe, expect, it } from 'vitest';
import { compareIdentifier } from './extract/match-rules.js';
import { extractIdentifiers } from './extract/extract-identifiers.js';
import { compactIdentifier, foldDigits, letterScripts, mixesScripts } from './identifiers.js';

describe('digits of any script compare as their values', () => {
  it.each([
    ['ASCII', '10-243', '10243'],
    ['Arabic-Indic', '١٠-٢٤٣', '10243'],
    ['Extended Arabic-Indic (Persian)', '۱۰۲۴۳', '10243'],
    ['Devanagari', '१०२४३', '10243'],
    ['Bengali', '১০২৪৩', '10243'],
    ['Thai', '๑๐๒๔๓', '10243'],
    ['full-width', '１０２４３', '10243'],
    ['mathematical bold (astral)', '𝟏𝟎𝟐𝟒𝟑', '10243'],
    ['Osmanya (astral)', '𐒡𐒠𐒢𐒤𐒣', '10243'],
    ['letters kept, digits folded', 'zam. ab-٩٩', 'ZAMAB99'],
  ])('%s: %s → %s', (_label, typed, compact) => {
    expect(compactIdentifier(typed)).toBe(compact);
  });

  it('folds every Unicode decimal digit to an ASCII digit, 0–9 in order within each block', () => {
    const digits: string[] = [];
    for (let codePoint = 0x80; codePoint <= 0x10ffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const char = String.fromCodePoint(codePoint);
      if (/\p{Nd}/u.test(char)) digits.push(char);
    }
    expect(digits.length).toBeGreaterThan(500);
    for (const [index, digit] of digits.entries())
      expect(foldDigits(digit), `U+${digit.codePointAt(0)?.toString(16)}`).toBe(String(index % 10));
  });
});

describe('scripts of an order number', () => {
  it.each([
    ['UУ-1001', true],
    ['ZАM-1', true],
    ['ORDΟ-1', true],
    ['ЗАК-1004', false],
    ['AB-١٠٠٥', false],
    ['10231', false],
    ['ZAM/2026/00417', false],
    ['注文カタカナ-1', false],
    ['주문-注文-1', false],
    ['ص-٤٤٠٢', false],
    ['Aص-1', true],
  ])('%s mixes scripts: %s', (value, mixed) => {
    expect(mixesScripts(value)).toBe(mixed);
  });

  it('names the scripts found', () => {
    expect([...letterScripts('UУ-1')]).toEqual(['Latin', 'Cyrillic']);
  });
});

describe('the extractor and the matcher read such digits the same way', () => {
  it.each([
    ['Arabic-Indic digits in the text, ASCII stored', 'Zamówienie nr ١٠٢٤٣, kiedy wysyłka?', '10243'],
    ['ASCII digits in the text, Arabic-Indic stored', 'Zamówienie nr 10243, kiedy wysyłka?', '١٠٢٤٣'],
    ['full-width digits in the text', 'Zamówienie nr １０２４３', '10243'],
  ])('%s', (_label, text, stored) => {
    const { tokens } = extractIdentifiers({ subject: 'Pytanie', text });
    const token = tokens.find((found) => found.compact === compactIdentifier(stored));
    expect(token, JSON.stringify(tokens)).toBeDefined();
    expect(token && compareIdentifier(token, stored)).toBe('exact');
  });
});
