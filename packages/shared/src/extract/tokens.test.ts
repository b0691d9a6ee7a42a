import { describe, expect, it } from 'vitest';
import { extractIdentifiers } from './extract-identifiers.js';
import type { RejectedKind, TokenContext, TokenKind } from './types.js';

const extractBody = (text: string) => extractIdentifiers({ text }, { defaultCountry: 'PL' });
const tokensOf = (text: string) => extractBody(text).tokens.map(({ raw, context, kind }) => ({ raw, context, kind }));
const rawTokensOf = (text: string) => extractBody(text).tokens.map((token) => token.raw);

describe('order-number tokens', () => {
  describe.each<[string, string, string, TokenContext, TokenKind]>([
    ['English "#"', 'Invoice request for order #10245', '10245', 'keyword', 'number'],
    ['Polish "zamówienia nr"', 'chciałbym zwrócić kawę z zamówienia nr 10243, bo', '10243', 'keyword', 'number'],
    ['Polish "zamówieniu"', 'W zamówieniu 10243 brakuje filtrów', '10243', 'keyword', 'number'],
    ['Polish without diacritics', 'zamowienie 10243', '10243', 'keyword', 'number'],
    ['German "Bestellnummer:"', 'wann wird meine Bestellung (Bestellnummer: 10246) versendet?', '10246', 'keyword', 'number'],
    ['German "Auftrag"', 'Auftrag 2026-000417 storniert', '2026-000417', 'keyword', 'number'],
    ['label glued with a dot', 'Nr.10243 bitte', '10243', 'keyword', 'number'],
    ['French "commande … n°"', "ma commande eBay n° 12-11223-44556 n'est pas arrivée", '12-11223-44556', 'keyword', 'marketplace-order'],
    ['German Amazon id', 'Anfrage zu Bestellung 302-4417781-5520342 vom Kunden', '302-4417781-5520342', 'keyword', 'marketplace-order'],
    ['Italian "ordine"', "numero d'ordine 4711-22 non arrivato", '4711-22', 'keyword', 'number'],
    ['Spanish "pedido"', 'número de pedido: A-1001', 'A-1001', 'keyword', 'code'],
    ['Czech "objednávka č."', 'objednávka č. 2026000123 nedorazila', '2026000123', 'keyword', 'number'],
    ['Dutch "bestelling"', 'mijn bestelling 10245 is niet aangekomen', '10245', 'keyword', 'number'],
    ['order id with slashes', 'Order ID: ORD/2026/0042', 'ORD/2026/0042', 'keyword', 'code'],
    ['a bare "nr"', 'chodzi o nr 10243', '10243', 'keyword', 'number'],
    ['a marketplace word in between', 'Allegro order from yesterday 10239', '10239', 'keyword', 'number'],
    ['a UUID marketplace id', 'the id is b1f4e7c0-3d2a-11ef-9a1b-0242ac120002', 'b1f4e7c0-3d2a-11ef-9a1b-0242ac120002', 'keyword', 'uuid'],
    ['Italian tracking', 'il tracking 620123456789012345678901 non si aggiorna', '620123456789012345678901', 'tracking', 'tracking'],
    ['tracking typed in groups', 'numer paczki: 6201 2345 6789 0123 4567 8901', '6201 2345 6789 0123 4567 8901', 'tracking', 'tracking'],
    ['German "Sendungsnummer"', 'Sendungsnummer JJD000390007123456789', 'JJD000390007123456789', 'tracking', 'tracking'],
    ['carrier name', 'UPS 1Z999AA10123456784 is stuck', '1Z999AA10123456784', 'tracking', 'tracking'],
    ['SSCC after carrier', 'DHL 00340434161094000001', '00340434161094000001', 'tracking', 'tracking'],
    ['UPU number after "przesyłka"', 'przesyłka RR123456785PL', 'RR123456785PL', 'tracking', 'tracking'],
    ['a bare number', 'Please check 10243 today', '10243', 'bare', 'number'],
    ['a bare code', 'A-1001 arrived broken', 'A-1001', 'bare', 'code'],
    ['a Polish invoice', 'W załączeniu faktura FV/2026/11/0042', 'FV/2026/11/0042', 'invoice', 'code'],
    ['an English invoice', 'Invoice no. INV-2026-0042 attached', 'INV-2026-0042', 'invoice', 'code'],
    ['an invoice by its shape', 'FV/2026/11/123 w załączeniu', 'FV/2026/11/123', 'invoice', 'code'],
    ['a German invoice', 'Rechnung 2026-0042 anbei', '2026-0042', 'invoice', 'number'],
    ['Dutch/German "Ordernummer"', 'Ordernummer 12345, Kundennummer 67890', '12345', 'keyword', 'number'],
    [
      'a lettered number typed in lower case with spaces',
      'zu meiner Auftragsnummer web 2026 00417: kann ich',
      'web 2026 00417',
      'keyword',
      'code',
    ],
    ['UPS typed in groups', 'Sendungsnummer 1Z 123 45E 02 0527 1688 angenommen', '1Z 123 45E 02 0527 1688', 'tracking', 'tracking'],
    ['a customer number is no order keyword', 'Kundennummer 123456', '123456', 'bare', 'number'],
  ])('%s', (_label, text, raw, context, kind) => {
    it(`finds ${raw} (${context}, ${kind})`, () => {
      expect(tokensOf(text)).toContainEqual({ raw, context, kind });
    });
  });

  it('carries the keyword over a list', () => {
    expect(tokensOf('bitte die Bestellungen 10240 und 10241 zusammen')).toEqual([
      { raw: '10240', context: 'keyword', kind: 'number' },
      { raw: '10241', context: 'keyword', kind: 'number' },
    ]);
    expect(tokensOf('orders 10240, 10241 and 10242').map((token) => token.context)).toEqual(['keyword', 'keyword', 'keyword']);
  });

  it('keeps the compact form: upper case, separators removed', () => {
    const [token] = extractBody('order ord/2026/0042').tokens;
    expect(token?.compact).toBe('ORD20260042');
  });
});

describe('boundaries', () => {
  it.each([
    ['a longer digit run holds no shorter number', 'Ref 110243 and 102430', ['110243', '102430']],
    ['letters glued to digits are one token', 'code ABC10243', ['ABC10243']],
    ['a token glued to a non-ASCII letter is skipped', 'nr 10243ą', []],
    ['a token glued with "_" is skipped', 'file x_10243', []],
    ['numbers in URLs are no tokens', 'Unsubscribe: https://roasters-weekly.example/u/10240 or www.shop.example/o/10241.', []],
    ['numbers in e-mail addresses are no tokens', 'write to jan10243@example.pl', []],
    ['sentence punctuation ends a token', 'It was 10243. Then 10244, and 10245!', ['10243', '10244', '10245']],
    ['two numbers typed with a space are both kept', 'check 10240 10241', ['10240 10241', '10240', '10241']],
    ['digit groups are no numbers of their own', 'see 6201 2345 6789 0123 4567 8901', ['6201 2345 6789 0123 4567 8901']],
    ['a grouped marketplace id stays whole', 'see 302 4417781 5520342', ['302 4417781 5520342']],
    ['a word before a bare number is no prefix', 'it was 10243', ['10243']],
    ['a keyword is no prefix', 'order 10243', ['10243']],
  ])('%s', (_label, text, raws) => {
    expect(rawTokensOf(text)).toEqual(raws);
  });

  it.each([
    ['small numbers', 'Top 10 beans of 2026, 3 for 1234'],
    ['a time', 'See you at 10:24.'],
    ['a number under three characters after an order word alone', 'I want to order 42 more'],
    ['a number under three characters after a number word alone', 'nr 42'],
  ])('ignores %s', (_label, text) => {
    expect(rawTokensOf(text)).toEqual([]);
  });

  it.each([
    ['zamówienie nr 12', '12'],
    ['order #42', '42'],
    ['Bestellung Nr. 7', '7'],
    ['commande n° 12', '12'],
  ])('reads a short number after an order word and a number word: %s', (text, raw) => {
    expect(rawTokensOf(text)).toEqual([raw]);
  });

  it.each([
    ['AB 2025 0042', 'AB 2025 0042'],
    ['UPS 1Z 999 AA 10 1234 5678 4', '1Z 999 AA 10 1234 5678 4'],
    ['mijn pakket 3S ABCD 1234567', '3S ABCD 1234567'],
  ])('joins groups typed with spaces, a letters-only one among them: %s', (text, raw) => {
    expect(rawTokensOf(text)).toContain(raw);
  });

  it.each([
    ['full-width digits', 'Bestellung Nr. １０２４３', '10243'],
    ['full-width letters and dashes', 'order ＡＢ－２０２５－００４２', 'AB20250042'],
    ['Arabic-Indic digits', 'zamówienie nr ١٠٢٤٣', '10243'],
    ['Eastern Arabic-Indic digits', 'order ۱۲۳۴۵', '12345'],
  ])('reads a number written in %s as its ASCII value', (_label, text, compact) => {
    expect(extractBody(text).tokens.map((token) => token.compact)).toContain(compact);
  });

  it('reads a reference of capitals only after an order word', () => {
    expect(rawTokensOf('ma commande KHWLILZLL est partie')).toEqual(['KHWLILZLL']);
    expect(rawTokensOf('GRATUIT LIVRAISON KHWLILZLL')).toEqual([]);
  });

  it('takes three characters after a keyword', () => {
    expect(rawTokensOf('order #123')).toEqual(['123']);
  });
});

describe('rejected shapes', () => {
  describe.each<[string, string, string, RejectedKind]>([
    ['Polish postcode with city', 'Mój adres: ul. Długa 5, 10-234 Olsztyn. Jan', '10-234', 'postcode'],
    ['Polish postcode at line start', '10-234 Olsztyn', '10-234', 'postcode'],
    ['Polish postcode in an address line', 'adres dostawy: Długa 5 10-234', '10-234', 'postcode'],
    ['German postcode', 'Hauptstraße 5, 80331 München', '80331', 'postcode'],
    ['French postcode', 'Adresse : 12 rue de la Paix, 75002 Paris', '75002', 'postcode'],
    ['postcode after its word', 'PLZ 80331', '80331', 'postcode'],
    ['Czech postcode', 'Dlouhá 5, 110 00 Praha', '110 00', 'postcode'],
    ['date with dots', 'dostawa 12.11.2026 rano', '12.11.2026', 'date'],
    ['ISO date', 'am 2026-11-12 bestellt', '2026-11-12', 'date'],
    ['date after an order keyword', 'zamówienie z dnia 12/11/2026', '12/11/2026', 'date'],
    ['price with thousands and decimals', 'cena 1 199,00 zł brutto', '1 199', 'price'],
    ['price after a currency sign', 'Preis: €24.90', '24.90', 'price'],
    ['decimal amount', 'Prices from 10.99.', '10.99', 'price'],
    ['amount with a currency code after it', 'total 10243 PLN', '10243', 'price'],
    ['amount with a currency code before it', 'EUR 10243 paid', '10243', 'price'],
    ['percentage', 'discount of 12345% is wrong', '12345', 'percent'],
    ['quantity with a glued unit', 'Kawa 1000g', '1000g', 'quantity'],
    ['quantity with a spaced unit', 'battery 12500 mAh', '12500', 'quantity'],
    ['quantities typed in a row', 'Kawa 250g 2x', '250g 2x', 'quantity'],
    ['IBAN after its word', 'IBAN PL61 1090 1014 0000 0712 1981 2874', 'PL61 1090 1014 0000 0712 1981 2874', 'iban'],
    ['IBAN by its checksum', 'przelew na PL61 1090 1014 0000 0712 1981 2874', 'PL61 1090 1014 0000 0712 1981 2874', 'iban'],
    ['Polish account number by its checksum', 'wpłata 61 1090 1014 0000 0712 1981 2874', '61 1090 1014 0000 0712 1981 2874', 'iban'],
    ['short tax id', 'NIP 123-45-678', '123-45-678', 'tax-id'],
    ['phone after its word', 'tel. 600 987 654', '600 987 654', 'phone'],
    ['phone after a plus', 'call +48 600 987 654', '48 600 987 654', 'phone'],
    ['URL', 'see https://shop.example/u/10240', 'https://shop.example/u/10240', 'url'],
  ])('%s', (_label, text, raw, kind) => {
    it(`rejects ${raw} as ${kind} and returns no token for it`, () => {
      const extracted = extractBody(text);
      expect(extracted.rejected).toContainEqual({ raw, kind, where: 'body', quoted: false });
      expect(extracted.tokens.map((token) => token.raw)).not.toContain(raw);
    });
  });

  it.each([
    ['after a tax word', 'NIP 123-456-32-18', '123-456-32-18'],
    ['after a VAT word', 'company VAT IE1234567X.', 'IE1234567X'],
    ['after a transfer word', 'Tytuł przelewu: AB-2025-0042', 'AB-2025-0042'],
  ])('keeps a distinctive number %s: words only demote short numbers', (_label, text, raw) => {
    const extracted = extractBody(text);
    expect(extracted.tokens.map((token) => token.raw)).toContain(raw);
    expect(extracted.phones).toEqual([]);
  });

  it('keeps a postcode-shaped number after an order keyword', () => {
    expect(tokensOf('Bestellung 80331 Berlin')).toContainEqual({ raw: '80331', context: 'keyword', kind: 'number' });
  });

  it('keeps a bare five-digit number that is not laid out as an address', () => {
    expect(rawTokensOf('za dostawę 99871. Termin płatności 14 dni.')).toEqual(['99871']);
  });
});

describe('dates with times', () => {
  it('rejects a year run into the hour of a time', () => {
    const extracted = extractBody('Gesendet: Freitag, 6. November 2026 10:00');
    expect(extracted.tokens).toEqual([]);
    expect(extracted.rejected).toContainEqual({ raw: '2026 10', kind: 'date', where: 'body', quoted: false });
  });
});
