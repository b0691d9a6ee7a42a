/**
 * Words that say what the number after them is, in the languages the shops
 * and their buyers write in (EN, PL, DE, FR, IT, ES, PT, CZ, NL). Words are
 * compared folded (lower case, accents removed: "zamówienia" → "zamowienia"),
 * so inflected forms are covered by stems.
 */

export type WordClass =
  | 'order'
  | 'tracking'
  | 'invoice'
  | 'phone'
  | 'bank'
  | 'tax'
  | 'postcode'
  /** Other numbered things ("customer", "transaction", "ticket"): the number is no order reference by keyword. */
  | 'other'
  /** "nr", "no.", "#", "number": says a number follows, not what kind; alone it counts as an order keyword. */
  | 'number'
  /** "and", "und", "i", "oraz", …: continues a list ("Bestellungen 10240 und 10241"). */
  | 'conjunction';

interface WordRule {
  cls: WordClass;
  words: readonly string[];
  stems?: readonly string[];
}

const RULES: readonly WordRule[] = [
  {
    cls: 'order',
    words: [
      'order',
      'orders',
      'orderid',
      'ordernr',
      'orderno',
      'ordernumber',
      'ordernummer',
      'ordine',
      'ordini',
      'ordinazione',
      'commande',
      'commandes',
      'cde',
      'pedido',
      'pedidos',
      'encomenda',
      'bestell',
      'bestellnr',
      'auftrag',
      'auftrags',
      'auftragsnr',
      'auftragsnummer',
      'zam',
      'obj',
      'purchase',
      'bestelnr',
      'bestelnummer',
    ],
    stems: ['zamowien', 'objednav', 'bestellung', 'bestellnummer', 'bestelling', 'ordernum', 'bestalln', 'bestilling', 'tilaus'],
  },
  {
    cls: 'tracking',
    words: [
      'tracking',
      'track',
      'trace',
      'tracknummer',
      'trackingnummer',
      'trackingnumber',
      'trackingcode',
      'sendung',
      'sendungen',
      'sendungsnummer',
      'sendungsverfolgung',
      'paket',
      'pakets',
      'paketnummer',
      'parcel',
      'parcels',
      'package',
      'shipment',
      'consignment',
      'waybill',
      'awb',
      'nadania',
      'colis',
      'suivi',
      'spedizione',
      'spedizioni',
      'tracciamento',
      'envio',
      'seguimiento',
      'sledovani',
      'pakket',
      'pakketje',
      'zending',
      'verzending',
      // Carrier names are written right before their numbers ("DHL 00340434161094000001").
      'dhl',
      'ups',
      'dpd',
      'gls',
      'inpost',
      'fedex',
      'usps',
      'tnt',
      'hermes',
      'postnl',
      'colissimo',
      'chronopost',
      'brt',
      'sda',
      'correos',
      'seur',
      'ppl',
      'zasilkovna',
      'pocztex',
      'evri',
      'paczkomat',
      'orlen',
    ],
    stems: ['przesylk', 'paczk', 'przewozow', 'zasilk', 'trackingnum'],
  },
  {
    cls: 'invoice',
    words: ['invoice', 'invoices', 'inv', 'fv', 'fvat', 'proforma', 'paragon', 'receipt', 'quittung', 'beleg', 'factuur'],
    stems: ['faktur', 'rechnung', 'factur', 'fattur'],
  },
  {
    cls: 'phone',
    words: [
      'tel',
      'tele',
      'phone',
      'telephone',
      'mobile',
      'mob',
      'cell',
      'cellphone',
      'handy',
      'kom',
      'gsm',
      'fax',
      'whatsapp',
      'call',
      'movil',
      'cellulare',
      'portable',
      'mobil',
      'mobiel',
    ],
    stems: ['telefo', 'komork', 'zadzwon', 'anruf'],
  },
  {
    cls: 'bank',
    words: [
      'iban',
      'konto',
      'konta',
      'kontonummer',
      'account',
      'acct',
      'bic',
      'swift',
      'bankverbindung',
      'compte',
      'conto',
      'cuenta',
      'ucet',
      'uctu',
      'rekening',
      'nrb',
    ],
    stems: ['rachun', 'przelew'],
  },
  {
    cls: 'tax',
    words: [
      'nip',
      'vat',
      'vatid',
      'ust',
      'ustid',
      'ustidnr',
      'tva',
      'piva',
      'iva',
      'regon',
      'krs',
      'dic',
      'ico',
      'btw',
      'kvk',
      'steuernummer',
      'siret',
      'siren',
      'pesel',
      'cif',
      'nif',
      'eori',
    ],
  },
  {
    cls: 'postcode',
    words: ['plz', 'zip', 'zipcode', 'postcode', 'postleitzahl', 'pocztowy', 'postal', 'cap', 'psc', 'postcodes'],
  },
  {
    cls: 'other',
    words: [
      'customer',
      'client',
      'klient',
      'klienta',
      'kunde',
      'kunden',
      'kundennummer',
      'kundennr',
      'transaction',
      'transaktion',
      'payment',
      'zahlung',
      'paiement',
      'pagamento',
      'pago',
      'ticket',
      'case',
      'sprawa',
      'rma',
      'item',
      'artikel',
      'article',
      'sku',
      'ean',
      'gtin',
      'isbn',
      'model',
      'modell',
      'serial',
      'seriennummer',
      'imei',
    ],
    stems: ['transakc', 'platnos', 'zgloszeni', 'reklamac', 'kundennum'],
  },
  {
    cls: 'number',
    words: [
      '#',
      '№',
      'nr',
      'nro',
      'no',
      'nº',
      'n',
      'num',
      'number',
      'numer',
      'numeru',
      'numerem',
      'nummer',
      'numero',
      'cislo',
      'c',
      'id',
      'ref',
      'reference',
      'referenz',
      'referencja',
      'referentie',
    ],
  },
  {
    cls: 'conjunction',
    words: ['and', 'und', 'i', 'oraz', 'et', 'e', 'y', 'a', 'en', 'or', 'oder', 'lub', 'albo', 'ou', 'o', 'nebo', 'of'],
  },
];

const WORD_TABLE: ReadonlyMap<string, WordClass> = new Map(RULES.flatMap((rule) => rule.words.map((word) => [word, rule.cls] as const)));
const STEMS: readonly (readonly [string, WordClass])[] = RULES.flatMap((rule) =>
  (rule.stems ?? []).map((stem) => [stem, rule.cls] as const),
);

/** The class of an already folded word, or null for an ordinary word. */
export function classifyWord(folded: string): WordClass | null {
  const exact = WORD_TABLE.get(folded);
  if (exact) return exact;
  for (const [stem, cls] of STEMS) if (folded.startsWith(stem)) return cls;
  return null;
}

/** Lower case without diacritics; "ł" and "ß" do not decompose, so they are mapped by hand. */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  if (isPlainAscii(lower)) return lower;
  return lower.normalize('NFD').replace(COMBINING_MARKS, '').replaceAll('ł', 'l').replaceAll('ß', 'ss');
}

const COMBINING_MARKS = /\p{M}+/gu;

function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
