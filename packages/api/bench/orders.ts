import { compactIdentifier } from '@orderpost/shared';

/**
 * Realistic, reproducible orders for the benchmarks: 1–4 items, a buyer with
 * e-mail and phone (several orders per buyer), ~20 % marketplace orders behind
 * relay addresses, several order-number formats, no parcels. Seeded, so every
 * run imports the same data.
 */

/** mulberry32: tiny seeded PRNG, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const alnum = (random: Random, length: number) =>
  Array.from({ length }, () => pick(random, [...'abcdefghijklmnopqrstuvwxyz0123456789'])).join('');
const digits = (random: Random, length: number) => Array.from({ length }, () => String(int(random, 0, 9))).join('');
const hex = (random: Random, length: number) => Array.from({ length }, () => int(random, 0, 15).toString(16)).join('');

const firstNames = [
  'Anna',
  'Piotr',
  'Katarzyna',
  'Tomasz',
  'Magdalena',
  'Michał',
  'Agnieszka',
  'Paweł',
  'Joanna',
  'Lukas',
  'Lena',
  'Jonas',
  'Emma',
  'Marco',
  'Sophie',
  'Jan',
  'Zofia',
  'Hans',
  'Ewa',
  'Marek',
];
const lastNames = [
  'Nowak',
  'Kowalski',
  'Wiśniewska',
  'Wójcik',
  'Kamińska',
  'Lewandowski',
  'Zielińska',
  'Schmidt',
  'Fischer',
  'Becker',
  'Rossi',
  'Dubois',
  'Miller',
  'Mazur',
  'Krawczyk',
  'Dąbrowski',
];
const mailDomains = ['example.pl', 'example.com', 'example.de', 'mail.example', 'poczta.example.pl', 'gmail.com'];
const cities = [
  ['Warszawa', '00-950'],
  ['Kraków', '30-001'],
  ['Gdańsk', '80-001'],
  ['Poznań', '60-101'],
  ['Wrocław', '50-001'],
  ['Olsztyn', '10-234'],
] as const;
const products = [
  ['Monstera deliciosa 60 cm', 'MON-60', '89.00'],
  ['Pilea peperomioides', 'PIL-12', '24.00'],
  ['Doniczka terakota 14 cm', 'POT-T14', '19.90'],
  ['Osłonka ceramiczna 17 cm', 'POT-C17', '49.00'],
  ['Ziemia tropikalna 5 l', 'SOIL-5', '21.50'],
  ['Nawóz 250 ml', 'FERT-250', '16.90'],
  ['Zraszacz mosiężny', 'MIST-300', '79.00'],
  ['Ficus lyrata 90 cm', 'FIC-90', '149.00'],
  ['Kalatea Orbifolia', 'CAL-14', '59.00'],
] as const;
const statuses = [
  'new',
  'paid',
  'paid',
  'processing',
  'shipped',
  'shipped',
  'delivered',
  'delivered',
  'delivered',
  'cancelled',
  'returned',
];
/** Polish mobile prefixes that libphonenumber accepts as valid. */
const mobilePrefixes = ['501', '512', '533', '571', '601', '609', '660', '698', '721', '781', '790', '881'];

interface Buyer {
  name: string;
  email: string;
  /** Nine national digits; the buyer writes them in various notations. */
  phone: string;
  allegroRelay: string;
  amazonRelay: string;
}

function makeBuyer(random: Random, index: number): Buyer {
  const first = pick(random, firstNames);
  const last = pick(random, lastNames);
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return {
    name: `${first} ${last}`,
    email: `${local}${index}@${pick(random, mailDomains)}`,
    phone: `${pick(random, mobilePrefixes)}${digits(random, 6)}`,
    allegroRelay: `${alnum(random, 8)}+${hex(random, 6)}@allegromail.pl`,
    amazonRelay: `${alnum(random, 15)}@marketplace.amazon.de`,
  };
}

/** The same phone as people write it. */
export function phoneNotation(random: Random, national: string): string {
  const [a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
  return pick(random, [`+48 ${a} ${b} ${c}`, national, `0048 ${a} ${b} ${c}`, `${a}-${b}-${c}`, `+48${national}`, `${a} ${b} ${c}`]);
}

export interface Lookup {
  /** The value as a person would type it into our API's query string. */
  query: string;
  /** The stored, normalised form the bare reference server looks up directly. */
  key: string;
}

export interface BenchData {
  /** JSON bodies for POST /v1/orders/batch. */
  batches: string[];
  lookups: { email: Lookup[]; phone: Lookup[]; number: Lookup[] };
}

export function generateOrders(count: number, batchSize = 1000, lookupCount = 2000, seed = 20261123): BenchData {
  const random = seededRandom(seed);
  const buyers = Array.from({ length: Math.max(1, Math.ceil(count / 3)) }, (_, index) => makeBuyer(random, index));
  const now = Date.now();
  const lookupEvery = Math.max(1, Math.floor(count / lookupCount));
  const lookups: BenchData['lookups'] = { email: [], phone: [], number: [] };
  const batches: string[] = [];
  let batch: unknown[] = [];

  for (let i = 0; i < count; i++) {
    const buyer = pick(random, buyers);
    const roll = random();
    const source = roll < 0.12 ? 'allegro' : roll < 0.2 ? 'amazon' : roll < 0.25 ? 'ebay' : 'shop';
    const serial = String(i + 1).padStart(6, '0');
    const number = { shop: `ZP/2026/${serial}`, allegro: `AL-${serial}`, amazon: `AMZ-${serial}`, ebay: `EB${serial}` }[source];
    const externalId = {
      shop: `shop-${serial}`,
      allegro: `${hex(random, 8)}-${hex(random, 4)}-11f1-${hex(random, 4)}-${hex(random, 12)}`,
      amazon: `${digits(random, 3)}-${digits(random, 7)}-${digits(random, 7)}`,
      ebay: `${digits(random, 2)}-${digits(random, 5)}-${digits(random, 5)}`,
    }[source];
    const email = source === 'allegro' ? buyer.allegroRelay : source === 'amazon' ? buyer.amazonRelay : buyer.email;
    const [city, postcode] = pick(random, cities);
    batch.push({
      source,
      externalId,
      number,
      status: pick(random, statuses),
      orderedAt: new Date(now - int(random, 0, 365 * 86_400) * 1000).toISOString(),
      currency: source === 'amazon' ? 'EUR' : 'PLN',
      buyer: {
        name: buyer.name,
        email,
        phone: phoneNotation(random, buyer.phone),
        ...(source === 'shop' ? {} : { login: `${alnum(random, 6)}_${i % 97}` }),
      },
      deliveryAddress: { name: buyer.name, street: `ul. Długa ${int(random, 1, 120)}`, city, postcode, countryCode: 'PL' },
      items: Array.from({ length: int(random, 1, 4) }, () => {
        const [name, sku, price] = pick(random, products);
        return { name, sku, quantity: int(random, 1, 3), price, taxRate: 23 };
      }),
      payment: { method: pick(random, ['transfer', 'card', 'blik', 'cod']) },
      language: 'pl',
    });
    if (i % lookupEvery === 0 && lookups.number.length < lookupCount) {
      const typedEmail = random() < 0.3 ? email.toUpperCase() : email;
      lookups.email.push({ query: typedEmail, key: email.toLowerCase() });
      lookups.phone.push({ query: phoneNotation(random, buyer.phone), key: `+48${buyer.phone}` });
      lookups.number.push({ query: random() < 0.3 ? number.toLowerCase().replace(/\//g, ' ') : number, key: compactIdentifier(number) });
    }
    if (batch.length === batchSize || i === count - 1) {
      batches.push(JSON.stringify({ orders: batch }));
      batch = [];
    }
  }
  return { batches, lookups };
}
