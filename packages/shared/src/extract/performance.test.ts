import { describe, expect, it } from 'vitest';
import { extractIdentifiers } from './extract-identifiers.js';
import { extractionLimits } from './limits.js';

/**
 * Bodies of about 200 KB shaped to trip backtracking or quadratic scans
 * (long runs without a separator, endless token lists, stray "<", "@" and
 * URLs). Nothing asserts a time: vitest's timeout catches a scan that is not
 * linear, and each case checks that the work was actually done.
 */
const SIZE = 200_000;
const repeatTo = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length));

describe('extraction stays linear on large bodies', () => {
  it.each([
    ['one digit run', repeatTo('1')],
    ['one letter run', repeatTo('a')],
    ['letters joined by dashes', repeatTo('a-')],
    ['digits joined by dashes', repeatTo('1-')],
    ['digits joined by single spaces', repeatTo('12 ')],
    ['word characters without an "@" end', `${repeatTo('a.')}@`],
    ['many "@"', repeatTo('a@')],
    ['an address-like line of postcodes', `ul. Długa 5, ${repeatTo('10-234 Olsztyn, ')}`],
    ['a date-like run', repeatTo('12.11.')],
  ])('%s', (_label, body) => {
    const extracted = extractIdentifiers({ text: body, subject: body }, { defaultCountry: 'PL' });
    expect(extracted.tokens.length + extracted.rejected.length).toBeLessThan(SIZE);
  });

  it('a long list of order numbers: scanned in one pass, the first ones kept', () => {
    const numbers = Array.from({ length: 20_000 }, (_, index) => String(100_000 + index));
    const extracted = extractIdentifiers({ text: `Bestellungen ${numbers.join(' und ')}` }, { defaultCountry: 'PL' });
    expect(extracted.tokens).toHaveLength(extractionLimits.tokens);
    expect(extracted.tokens[0]?.raw).toBe('100000');
    expect(extracted.tokens.every((token) => token.context === 'keyword')).toBe(true);
  });

  it('many lines of ordinary mail, phones and quotes', () => {
    const block =
      'Dzień dobry, zamówienie nr 10243, tel. +48 600 987 654, https://shop.example/o/10243?x=1 jan@example.pl\n> On Mon, Jan wrote:\n';
    const extracted = extractIdentifiers({ text: repeatTo(block) }, { defaultCountry: 'PL' });
    expect(extracted.tokens.map((token) => token.raw)).toEqual(['10243']);
    expect(extracted.phones.map((phone) => phone.e164)).toEqual(['+48600987654']);
    expect(extracted.emails.map((email) => email.address)).toEqual(['jan@example.pl']);
  });

  it('HTML with stray "<", unclosed tags and comments', () => {
    const html = `${repeatTo('<p>order <b>10245</b> a < b <!-- x --> <div')}`;
    const extracted = extractIdentifiers({ html }, { defaultCountry: 'PL' });
    expect(extracted.tokens.some((token) => token.raw === '10245')).toBe(true);
  });

  it('HTML that never closes a tag', () => {
    expect(extractIdentifiers({ html: repeatTo('<a href="x') }).tokens).toEqual([]);
    expect(extractIdentifiers({ html: repeatTo('<') }).tokens).toEqual([]);
  });
});
