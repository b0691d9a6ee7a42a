import { describe, expect, it } from 'vitest';
import { compareIdentifier } from './extract/match-rules.js';
import { extractIdentifiers } from './extract/extract-identifiers.js';
import { compactIdentifier, foldDigits, foldLookAlikes, LOOK_ALIKE_LETTERS, letterScripts, mixesScripts } from './identifiers.js';

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

describe('Cyrillic and Greek letters that look like Latin ones compare as the Latin letter', () => {
  it.each([
    ['Cyrillic У looks like Y', 'У-77123', 'Y77123'],
    ['Cyrillic у, small', 'у-77123', 'Y77123'],
    ['Latin Y', 'Y-77123', 'Y77123'],
    ['Latin U is no look-alike of У', 'U-77123', 'U77123'],
    ['Cyrillic capitals', 'АВЕЅІЈКМНОРСТХ-1', 'ABESIJKMHOPCTX1'],
    ['Cyrillic smalls', 'аеорсухіјѕԁһԛԝ-1', 'AEOPCYXIJSDHQW1'],
    ['Cyrillic small в folds as its capital В', 'в-1', 'B1'],
    ['Greek capitals', 'ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ-1', 'ABEZHIKMNOPTYX1'],
    ['Greek small ο', 'ο-1', 'O1'],
    ['Greek small ν folds as its capital Ν (N), not as v', 'ν-1', 'N1'],
    ['mixed within one number', 'WЕВ-2026-00417', 'WEB202600417'],
    ['other Cyrillic letters stay', 'ЖД-10243', 'ЖД10243'],
    ['other Greek letters stay', 'ΣΩ-10243', 'ΣΩ10243'],
    ['Arabic stays', 'ط-١٠٢٤٣', 'ط10243'],
    ['a Cyrillic look-alike next to one that is not', 'ЖА-1', 'ЖA1'],
  ])('%s: %s → %s', (_label, typed, compact) => {
    expect(compactIdentifier(typed)).toBe(compact);
  });

  it('folds to a Latin capital only, and is case-blind: a letter and its capital compact alike', () => {
    for (const letter of LOOK_ALIKE_LETTERS) {
      const folded = compactIdentifier(letter);
      expect(folded, letter).toMatch(/^[A-Z]$/);
      expect(compactIdentifier(letter.toUpperCase()), letter).toBe(folded);
      expect(compactIdentifier(letter.toLowerCase()), letter).toBe(folded);
    }
  });

  it('leaves Latin text as it is', () => {
    expect(foldLookAlikes('ABCXYZ-10243')).toBe('ABCXYZ-10243');
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

describe('the extractor and the matcher read look-alike letters as Latin ones', () => {
  it.each([
    ['Cyrillic У in the text, Latin Y stored', 'Zamówienie nr У-77123, kiedy wysyłka?', 'Y-77123'],
    ['Cyrillic Е and В inside a Latin prefix', 'Zamówienie WЕВ-2026-00417', 'WEB-2026-00417'],
    ['Latin in the text, Greek Ο and Ρ stored', 'Order OP-77125 please', 'ΟΡ-77125'],
  ])('%s', (_label, text, stored) => {
    const { tokens } = extractIdentifiers({ subject: 'Pytanie', text });
    const token = tokens.find((found) => found.compact === compactIdentifier(stored));
    expect(token, JSON.stringify(tokens)).toBeDefined();
    // Not the same spelling, but the same number.
    expect(token && compareIdentifier(token, stored)).toBe('normalized');
  });

  it('a Cyrillic word before a number is not read into it', () => {
    const { tokens } = extractIdentifiers({ subject: 'Pytanie', text: 'Номер заказа 77123-4567' });
    expect(tokens.map((found) => found.raw)).toEqual(['77123-4567']);
  });
});
