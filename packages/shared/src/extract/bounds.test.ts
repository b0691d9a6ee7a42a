import { describe, expect, it } from 'vitest';
import { extractedIdentifiers } from '../schemas/match.js';
import { readLimits } from './bounds.js';
import { extractIdentifiers } from './extract-identifiers.js';
import { extractionLimits } from './limits.js';
import { scanTokens } from './tokens.js';
import type { MessageInput, TruncatedPart } from './types.js';
import { randomMix } from '../../test/seeded-random.js';

/**
 * One message costs a bounded time however large it is: the extractor reads
 * each part up to `readLimits` and says what it left unread. Nothing here
 * measures time (`pnpm bench match` does); each case checks where reading
 * stopped, that it is reported, and that the result still fits the API.
 */
const MB = 1_000_000;
const fill = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const options = { defaultCountry: 'PL' };
const partsOf = (truncated: TruncatedPart[] | undefined) => (truncated ?? []).map((t) => t.part);

describe('hostile messages: reading stops at the bounds and says so', () => {
  it.each<[string, MessageInput, TruncatedPart['part'][], number]>([
    ['1 MB of digits', { text: fill('1') }, ['text'], readLimits.bodyText],
    ['1 MB of digit groups', { text: fill('12 ') }, ['text'], readLimits.bodyText],
    ['1 MB of separators', { text: fill('1-') }, ['text'], readLimits.bodyText],
    ['1 MB line without spaces', { text: fill('abcdefghij') }, ['text'], readLimits.bodyText],
    ['1 MB of "@"', { text: fill('a@') }, ['text'], readLimits.bodyText],
    ['1 MB of "<" as HTML', { html: fill('<') }, ['html'], readLimits.html],
    ['1 MB of tags', { html: fill('<b>') }, ['html'], readLimits.html],
    ['huge HTML of ordinary text', { html: fill('<p>Zamówienie nr <b>10245</b>, tel. +48 600 987 654</p>') }, ['html'], readLimits.html],
    ['many Message-IDs in References', { references: fill('<r1234567@x.example> ', 64_000) }, ['references'], readLimits.references],
    ['a Cc of thousands', { cc: fill('Nowak, Ewa <e@x.example>, ', 20_000) }, ['cc'], readLimits.header],
    ['a 100 KB subject', { subject: fill('Zamówienie 10243 ', 100_000) }, ['subject'], readLimits.header],
  ])('%s', (_label, message, parts, limit) => {
    const found = extractIdentifiers(message, options);
    expect(partsOf(found.truncated)).toEqual(parts);
    for (const part of found.truncated ?? []) {
      expect(part.read).toBeLessThanOrEqual(limit);
      expect(part.length).toBeGreaterThan(limit);
    }
    // What the add-on sends as it is must fit the API's request: no megabyte-long "token" or address.
    expect(extractedIdentifiers.safeParse(found).success).toBe(true);
  });

  it('reads nothing of the HTML part when the text part used up the body budget', () => {
    const found = extractIdentifiers({ text: fill('Dzień dobry, proszę o informację.\n'), html: '<p>Zamówienie 10245</p>' }, options);
    expect(found.truncated).toEqual([
      { part: 'text', read: expect.any(Number), length: MB },
      { part: 'html', read: 0, length: 23 },
    ]);
    expect(found.tokens).toEqual([]);
  });

  it('keeps the most recent References (the end of the header) and In-Reply-To first', () => {
    const references = Array.from({ length: 3000 }, (_, i) => `<r${i}@x.example>`).join(' ');
    const found = extractIdentifiers({ inReplyTo: '<parent@shop.example>', references }, options);
    const ids = found.messageIds.map((m) => m.id);
    expect(ids[0]).toBe('parent@shop.example');
    expect(ids).toContain('r2999@x.example');
    expect(ids).not.toContain('r0@x.example');
  });
});

describe('what the bounds keep: the top of the message and our quoted e-mail below it', () => {
  const paragraph = 'Dzień dobry, piszę w sprawie przesyłki, która do dziś nie dotarła do paczkomatu.\n';

  it.each<[string, string, string[], boolean]>([
    ['an order number in the first line of a 1 MB message', `Zamówienie nr 10243\n${fill(paragraph)}`, ['10243'], true],
    [
      'our e-mail quoted 20 KB down a reply',
      `${fill(paragraph, 20_000)}\nW dniu 3.11.2026 o 14:00 Sklep <sklep@shop.example> napisał(a):\n> dziękujemy za zamówienie 10231.\n`,
      ['10231'],
      false,
    ],
    ['an order number past the bound is not read', `${fill(paragraph, readLimits.bodyText + 1000)}\nZamówienie nr 10249\n`, [], true],
    // The cut falls between words: "1234567890" is not read as "12345…".
    ['a number across the bound is not cut in two', `${fill('x', readLimits.bodyText - 5)} 1234567890 ${fill('y', 1000)}`, [], true],
  ])('%s', (_label, text, numbers, truncated) => {
    const found = extractIdentifiers({ text }, options);
    expect(found.tokens.map((t) => t.raw)).toEqual(numbers);
    expect(partsOf(found.truncated)).toEqual(truncated ? ['text'] : []);
  });
});

describe('dense number-like text: at most `readLimits.candidates` candidates are classified, and the cut is reported', () => {
  const mixes: [string, string][] = [
    ['a random mix of "0-9 -/.#"', randomMix('0123456789 -/.#', MB, 1)],
    ['digits with letters', randomMix('0123456789ABCXYZabcxyz -/.', MB, 2)],
    ['"#"-numbers', randomMix('0123456789####  ', MB, 3)],
    ['phone-like groups', fill('+48 600 987 654, (22) 123-45-67 ')],
  ];

  it.each(mixes)('%s: reading stops after the candidates, where the scan stopped', (_label, text) => {
    const found = extractIdentifiers({ text }, options);
    const cut = found.truncated?.find((part) => part.part === 'text');
    expect(found.truncated).toHaveLength(1);
    expect(cut?.length).toBe(MB);
    expect(cut?.read).toBeLessThan(readLimits.bodyText);
    // One line: the cut is where the token scan of the read text stopped, after the candidates allowed.
    const scanned = scanTokens(text.slice(0, readLimits.bodyText), readLimits.candidates);
    expect(scanned.stoppedAt).toBe(cut?.read);
    expect(scanned.candidates).toBeGreaterThanOrEqual(readLimits.candidates);
    expect(scanned.candidates).toBeLessThan(readLimits.candidates + 10);
    expect(found.tokens.length).toBeLessThanOrEqual(extractionLimits.tokens);
    expect(extractedIdentifiers.safeParse(found).success).toBe(true);
  });

  it('scanTokens classifies every candidate when no bound is given, and stops before a run when one is', () => {
    const line = 'nr 10243, 10244 i 10245';
    expect(scanTokens(line)).toMatchObject({ candidates: 3, stoppedAt: null });
    const bounded = scanTokens(line, 2);
    expect(bounded).toMatchObject({ candidates: 2, stoppedAt: line.indexOf('10245') });
    expect(bounded.tokens.map((t) => t.raw)).toEqual(['10243', '10244']);
  });

  it('a number before the cut is read, one after it is not', () => {
    const mix = randomMix('0123456789 -/.#', 20_000, 4);
    const text = `Zamówienie nr 10243\n${mix}\nZamówienie nr 10249\n`;
    const found = extractIdentifiers({ text }, options);
    const raws = found.tokens.map((t) => t.raw);
    expect(raws).toContain('10243');
    expect(raws).not.toContain('10249');
    const cut = found.truncated?.find((part) => part.part === 'text');
    expect(cut?.read).toBeLessThan(text.indexOf('10249'));
    expect(cut?.length).toBe(text.length);
  });

  it('a cut in the text part leaves the HTML part unread, and says so', () => {
    const html = '<p>Zamówienie 10245</p>';
    const found = extractIdentifiers({ text: randomMix('0123456789 -/.#', 20_000, 5), html }, options);
    expect(found.truncated).toEqual([
      { part: 'text', read: expect.any(Number), length: 20_000 },
      { part: 'html', read: 0, length: html.length },
    ]);
    expect(found.tokens.map((t) => t.raw)).not.toContain('10245');
  });

  it('a subject full of candidates is cut too, and the bodies are then not read', () => {
    const subject = fill('1#', readLimits.header);
    const found = extractIdentifiers({ subject, text: 'Zamówienie nr 10243' }, options);
    expect(found.truncated).toEqual([
      { part: 'subject', read: 2 * readLimits.candidates, length: subject.length },
      { part: 'text', read: 0, length: 19 },
    ]);
    expect(found.tokens).toEqual([]);
  });

  it('a cut in converted HTML is reported in characters of the HTML', () => {
    const html = `<p>Zamówienie nr 10243</p><p>${randomMix('0123456789 -/.#', 100_000, 6)}</p><p>Zamówienie nr 10249</p>`;
    const found = extractIdentifiers({ html }, options);
    const raws = found.tokens.map((t) => t.raw);
    expect(raws).toContain('10243');
    expect(raws).not.toContain('10249');
    const cut = found.truncated?.find((part) => part.part === 'html');
    expect(cut?.length).toBe(html.length);
    expect(cut?.read).toBeLessThan(html.indexOf('10249'));
  });
});
