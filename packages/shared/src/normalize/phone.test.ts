import { describe, expect, it } from 'vitest';
import { looksLikeDate } from './date-shape.js';
import { normalizePhone, phoneCountry } from './phone.js';

describe('normalizePhone', () => {
  describe.each([
    [
      '+48600987654',
      [
        '600 987 654',
        '600987654',
        '(0) 600 987 654',
        '+48 600-987-654',
        '0048600987654',
        '0048 600 987 654',
        '(+48) 600 987 654',
        '+48 (0) 600 987 654',
        '+48.600.987.654',
      ],
    ],
    ['+447700900123', ['+44 7700 900123', '0044 7700 900123', '+44 (0)7700 900123']],
    ['+4915123456789', ['+49 151 23456789', '+49 (0)151 23456789']],
    ['+48221234567', ['+48 (22) 123 45 67', '22 123 45 67']],
  ])('all spellings of %s', (e164, spellings) => {
    it.each(spellings)('%s', (raw) => {
      expect(normalizePhone(raw, 'PL')).toBe(e164);
    });
  });

  it('reads national numbers with the given default country', () => {
    expect(normalizePhone('0151 23456789', 'DE')).toBe('+4915123456789');
    expect(normalizePhone('347 1234567', 'IT')).toBe('+393471234567');
    expect(normalizePhone('600 987 654', 'pl')).toBe('+48600987654');
  });

  it('reads national numbers only with a default country', () => {
    expect(normalizePhone('600 987 654')).toBeNull();
    expect(normalizePhone('600 987 654', 'XX')).toBeNull();
    expect(normalizePhone('+48 600 987 654')).toBe('+48600987654');
  });

  it('keeps every digit: one digit more or less is another number or none', () => {
    expect(normalizePhone('600 987 655', 'PL')).toBe('+48600987655');
    expect(normalizePhone('600 987 65', 'PL')).toBeNull();
  });

  it.each([
    ['too short', '12345'],
    ['Polish postcode', '10-234'],
    ['date with dots', '12.11.2026'],
    ['date with slashes', '12/11/2026'],
    ['ISO date', '2026-11-12'],
    ['order number', '10243'],
    ['tracking number', '620123456789012345678901'],
    ['letters', 'tel. 600 987 654'],
    ['two plus signs', '+48 +600987654'],
    ['national number not valid in the country', '0800 123 456'],
    ['empty', ''],
  ])('refuses %s (%s)', (_label, raw) => {
    expect(normalizePhone(raw, 'PL')).toBeNull();
  });
});

describe('phoneCountry', () => {
  it.each([
    ['+49 170 1234567', 'DE'],
    ['0048 600 123 456', 'PL'],
    ['(+420) 601 123 456', 'CZ'],
    ['600 123 456', null],
    ['not a phone', null],
  ])('%s → %s', (raw, country) => {
    expect(phoneCountry(raw)).toBe(country);
  });
});

describe('looksLikeDate', () => {
  it.each(['12.11.2026', '12/11/26', '2026-11-12', '1.2.2026', '12. 11. 2026', '12.11.2026r.', '11/30/2026'])('%s is a date', (value) => {
    expect(looksLikeDate(value)).toBe(true);
  });

  it.each(['10-234', '13.13.2026', '32.11.2026', '2026-13-01', '12-11223-44556', '600.987.654'])('%s is no date', (value) => {
    expect(looksLikeDate(value)).toBe(false);
  });
});
