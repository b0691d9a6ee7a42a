import { matchReason } from '@orderpost/shared';
import { extractIdentifiers } from '@orderpost/shared/extract/index';
import { describe, expect, it } from 'vitest';
import type { Hit, HitKind } from './match.lookup.js';
import { rankCandidates } from './match.rank.js';

const order: Hit['order'] = {
  number: '10231',
  source: 'shop',
  externalId: null,
  status: 'new',
  final: false,
  orderedAt: new Date('2026-11-01T10:00:00Z'),
  buyerName: 'Anna',
  buyerEmail: 'anna@example.pl',
  currency: 'PLN',
  archived: false,
  total: '10.00',
};
const hit = (kind: HitKind, value: string, detail: string | null, at = '2026-11-02T10:00:00Z'): Hit => ({
  kind,
  orderId: 1,
  value,
  detail,
  at: new Date(at),
  order,
});

const ids = extractIdentifiers({ from: 'anna@example.pl', subject: 'Order 10231', references: '<conv-1@shop.example>' });
const sender = hit('email', 'anna@example.pl', null);
const number = hit('number', '10231', null);
const threadLink = hit('fb-link', 'conv-1@shop.example', 'thread');
const senderLink = hit('fb-link', 'anna@example.pl', 'sender');
const senderUnlink = hit('fb-unlink', 'anna@example.pl', 'sender', '2026-11-03T10:00:00Z');

/** What a seller sees: the reasons left for the order after the agent's word. */
describe('an unlink for the sender silences who-wrote reasons only', () => {
  it.each([
    ['sender and number, no unlink', [sender, number], ['order number 10231 in the subject', 'sender is the buyer']],
    ['sender and number, sender unlinked', [sender, number, senderUnlink], ['order number 10231 in the subject']],
    ['a sender link, unlinked later', [senderLink, senderUnlink], []],
    ['thread and sender links, sender unlinked later', [threadLink, senderLink, senderUnlink], ['linked by you (this conversation)']],
    [
      'a link after the unlink revives the order',
      [senderUnlink, { ...senderLink, at: new Date('2026-11-04T10:00:00Z') }],
      ['linked by you (this sender)'],
    ],
  ])('%s', (_label, hits, texts) => {
    const candidates = rankCandidates(ids, hits, 10);
    const reasons = candidates.flatMap((candidate) => candidate.reasons);
    expect(reasons.map((reason) => reason.text).sort()).toEqual([...texts].sort());
    // Only the contract's fields go out.
    for (const reason of reasons) expect(Object.keys(reason).sort()).toEqual(Object.keys(matchReason.shape).sort());
  });
});

describe('independent signals add up', () => {
  const annaOrder = { ...order, buyerName: 'Anna Kowalska' };
  const annaHit = (kind: HitKind, value: string, detail: string | null, orderId = 1): Hit => ({
    ...hit(kind, value, detail),
    orderId,
    order: annaOrder,
  });
  const confidenceOf = (message: Parameters<typeof extractIdentifiers>[0], hits: Hit[]) =>
    rankCandidates(extractIdentifiers(message, { defaultCountry: 'PL' }), hits, 10).map((c) => c.confidence);

  it('the buyer’s name as the sender’s and a bare number of the order make a medium claim', () => {
    const message = { from: 'Anna Kowalska <a.k@other.example>', text: 'Nie dostałam jeszcze 10231.' };
    expect(confidenceOf(message, [annaHit('number', '10231', null)])).toEqual(['medium']);
  });

  it('a bare number alone, or the name alone, stays a suggestion', () => {
    expect(confidenceOf({ from: 'x@other.example', text: 'Nie dostałam jeszcze 10231.' }, [annaHit('number', '10231', null)])).toEqual([
      'low',
    ]);
  });

  it('one number that is both the order’s number and its marketplace id counts once', () => {
    const message = { from: 'x@other.example', text: 'Nie dostałam jeszcze 10231.' };
    expect(confidenceOf(message, [annaHit('number', '10231', null), annaHit('external', '10231', 'ebay')])).toEqual(['low']);
  });
});

describe('phones in another country’s notation', () => {
  const abroad = (orderId: number, e164: string): Hit => ({ ...hit('phone-national', e164, e164), orderId });

  it('count when read in the stored phone’s country they are the stored number', () => {
    const ids = extractIdentifiers({ text: 'il mio numero è 347 123 4567' }, { defaultCountry: 'PL' });
    expect(rankCandidates(ids, [abroad(1, '+393471234567')], 10).map((c) => c.confidence)).toEqual(['medium']);
  });

  it('are only a suggestion when they read as stored phones of two countries', () => {
    const ids = extractIdentifiers({ text: 'rappelez-moi au 06 12 34 56 78' }, { defaultCountry: 'PL' });
    const candidates = rankCandidates(ids, [abroad(1, '+33612345678'), abroad(2, '+31612345678')], 10);
    expect(candidates.map((c) => c.confidence)).toEqual(['low', 'low']);
  });

  it('do not count when a trunk zero read where there is none makes another number', () => {
    const ids = extractIdentifiers({ text: 'rappelez-moi au 06 12 34 56 78' }, { defaultCountry: 'PL' });
    expect(rankCandidates(ids, [abroad(1, '+34612345678')], 10)).toEqual([]);
  });
});
