import { describe, expect, it } from 'vitest';
import { extractedIdentifiers } from '../schemas/match.js';
import { extractIdentifiers } from './extract-identifiers.js';
import { extractionLimits } from './limits.js';

const many = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i)).join('\n');

/** What the add-on extracts is sent as it is: it must always fit the API's request schema. */
describe('extraction results fit the API request, however large the message', () => {
  it.each([
    [
      'a thread with 500 References',
      { inReplyTo: '<parent@shop.example>', references: many(500, (i) => `<r${i}@x.example>`).replace(/\n/g, ' ') },
    ],
    ['150 addresses in Cc', { from: 'a@b.example', cc: many(150, (i) => `p${i}@c.example`).replace(/\n/g, ', ') }],
    ['a list of 1200 order numbers', { subject: 'Bestellung 777777', text: many(1200, (i) => `Bestellung ${100000 + i}`) }],
    ['a 6000-line price list', { text: many(6000, (i) => `Artikel ${i}: ${i},99 zł`) }],
    ['200 phone numbers', { text: many(200, (i) => `tel. +48 600 ${String(100 + i).padStart(3, '0')} 000`) }],
  ])('%s', (_label, message) => {
    const found = extractIdentifiers(message, { defaultCountry: 'PL' });
    expect(extractedIdentifiers.safeParse(found).success).toBe(true);
  });

  it('keeps what says most: the direct parent, the subject number, the senders', () => {
    const found = extractIdentifiers({
      from: 'buyer@b.example',
      cc: many(150, (i) => `p${i}@c.example`).replace(/\n/g, ', '),
      subject: 'Bestellung 777777',
      inReplyTo: '<parent@shop.example>',
      references: many(500, (i) => `<r${i}@x.example>`).replace(/\n/g, ' '),
      text: many(1200, (i) => `Bestellung ${100000 + i}`),
    });
    expect(found.messageIds).toHaveLength(extractionLimits.messageIds);
    expect(found.messageIds[0]).toEqual({ id: 'parent@shop.example', header: 'in-reply-to' });
    expect(found.messageIds.map((m) => m.id)).toContain('r499@x.example');
    expect(found.tokens).toHaveLength(extractionLimits.tokens);
    expect(found.tokens.map((t) => t.raw)).toContain('777777');
    expect(found.emails.map((e) => e.address)).toContain('buyer@b.example');
  });
});
