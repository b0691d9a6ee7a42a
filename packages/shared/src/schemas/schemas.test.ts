import { describe, expect, it } from 'vitest';
import { text } from './common.js';
import { paymentRecord } from './orders.js';
import { publicBaseUrl } from './settings.js';

describe('one-line text', () => {
  it.each([
    ['a right-to-left override', 'Anna \u202eKowalska'],
    ['a left-to-right embedding', '\u202aPH-1'],
    ['a pop directional formatting', 'PH-1\u202c'],
    ['a first-strong isolate', 'Jan \u2068Nowak\u2069'],
    ['a line separator', 'Jan\u2028Nowak'],
    ['a tab', 'Jan\tNowak'],
  ])('refuses %s', (_what, value) => {
    expect(text(100).safeParse(value).success).toBe(false);
  });

  it.each(['Анна Ковальская', 'محمد علي', 'שרה כהן', 'Zoë Ünal'])('keeps %s as sent', (value) => {
    expect(text(100).parse(value)).toBe(value);
  });
});

describe('payments', () => {
  it.each(['0', '0.00', 0, '-0.00'])('refuses an amount of %s', (amount) => {
    expect(paymentRecord.safeParse({ amount }).success).toBe(false);
  });

  it('takes a cent', () => {
    expect(paymentRecord.parse({ amount: '0.01' }).amount).toBe('0.01');
  });
});

describe('the public base URL', () => {
  it.each(['https:shop.example', 'https:/shop.example', 'https:///shop.example', 'shop.example', '//shop.example'])(
    'refuses %s instead of reading it as another address',
    (value) => {
      expect(publicBaseUrl.safeParse(value).success).toBe(false);
    },
  );

  it.each([
    ['HTTPS://Shop.Example/', 'https://shop.example'],
    ['http://shop.example:8080/orders/', 'http://shop.example:8080/orders'],
  ])('stores %s as %s', (value, stored) => {
    expect(publicBaseUrl.parse(value)).toBe(stored);
  });
});
