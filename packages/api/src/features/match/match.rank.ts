import { type Confidence, isDistinctive, lookupForm, type MatchCandidate, type MatchSignal } from '@orderpost/shared';
import { compareIdentifier, type ExtractedIdentifiers, type ExtractedPhone, type ExtractedToken } from '@orderpost/shared/extract/index';
import { foldWord } from '@orderpost/shared/extract/keywords';
import { canonicalEmail, countryOfE164, nationalKeys, normalizeEmail, phoneAsIn, relayIdentity } from '@orderpost/shared/normalize/index';
import type { Hit } from './match.lookup.js';

type Reason = MatchCandidate['reasons'][number];
/**
 * A reason while ranking (neither field is sent to the client): `whoWrote`
 * marks what an "unlink" for the sender silences; `observed` names what in the
 * message gave it, so one number hitting an order's number and its
 * marketplace id counts once when signals add up.
 */
type Evidence = Reason & { whoWrote: boolean; observed?: string; readIn?: { phone: string; country: string } };

const weight: Record<Confidence, number> = { high: 100, medium: 40, low: 10 };
const order: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
/** Signals that say who wrote, not what about: an "unlink" for the sender silences these. */
const senderSignals = new Set<MatchSignal>([
  'sender-is-buyer',
  'sender-is-buyer-relay',
  'sender-is-buyer-canonical',
  'buyer-phone',
  'buyer-login',
  'buyer-name',
]);
/** "Linked by you" for a sender (not for a conversation) says who wrote too. */
const saysWhoWrote = (hit: Hit, reason: Reason) => senderSignals.has(reason.signal) || (hit.kind === 'fb-link' && hit.detail !== 'thread');

/** Signals that say which order the message is about (not only who wrote it) rank first among equals. */
const aboutSignals = new Set<MatchSignal>(['reply-to-our-message', 'order-number', 'marketplace-order-id', 'tracking-number']);
const reasonWeight = (reason: Reason) => weight[reason.confidence] + (aboutSignals.has(reason.signal) ? 25 : 0);

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * A distinctive number (`isDistinctive`: long, or letters and digits) is a
 * claim whatever words stand around it: a customer asks for the invoice *of*
 * an order. Words only demote short numbers of digits only ("Rechnung 10243"
 * is more likely an invoice's number); short numbers need an order word, "#"
 * or the subject before they are trusted.
 */
function tokenConfidence(token: ExtractedToken, match: 'exact' | 'normalized'): Confidence {
  if (isDistinctive(token.compact)) return 'high';
  if (token.context === 'invoice') return 'low';
  const introduced = token.context === 'keyword' || token.context === 'tracking' || token.where === 'subject';
  if (introduced) return match === 'exact' ? 'high' : 'medium';
  return 'low';
}

const where = (token: ExtractedToken) =>
  token.where === 'subject' ? 'in the subject' : token.quoted ? 'in the quoted text' : 'in the message';

/** Reasons one hit gives, judged against what the message holds. */
function reasonsForHit(hit: Hit, ids: ExtractedIdentifiers): (Reason | Evidence)[] {
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
    case 'own-message': {
      const when = hit.at ? ` of ${dateFormat.format(hit.at)}` : '';
      return [{ signal: 'our-own-message', confidence: 'high', text: `is our own e-mail '${hit.detail ?? ''}'${when}`, value: hit.value }];
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
    case 'phone-national':
      return nationalPhoneReasons(hit, ids.phones);
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

/**
 * A phone found by its national digits is the buyer's when the written number,
 * read in the stored phone's country, is the stored number ("347 123 4567" in
 * Italy is "+39 347 1234567"; a trunk "0" read where there is none is no
 * match); a stored phone no country reads is matched by its digits. Equal
 * digits only: a phone one digit off is never found.
 */
function nationalPhoneReasons(hit: Hit, phones: ExtractedPhone[]): Evidence[] {
  const storedE164 = hit.value.startsWith('+') ? hit.value : null;
  let country: string | null | undefined;
  // Read only when needed: a phone the shop's country read is compared as E.164.
  const storedCountry = () => {
    if (country === undefined) country = storedE164 ? countryOfE164(storedE164) : null;
    return country;
  };
  for (const phone of phones) {
    // A number the shop's country (or its international notation) reads is that number, and no other country's.
    const confirmed =
      phone.e164 !== null
        ? phone.e164 === storedE164
        : storedE164
          ? storedCountry() !== null && phoneAsIn(phone.raw, storedCountry() ?? '') === storedE164
          : phone.national !== undefined && nationalKeys(phone.national).includes(hit.value);
    if (!confirmed) continue;
    const how =
      phone.e164 !== null ? '' : storedE164 ? ` (read as a number of ${storedCountry()})` : ` (the digits of ${hit.detail ?? hit.value})`;
    return [
      {
        signal: 'buyer-phone',
        confidence: 'medium',
        text: `the buyer's phone number ${phone.raw} is ${phone.quoted ? 'in the quoted text' : 'in the message'}${how}`,
        value: hit.value,
        whoWrote: true,
        observed: `phone:${phone.raw}`,
        ...(phone.e164 === null && storedE164 ? { readIn: { phone: phone.raw, country: storedCountry() ?? '' } } : {}),
      },
    ];
  }
  return [];
}

function tokenReasons(hit: Hit, tokens: ExtractedToken[]): Evidence[] {
  let best: Evidence | null = null;
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
    if (!best || order[confidence] > order[best.confidence])
      best = { signal, confidence, text, value: hit.value, whoWrote: false, observed: `token:${lookupForm(token.compact)}` };
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
  demoteAmbiguousPhones([...byOrder.values()].flatMap((entry) => entry.reasons));
  for (const entry of byOrder.values()) {
    if (entry.reasons.length === 0) continue;
    const named = buyerNameReason(entry.hit.order.buyerName, ids);
    if (named) entry.reasons.push(named);
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
      reasons: reasons.map(({ whoWrote: _w, observed: _o, readIn: _r, ...reason }) => reason),
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

/**
 * A number in national notation that reads as a stored phone in two countries
 * ("06 12 34 56 78" is a French and a Dutch mobile) says neither: low for both.
 */
function demoteAmbiguousPhones(reasons: Evidence[]): void {
  const countries = new Map<string, Set<string>>();
  for (const { readIn } of reasons) {
    if (readIn) countries.set(readIn.phone, (countries.get(readIn.phone) ?? new Set()).add(readIn.country));
  }
  for (const reason of reasons) {
    const read = reason.readIn && countries.get(reason.readIn.phone);
    if (!read || read.size < 2) continue;
    reason.confidence = 'low';
    reason.text += ` — also a number of ${[...read].filter((c) => c !== reason.readIn?.country).join(', ')}`;
  }
}

/**
 * Independent signals add up: two different medium signals (the buyer's phone
 * and login) make a high claim, two different low ones (the buyer's name as the
 * sender's and a bare number of the order; an order number and a tracking
 * number of one order) a medium claim. Different means other kinds of signal
 * from other things in the message: one number that is both the order's number
 * and its marketplace id counts once. A low signal alone stays a suggestion.
 */
function combinedConfidence(reasons: Evidence[]): Confidence {
  if (reasons.some((r) => r.confidence === 'high')) return 'high';
  const mediums = reasons.filter((r) => r.confidence === 'medium');
  if (independent(mediums)) return 'high';
  if (mediums.length > 0) return 'medium';
  return independent(reasons.filter((r) => r.confidence === 'low')) ? 'medium' : 'low';
}

function independent(reasons: Evidence[]): boolean {
  return new Set(reasons.map((r) => r.signal)).size >= 2 && new Set(reasons.map((r) => r.observed ?? r.signal)).size >= 2;
}

/**
 * The sender's display name holds every word (two or more) of the buyer's
 * name, in any order, case and accents aside ("KOWALSKA Anna" is "Anna
 * Kowalska"). Names are shared by many people: a low signal, never a claim
 * alone, and looked for only on orders something else found.
 */
function buyerNameReason(buyerName: string | null, ids: ExtractedIdentifiers): Evidence | null {
  const wanted = nameWords(buyerName ?? '');
  if (wanted.length < 2) return null;
  for (const email of ids.emails) {
    if (email.role !== 'sender' || !email.name) continue;
    const words = new Set(nameWords(email.name));
    if (wanted.every((word) => words.has(word)))
      return {
        signal: 'buyer-name',
        confidence: 'low',
        text: `the sender's name is the buyer's (${buyerName})`,
        value: buyerName ?? '',
        whoWrote: true,
      };
  }
  return null;
}

function nameWords(name: string): string[] {
  return (name.match(NAME_WORD) ?? []).map(foldWord);
}

const NAME_WORD = /\p{L}[\p{L}'’]*/gu;
