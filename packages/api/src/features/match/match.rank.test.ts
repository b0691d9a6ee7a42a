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
