import { describe, expect, it } from 'vitest';
import { compactIdentifier } from '../identifiers.js';
import type { ComparableToken, IdentifierMatch } from './match-rules.js';
import { compareIdentifier } from './match-rules.js';

const token = (raw: string, extra: Partial<ComparableToken> = {}): ComparableToken => ({ raw, compact: compactIdentifier(raw), ...extra });

describe('compareIdentifier', () => {
  it.each<[string, ComparableToken, string, IdentifierMatch | null]>([
    ['same characters', token('10245'), '10245', 'exact'],
    ['case differs', token('ord/2026/0042'), 'ORD/2026/0042', 'exact'],
    ['surrounding punctuation', token('#10245'), '10245', 'exact'],
    ['brackets around', token('(302-4417781-5520342)'), '302-4417781-5520342', 'exact'],
    ['spaces where the stored value has dashes', token('302 4417781 5520342'), '302-4417781-5520342', 'normalized'],
    ['slashes where the stored value has dashes', token('302/4417781/5520342'), '302-4417781-5520342', 'normalized'],
    ['separators left out', token('30244177815520342'), '302-4417781-5520342', 'normalized'],
    ['a long number typed in groups', token('6201 2345 6789 0123 4567 8901'), '620123456789012345678901', 'normalized'],
    ['a stored value with spaces, typed without', token('620123456789012345678901'), '6201 2345 6789 0123 4567 8901', 'normalized'],
    ['eBay id with spaces', token('12 11223 44556'), '12-11223-44556', 'normalized'],
    ['postcode is not an order number', token('10-234'), '10234', null],
    ['a dash where the stored value has none', token('1024-3'), '10243', null],
    ['a dot where the stored value has none', token('10.243'), '10243', null],
    ['a short number with a space, bare', token('10 243', { context: 'bare' }), '10243', null],
    ['a short number with a space, no context given', token('10 243'), '10243', null],
    ['a short number with a space after a keyword', token('10 243', { context: 'keyword' }), '10243', 'normalized'],
    ['a short number with a space after a parcel word', token('10 243', { context: 'tracking' }), '10243', 'normalized'],
    ['a short number with a space in the subject', token('10 243', { where: 'subject', context: 'bare' }), '10243', 'normalized'],
    ['a short number with a space after an invoice word', token('10 243', { context: 'invoice' }), '10243', null],
    ['a longer digit run', token('110243'), '10243', null],
    ['a shorter digit run', token('1024'), '10243', null],
    ['one digit differs', token('10244'), '10243', null],
    ['leading zeros of a number are forgiven', token('0042', { context: 'keyword' }), '42', 'normalized'],
    ['leading zeros a number was stored with are forgiven', token('123', { context: 'keyword' }), '000000123', 'normalized'],
    ["Shopify's '#' is no character of the number", token('1001', { context: 'keyword' }), '#1001', 'exact'],
    ['leading zeros of a code with letters matter', token('A-0042'), 'A-42', null],
    ['empty stored value', token('10243'), '', null],
  ])('%s: %s vs %s', (_label, written, stored, expected) => {
    expect(compareIdentifier(written, stored)).toBe(expected);
  });

  it('never matches a token whose compact form differs from the stored one', () => {
    expect(compareIdentifier({ raw: '10243', compact: '99999' }, '10243')).toBeNull();
  });
});
