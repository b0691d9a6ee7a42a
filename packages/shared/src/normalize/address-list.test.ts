import { describe, expect, it } from 'vitest';
import { parseAddressList } from './address-list.js';
import { seededRandom } from '../../test/seeded-random.js';

describe('parseAddressList', () => {
  it.each([
    ['jan@example.com', [{ name: null, address: 'jan@example.com' }]],
    ['Jan Kowalski <jan@example.com>', [{ name: 'Jan Kowalski', address: 'jan@example.com' }]],
    [
      '"Kowalski, Jan" <jan@example.com>, ewa@example.pl',
      [
        { name: 'Kowalski, Jan', address: 'jan@example.com' },
        { name: null, address: 'ewa@example.pl' },
      ],
    ],
    // RFC 2047 decoding can leave a comma unquoted inside the name.
    ['Müller, Hans <h.mueller@example.de>', [{ name: 'Müller, Hans', address: 'h.mueller@example.de' }]],
    ['"Tomasz \\"Tom\\" Z." <tz@example.com>', [{ name: 'Tomasz "Tom" Z.', address: 'tz@example.com' }]],
    ['jan@example.com (Jan Kowalski)', [{ name: 'Jan Kowalski', address: 'jan@example.com' }]],
    [
      'Friends: a@example.com, "B" <b@example.com>;, c@example.com',
      [
        { name: null, address: 'a@example.com' },
        { name: 'B', address: 'b@example.com' },
        { name: null, address: 'c@example.com' },
      ],
    ],
    ['undisclosed-recipients:;', []],
    [
      'Jonas Becker - Amazon Marketplace\n <k7x9p2m4q1r8s5t@marketplace.amazon.de>',
      [{ name: 'Jonas Becker - Amazon Marketplace', address: 'k7x9p2m4q1r8s5t@marketplace.amazon.de' }],
    ],
    ['<mailto:shop@example.com>', [{ name: null, address: 'shop@example.com' }]],
    ['no address here, <not-an-address>', []],
    [
      '"Nowak, Ewa" <ewa@example.pl>, Müller, Hans <h@example.de>; Jan <mailto:jan@example.com>',
      [
        { name: 'Nowak, Ewa', address: 'ewa@example.pl' },
        { name: 'Müller, Hans', address: 'h@example.de' },
        { name: 'Jan', address: 'jan@example.com' },
      ],
    ],
  ])('%j', (header, expected) => {
    expect(parseAddressList(header)).toEqual(expected);
  });

  // Hostile headers: nested, empty and unbalanced syntax must not throw, and
  // only well-formed addresses come out.
  it.each([
    // addressparser nests a group inside a group here.
    ['a:b:c@d.e;;', [{ name: null, address: 'c@d.e' }]],
    [
      'a:b:c:d@e.f;;;, g@h.i',
      [
        { name: null, address: 'd@e.f' },
        { name: null, address: 'g@h.i' },
      ],
    ],
    ['outer: inner: "X" <x@example.com>;;', [{ name: 'X', address: 'x@example.com' }]],
    ['a:b:;;', []],
    ['empty:;other:;', []],
    [';;;', []],
    [':::', []],
    [',,,', []],
    ['"', []],
    ['"unterminated <a@example.com>', [{ name: 'unterminated < >', address: 'a@example.com' }]],
    ['Jan <a@example.com', [{ name: 'Jan', address: 'a@example.com' }]],
    ['<<a@example.com>>', [{ name: '>', address: 'a@example.com' }]],
    ['((((', []],
    ['<'.repeat(4096), []],
    ['>'.repeat(4096), []],
    ['"'.repeat(4095), []],
    // Deep nesting makes addressparser recurse once per colon: read without groups instead.
    [`${':'.repeat(4000)}a@example.com`, [{ name: null, address: 'a@example.com' }]],
    [':,'.repeat(2000), []],
    [`${': '.repeat(2000)}Jan <jan@example.com>`, [{ name: 'Jan', address: 'jan@example.com' }]],
  ])('survives %#', (header, expected) => {
    expect(parseAddressList(header)).toEqual(expected);
  });

  it('never throws on random strings of a hostile alphabet, and returns only addresses', () => {
    const alphabet = ':;,<>()"\\@ a.\t\n[]';
    const random = seededRandom(0x5eed);
    const pick = () => alphabet.charAt(Math.floor(random() * alphabet.length));
    for (let run = 0; run < 3000; run++) {
      // Mostly short strings; every 100th is a long one, as long as the extractor reads (4,000).
      const length = run % 100 === 0 ? 4000 : Math.floor(random() * 64);
      let header = '';
      for (let index = 0; index < length; index++) header += pick();
      const parsed = parseAddressList(header);
      for (const { name, address } of parsed) {
        // What parseAddressList calls an address: no white space, an @ neither first nor last.
        expect(address).not.toMatch(/\s/);
        expect(address.lastIndexOf('@')).toBeGreaterThan(0);
        expect(address.lastIndexOf('@')).toBeLessThan(address.length - 1);
        expect(name === null || typeof name === 'string').toBe(true);
      }
    }
  });
});
