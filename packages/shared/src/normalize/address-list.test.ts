import { describe, expect, it } from 'vitest';
import { parseAddressList } from './address-list.js';

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
});
