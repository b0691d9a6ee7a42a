import type { Confidence, MatchCandidate, MatchSignal } from '@orderpost/shared';
import { compareIdentifier, type ExtractedIdentifiers, type ExtractedToken } from '@orderpost/shared/extract/index';
import { canonicalEmail, normalizeEmail, relayIdentity } from '@orderpost/shared/normalize/index';
import type { Hit } from './match.lookup.js';

type Reason = MatchCandidate['reasons'][number];
/** A reason while ranking: `whoWrote` marks what an "unlink" for the sender silences (not sent to the client). */
type Evidence = Reason & { whoWrote: boolean };

const weight: Record<Confidence, number> = { high: 100, medium: 40, low: 10 };
const order: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
/** Signals that say who wrote, not what about: an "unlink" for the sender silences these. */
const senderSignals = new Set<MatchSignal>([
  'sender-is-buyer',
  'sender-is-buyer-relay',
  'sender-is-buyer-canonical',
  'buyer-phone',
  'buyer-login',
]);
/** "Linked by you" for a sender (not for a conversation) says who wrote too. */
const saysWhoWrote = (hit: Hit, reason: Reason) => senderSignals.has(reason.signal) || (hit.kind === 'fb-link' && hit.detail !== 'thread');

/** Signals that say which order the message is about (not only who wrote it) rank first among equals. */
const aboutSignals = new Set<MatchSignal>(['reply-to-our-message', 'order-number', 'marketplace-order-id', 'tracking-number']);
const reasonWeight = (reason: Reason) => weight[reason.confidence] + (aboutSignals.has(reason.signal) ? 25 : 0);

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * An identifier is specific when a chance collision is unlikely: long, or
 * letters and digits mixed. Short numbers need words around them ("order",
 * "#", the subject) before they are trusted.
 */
function isSpecific(compact: string): boolean {
  return compact.length >= 10 || (compact.length >= 6 && /\p{L}/u.test(compact) && /\p{N}/u.test(compact));
}

function tokenConfidence(token: ExtractedToken, match: 'exact' | 'normalized'): Confidence {
  if (token.context === 'invoice') return 'low';
  if (isSpecific(token.compact)) return 'high';
  const introduced = token.context === 'keyword' || token.context === 'tracking' || token.where === 'subject';
  if (introduced) return match === 'exact' ? 'high' : 'medium';
  return 'low';
}

const where = (token: ExtractedToken) =>
  token.where === 'subject' ? 'in the subject' : token.quoted ? 'in the quoted text' : 'in the message';

/** Reasons one hit gives, judged against what the message holds. */
function reasonsForHit(hit: Hit, ids: ExtractedIdentifiers): Reason[] {
  switch (hit.kind) {
    case 'message': {
      const when = hit.at ? ` of ${dateFormat.format(hit.at)}` : '';
      return [
        {
          signal: 'reply-to-our-message',
          confidence: 'high',
          text: `replies to our e-mail '${hit.detail ?? ''}'${when}`,
          value: hit.value,
        },
      ];
    }
    case 'email': {
      const stored = normalizeEmail(hit.value);
      const found = ids.emails.filter((e) => e.address === stored && e.role !== 'recipient');
      if (found.some((e) => e.role === 'sender'))
        return [{ signal: 'sender-is-buyer', confidence: 'high', text: 'sender is the buyer', value: hit.value }];
      if (found.length > 0)
        return [
          {
            signal: 'buyer-email-in-text',
            confidence: 'medium',
            text: `the buyer's address ${hit.value} is in the message`,
            value: hit.value,
          },
        ];
      return [];
    }
    case 'canonical': {
      const relay = relayIdentity(hit.value);
      const canonical = canonicalEmail(hit.value);
      const senders = ids.emails.filter((e) => e.role === 'sender');
      if (relay && senders.some((e) => e.relay === relay)) {
        return [
          {
            signal: 'sender-is-buyer-relay',
            confidence: 'high',
            text: `sender is the buyer's marketplace relay address (${relay})`,
            value: hit.value,
          },
        ];
      }
      if (senders.some((e) => e.canonical === canonical)) {
        return [
          {
            signal: 'sender-is-buyer-canonical',
            confidence: 'medium',
            text: `sender is the buyer's address written differently (${hit.value})`,
            value: hit.value,
          },
        ];
      }
      return [];
    }
    case 'number':
    case 'external':
    case 'tracking':
      return tokenReasons(hit, ids.tokens);
    case 'phone': {
      const found = ids.phones.find((p) => p.e164 === hit.value);
      if (!found) return [];
      return [
        {
          signal: 'buyer-phone',
          confidence: 'medium',
          text: `the buyer's phone number ${found.raw} is ${found.quoted ? 'in the quoted text' : 'in the message'}`,
          value: hit.value,
        },
      ];
    }
    case 'login': {
      const found = ids.logins.find((l) => l.login.toLowerCase() === hit.value.toLowerCase());
      if (!found) return [];
      return [
        {
          signal: 'buyer-login',
          confidence: 'medium',
          text: `the buyer's ${hit.detail ?? 'marketplace'} login '${hit.value}' is named in the message`,
          value: hit.value,
        },
      ];
    }
    case 'fb-link': {
      if (hit.detail === 'thread')
        return [{ signal: 'linked-by-you', confidence: 'high', text: 'linked by you (this conversation)', value: hit.value }];
      return [{ signal: 'linked-by-you', confidence: 'medium', text: 'linked by you (this sender)', value: hit.value }];
    }
    case 'fb-unlink':
      return [];
  }
}

function tokenReasons(hit: Hit, tokens: ExtractedToken[]): Reason[] {
  let best: Reason | null = null;
  for (const token of tokens) {
    const match = compareIdentifier(token, hit.value);
    if (!match) continue;
    const confidence = tokenConfidence(token, match);
    const text =
      hit.kind === 'number'
        ? `order number ${hit.value} ${where(token)}`
        : hit.kind === 'external'
          ? `${hit.detail ?? 'marketplace'} order id ${hit.value} ${where(token)}`
          : `tracking number ${hit.value} of the ${hit.detail ?? ''} parcel ${where(token)}`.replace('the  parcel', 'parcel');
    const signal: MatchSignal =
      hit.kind === 'number' ? 'order-number' : hit.kind === 'external' ? 'marketplace-order-id' : 'tracking-number';
    if (!best || order[confidence] > order[best.confidence]) best = { signal, confidence, text, value: hit.value };
  }
  return best ? [best] : [];
}

interface Gathered {
  hit: Hit;
  reasons: Evidence[];
  unlinkedThread: boolean;
  unlinkedSender: boolean;
  linkAt: number;
  unlinkAt: number;
}

/** Turns database hits into ranked candidates: confidence, score and readable reasons per order. */
export function rankCandidates(ids: ExtractedIdentifiers, hits: Hit[], limit: number): MatchCandidate[] {
  const byOrder = new Map<number, Gathered>();
  for (const hit of hits) {
    const entry = byOrder.get(hit.orderId) ?? { hit, reasons: [], unlinkedThread: false, unlinkedSender: false, linkAt: 0, unlinkAt: 0 };
    byOrder.set(hit.orderId, entry);
    if (hit.kind === 'fb-unlink') {
      if (hit.detail === 'thread') entry.unlinkedThread = true;
      else entry.unlinkedSender = true;
      entry.unlinkAt = Math.max(entry.unlinkAt, hit.at?.getTime() ?? 0);
      continue;
    }
    if (hit.kind === 'fb-link') entry.linkAt = Math.max(entry.linkAt, hit.at?.getTime() ?? 0);
    for (const reason of reasonsForHit(hit, ids)) {
      if (!entry.reasons.some((r) => r.signal === reason.signal && r.value === reason.value))
        entry.reasons.push({ ...reason, whoWrote: saysWhoWrote(hit, reason) });
    }
  }

  const candidates: (MatchCandidate & { final: boolean; orderedAt: number })[] = [];
  for (const [orderId, entry] of byOrder) {
    // The newest word of the agent wins: a link after an unlink revives the order, and vice versa.
    const unlinkWins = entry.unlinkAt > entry.linkAt;
    if (entry.unlinkedThread && unlinkWins) continue;
    let reasons = entry.reasons;
    if (entry.unlinkedSender && unlinkWins) reasons = reasons.filter((r) => !r.whoWrote);
    // The exact sender match says it all; the relay or Gmail-folded form of the same address adds nothing.
    if (reasons.some((r) => r.signal === 'sender-is-buyer')) {
      reasons = reasons.filter((r) => r.signal !== 'sender-is-buyer-relay' && r.signal !== 'sender-is-buyer-canonical');
    }
    if (reasons.length === 0) continue;
    reasons.sort((a, b) => order[b.confidence] - order[a.confidence]);
    const confidence = combinedConfidence(reasons);
    const { order: o } = entry.hit;
    candidates.push({
      order: {
        id: orderId,
        number: o.number,
        source: o.source,
        externalId: o.externalId,
        status: o.status,
        orderedAt: o.orderedAt.toISOString(),
        buyerName: o.buyerName,
        buyerEmail: o.buyerEmail,
        total: o.total,
        currency: o.currency,
        archived: o.archived,
      },
      confidence,
      score: reasons.reduce((sum, r) => sum + reasonWeight(r), 0),
      reasons: reasons.map(({ whoWrote: _w, ...reason }) => reason),
      final: o.final,
      orderedAt: o.orderedAt.getTime(),
    });
  }
  // Most relevant first: strongest evidence, then open orders before finished ones, then the newest.
  candidates.sort(
    (a, b) =>
      order[b.confidence] - order[a.confidence] || b.score - a.score || Number(a.final) - Number(b.final) || b.orderedAt - a.orderedAt,
  );
  return candidates.slice(0, limit).map(({ final: _f, orderedAt: _o, ...candidate }) => candidate);
}

/** Two independent medium signals make a high one (e.g. the buyer's phone and login). */
function combinedConfidence(reasons: Reason[]): Confidence {
  if (reasons.some((r) => r.confidence === 'high')) return 'high';
  const mediums = new Set(reasons.filter((r) => r.confidence === 'medium').map((r) => r.signal));
  if (mediums.size >= 2) return 'high';
  if (mediums.size === 1) return 'medium';
  return 'low';
}
