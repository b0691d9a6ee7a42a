import { describe, expect, it } from 'vitest';
import { extractIdentifiers } from './extract-identifiers.js';
import type { MessageInput } from './types.js';

describe('extractIdentifiers: addresses', () => {
  const message: MessageInput = {
    from: 'kawosz_88 <8f3k2j1h+a1b2c3@allegromail.pl>',
    replyTo: '"Nowak, Katarzyna" <Katarzyna.Nowak+zakupy@gmail.com>',
    to: 'Kawa & Co <sklep@kawa-co.example>, Jan <jan@example.pl>',
    cc: 'biuro@mail.kawa-co.example, ewa@example.pl',
    text: 'Proszę pisać na Ewa.Lewandowska@Example.PL albo sklep@kawa-co.example.\n> stary adres: old@example.pl',
  };
  const { emails } = extractIdentifiers(message, { ownDomains: ['kawa-co.example'] });

  it('gives senders, recipients and mentioned addresses with where they were found', () => {
    expect(emails.map(({ address, role, where, quoted }) => ({ address, role, where, quoted }))).toEqual([
      { address: '8f3k2j1h+a1b2c3@allegromail.pl', role: 'sender', where: 'from', quoted: false },
      { address: 'katarzyna.nowak+zakupy@gmail.com', role: 'sender', where: 'reply-to', quoted: false },
      { address: 'jan@example.pl', role: 'recipient', where: 'to', quoted: false },
      { address: 'ewa@example.pl', role: 'recipient', where: 'cc', quoted: false },
      { address: 'ewa.lewandowska@example.pl', role: 'mentioned', where: 'body', quoted: false },
      { address: 'old@example.pl', role: 'mentioned', where: 'quoted', quoted: true },
    ]);
  });

  it('leaves out the shop’s own domains and their subdomains', () => {
    expect(emails.some((email) => email.address.endsWith('kawa-co.example'))).toBe(false);
  });

  it('gives the canonical and relay forms and the display name', () => {
    expect(emails[0]).toMatchObject({ canonical: '8f3k2j1h+a1b2c3@allegromail.pl', relay: '8f3k2j1h@allegromail.pl', name: 'kawosz_88' });
    expect(emails[1]).toMatchObject({ canonical: 'katarzynanowak@gmail.com', relay: null, name: 'Nowak, Katarzyna' });
    expect(emails[4]).toMatchObject({ name: null });
  });
});

describe('extractIdentifiers: Message-IDs', () => {
  it('strips brackets, keeps case, drops case-insensitive duplicates with In-Reply-To first', () => {
    const { messageIds } = extractIdentifiers({
      inReplyTo: '<op.10231.Shipped.7f3a@mail.kawa-co.example>',
      references: '<first@example.org>\n <OP.10231.shipped.7F3A@mail.kawa-co.example> <third@example.org>',
    });
    expect(messageIds).toEqual([
      { id: 'op.10231.Shipped.7f3a@mail.kawa-co.example', header: 'in-reply-to' },
      { id: 'first@example.org', header: 'references' },
      { id: 'third@example.org', header: 'references' },
    ]);
  });

  it('reads ids written without brackets', () => {
    expect(extractIdentifiers({ inReplyTo: 'abc123@example.org' }).messageIds).toEqual([
      { id: 'abc123@example.org', header: 'in-reply-to' },
    ]);
  });

  it('does not take Message-ID numbers as order numbers', () => {
    expect(extractIdentifiers({ inReplyTo: '<op.10231.shipped@mail.example>' }).tokens).toEqual([]);
  });
});

describe('extractIdentifiers: phones', () => {
  const phonesOf = (text: string, defaultCountry?: string) =>
    extractIdentifiers({ text }, defaultCountry ? { defaultCountry } : {}).phones.map(({ raw, e164 }) => ({ raw, e164 }));

  it.each([
    ['signature', '--\nTomasz Zieliński\ntel. +48 600-987-654', 'PL', { raw: '+48 600-987-654', e164: '+48600987654' }],
    ['national mobile', 'mój numer 600 987 654', 'PL', { raw: '600 987 654', e164: '+48600987654' }],
    ['international with 00', 'Tel: 0048 600 987 654', 'PL', { raw: '0048 600 987 654', e164: '+48600987654' }],
    ['German mobile', 'Mobil: 0151 23456789', 'DE', { raw: '0151 23456789', e164: '+4915123456789' }],
    ['UK with trunk hint', 'call me on +44 (0)7700 900123', 'PL', { raw: '+44 (0)7700 900123', e164: '+447700900123' }],
    ['fixed line with area code in brackets', 'Biuro: (22) 123 45 67', 'PL', { raw: '(22) 123 45 67', e164: '+48221234567' }],
  ])('%s', (_label, text, country, phone) => {
    expect(phonesOf(text, country)).toContainEqual(phone);
  });

  it('reads national numbers as a country’s only with a default country; without one they keep their national digits', () => {
    expect(phonesOf('mój numer 600 987 654')).toEqual([{ raw: '600 987 654', e164: null }]);
    expect(phonesOf('mój numer +48 600 987 654')).toEqual([{ raw: '+48 600 987 654', e164: '+48600987654' }]);
  });

  it.each([
    ['an order number after a keyword', 'zamówienie 600987654'],
    ['a tracking number', 'tracking 620123456789012345678901'],
    ['a date', 'dostawa 12.11.2026'],
    ['a bank account', 'konto 61 1090 1014 0000 0712 1981 2874'],
    ['a price', 'razem 600 987,00 zł'],
    ['a marketplace id', 'see 302-4417781-5520342'],
  ])('does not take %s for a phone', (_label, text) => {
    expect(phonesOf(text, 'PL')).toEqual([]);
  });

  it.each([
    ['a toll-free number invalid in the country', 'Call 0800 123 456.', '0800 123 456', '0800123456'],
    ['an Italian mobile', 'il mio numero è 347 123 4567', '347 123 4567', '3471234567'],
    ['an American number', 'call me at (212) 555-0147', '(212) 555-0147', '2125550147'],
  ])('keeps %s that the shop’s country does not read only by its national digits', (_label, text, raw, national) => {
    expect(extractIdentifiers({ text }, { defaultCountry: 'PL' }).phones).toEqual([
      { raw, e164: null, national, where: 'body', quoted: false },
    ]);
  });

  it('takes no bare run of digits for another country’s phone', () => {
    expect(phonesOf('ref 3471234567', 'PL')).toEqual([]);
  });

  it('marks phones in quoted text', () => {
    const { phones } = extractIdentifiers({ text: 'ok\n> tel. +48 600 987 654' });
    expect(phones).toEqual([{ raw: '+48 600 987 654', e164: '+48600987654', national: '600987654', where: 'quoted', quoted: true }]);
  });
});

describe('extractIdentifiers: marketplace logins', () => {
  const loginsOf = (text: string) => extractIdentifiers({ text }).logins.map((login) => login.login);

  it.each([
    ['French', 'Vous avez reçu un nouveau message de knitlover_22 :', 'knitlover_22'],
    ['Czech', 'Zákazník bergziege_71 vám poslal novou zprávu', 'bergziege_71'],
    ['Swedish', 'Köpare: annasvensson', 'annasvensson'],
  ])('reads a login-shaped word from a marketplace’s address in any language (%s)', (_language, text, login) => {
    const fromMarketplace = extractIdentifiers({ from: 'Etsy <transaction@etsy.example>', text });
    expect(fromMarketplace.logins.map((l) => l.login)).toContain(login);
    const fromSomeone = extractIdentifiers({ from: 'someone@mail.example', text });
    expect(fromSomeone.logins.map((l) => l.login)).not.toContain(login);
  });

  it.each([
    ['Polish notification', 'Kupujący mama_zosi napisał:', 'mama_zosi'],
    ['Polish subject form', 'Nowa wiadomość od kupującego mama_zosi', 'mama_zosi'],
    ['English label', 'Buyer: dubois_m', 'dubois_m'],
    ['German label with a plain login', 'Käufer: hansi', 'hansi'],
    ['login label', 'login: kawosz_88', 'kawosz_88'],
    ['quoted login', 'kupujący „kawosz_88” pyta', 'kawosz_88'],
    ['French label', 'Acheteur : marie.dupont75', 'marie.dupont75'],
    ['a label after a label', 'Login kupującego: mama_zosi', 'mama_zosi'],
    ['Polish "użytkownik"', 'Użytkownik kawosz_88 wysłał Ci wiadomość', 'kawosz_88'],
    ['trailing punctuation', 'Buyer: dubois_m.', 'dubois_m'],
  ])('%s', (_label, text, login) => {
    expect(loginsOf(text)).toEqual([login]);
  });

  it.each([
    ['an ordinary word in running text', 'Kupujący napisał wiadomość'],
    ['a number without letters', 'Buyer: 12345'],
    ['an e-mail address', 'login: jan@example.com'],
  ])('does not take %s', (_label, text) => {
    expect(loginsOf(text)).toEqual([]);
  });
});

describe('extractIdentifiers: places', () => {
  it('marks subject tokens with where "subject"', () => {
    const { tokens } = extractIdentifiers({ subject: 'Re: Twoje zamówienie 10231 zostało wysłane' });
    expect(tokens).toEqual([{ raw: '10231', compact: '10231', where: 'subject', quoted: false, context: 'keyword', kind: 'number' }]);
  });

  it('marks items in a quoted reply', () => {
    const text =
      'Paczka nie dotarła.\n\nW dniu 3.11.2026 o 14:00, Kawa & Co pisze:\n> Twoje zamówienie 10231 zostało wysłane.\n> DHL 00340434161094000001';
    const { tokens } = extractIdentifiers({ text });
    expect(tokens.map(({ raw, where, quoted }) => ({ raw, where, quoted }))).toEqual([
      { raw: '10231', where: 'quoted', quoted: true },
      { raw: '00340434161094000001', where: 'quoted', quoted: true },
    ]);
  });

  it('reads HTML-only bodies, with blockquotes as quoted', () => {
    const html = '<p>The gift card from order <b>10245</b> was missing.</p><blockquote>Your order 10231 was shipped</blockquote>';
    const { tokens } = extractIdentifiers({ html });
    expect(tokens.map(({ raw, where }) => ({ raw, where }))).toEqual([
      { raw: '10245', where: 'body' },
      { raw: '10231', where: 'quoted' },
    ]);
  });

  it('keeps one item per value and place, with the strongest context seen', () => {
    const text = 'Is 10243 shipped? My order 10243 was paid.';
    const { tokens } = extractIdentifiers({ subject: '10243', text, html: `<p>${text}</p>` });
    expect(tokens.map(({ raw, where, context }) => ({ raw, where, context }))).toEqual([
      { raw: '10243', where: 'subject', context: 'bare' },
      { raw: '10243', where: 'body', context: 'keyword' },
    ]);
  });

  it('returns empty lists for an empty message', () => {
    expect(extractIdentifiers({})).toEqual({ emails: [], messageIds: [], tokens: [], phones: [], logins: [], rejected: [], truncated: [] });
  });
});

describe('words after a long number do not make it a quantity', () => {
  it.each([
    ['tracking 6201 2345 6789 0123 4567 8901 stuck since Monday', '620123456789012345678901'],
    ['Paket 00340434161094000001 stk', '00340434161094000001'],
  ])('%s', (text, compact) => {
    const found = extractIdentifiers({ text });
    expect(found.tokens.map((t) => t.compact)).toContain(compact);
  });

  it('still reads "250 szt" as a quantity', () => {
    expect(extractIdentifiers({ text: 'zamówienie na 250 szt' }).rejected.map((r) => r.kind)).toContain('quantity');
  });
});
