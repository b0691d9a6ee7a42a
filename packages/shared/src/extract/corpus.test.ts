import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messageInputFromEmlFile } from '../../test/eml.js';
import { canonicalEmail, normalizeEmail, relayIdentity } from '../normalize/email.js';
import { normalizePhone } from '../normalize/phone.js';
import { extractIdentifiers } from './extract-identifiers.js';
import { compareIdentifier } from './match-rules.js';
import type { ExtractedIdentifiers } from './types.js';

/**
 * The labelled match corpus (shared/corpus/match beside the repository, or
 * MATCH_CORPUS_DIR): for each e-mail about an order, the identifier its `why`
 * names must be extracted; for e-mail about no order, no extracted token or
 * phone may equal any order's number, marketplace id, tracking number or phone.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const corpusDir = process.env.MATCH_CORPUS_DIR ?? resolve(here, '../../../../../shared/corpus/match');
const defaultCountry = process.env.MATCH_DEFAULT_COUNTRY ?? 'PL';
const corpusPresent = existsSync(join(corpusDir, 'expected.json'));

if (!corpusPresent) console.warn(`Match corpus not found at ${corpusDir}; set MATCH_CORPUS_DIR to run the corpus test.`);

interface CorpusOrder {
  number: string;
  externalId: string | null;
  buyer: { email: string | null; phone: string | null; login: string | null };
  packages: { trackingNumber: string | null }[];
  sentMessages: { messageId: string }[];
}

interface ExpectedCase {
  orders: string[];
  why: string;
}

type Signal = 'messageId' | 'email' | 'number' | 'tracking' | 'phone' | 'login';

const corpus = corpusPresent ? loadCorpus() : { orders: [], expected: {}, shopDomain: undefined };
const cases = Object.entries(corpus.expected);

describe.skipIf(!corpusPresent)(`match corpus (${corpusDir})`, () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  describe.each(cases)('%s', (file, expected) => {
    it(
      expected.orders.length > 0 ? `finds what identifies ${expected.orders.join(', ')}` : 'finds no identifier of any order',
      async () => {
        const message = await messageInputFromEmlFile(join(corpusDir, 'cases', file));
        const extracted = extractIdentifiers(message, { defaultCountry, ownDomains: corpus.shopDomain ? [corpus.shopDomain] : [] });

        if (expected.orders.length === 0) {
          for (const order of corpus.orders) expect(signalsFound(order, extracted), `order ${order.number}`).toEqual([]);
          return;
        }
        const named = namedSignal(expected.why);
        for (const number of expected.orders) {
          const order = corpus.orders.find((candidate) => candidate.number === number);
          expect(order, `order ${number} in orders.json`).toBeDefined();
          if (!order) continue;
          const found = signalsFound(order, extracted);
          if (named) expect(found, `${number}: ${expected.why}`).toContain(named);
          else expect(found.length, `${number}: ${expected.why}`).toBeGreaterThan(0);
        }
      },
    );
  });
});

function loadCorpus(): { orders: CorpusOrder[]; expected: Record<string, ExpectedCase>; shopDomain: string | undefined } {
  const ordersFile = JSON.parse(readFileSync(join(corpusDir, 'orders.json'), 'utf8')) as {
    shop?: { email?: string };
    orders: CorpusOrder[];
  };
  const expected = JSON.parse(readFileSync(join(corpusDir, 'expected.json'), 'utf8')) as Record<string, ExpectedCase>;
  const caseFiles = new Set(readdirSync(join(corpusDir, 'cases')));
  for (const file of Object.keys(expected))
    if (!caseFiles.has(file)) throw new Error(`expected.json names ${file}, which is not in cases/`);
  return { orders: ordersFile.orders, expected, shopDomain: ordersFile.shop?.email?.split('@')[1] };
}

/** The signal a case's `why` names first ("In-Reply-To …", "relay address", "phone in the signature", …). */
function namedSignal(why: string): Signal | null {
  let first: { signal: Signal; at: number } | null = null;
  for (const [pattern, signal] of SIGNAL_WORDS) {
    const at = why.search(pattern);
    if (at >= 0 && (first === null || at < first.at)) first = { signal, at };
  }
  return first?.signal ?? null;
}

const SIGNAL_WORDS: readonly (readonly [RegExp, Signal])[] = [
  [/message-id|in-reply-to|references/i, 'messageId'],
  [/relay|sender|gmail/i, 'email'],
  [/tracking|parcel/i, 'tracking'],
  [/phone/i, 'phone'],
  [/login/i, 'login'],
  [/number|nummer|numer|numéro|\bnr\b|order id|\bid\b|'#'/i, 'number'],
];

function signalsFound(order: CorpusOrder, extracted: ExtractedIdentifiers): Signal[] {
  const signals: Signal[] = [];
  const sentIds = new Set(order.sentMessages.map((message) => message.messageId.replace(/^<|>$/g, '').toLowerCase()));
  if (extracted.messageIds.some((id) => sentIds.has(id.id.toLowerCase()))) signals.push('messageId');

  const email = order.buyer.email;
  const senders = extracted.emails.filter((item) => item.role === 'sender');
  if (
    email &&
    senders.some(
      (item) =>
        item.address === normalizeEmail(email) ||
        item.canonical === canonicalEmail(email) ||
        (item.relay !== null && item.relay === relayIdentity(email)),
    )
  ) {
    signals.push('email');
  }

  const tokenMatches = (stored: string | null) =>
    stored !== null && extracted.tokens.some((token) => compareIdentifier(token, stored) !== null);
  if (tokenMatches(order.number) || tokenMatches(order.externalId)) signals.push('number');
  if (order.packages.some((parcel) => tokenMatches(parcel.trackingNumber))) signals.push('tracking');

  const phone = order.buyer.phone ? normalizePhone(order.buyer.phone, defaultCountry) : null;
  if (phone && extracted.phones.some((item) => item.e164 === phone)) signals.push('phone');

  const login = order.buyer.login?.toLowerCase();
  if (login && extracted.logins.some((item) => item.login.toLowerCase() === login)) signals.push('login');
  return signals;
}
