import type { ExtractedIdentifiers } from './types.js';

/**
 * The most of each kind a result carries, so what the add-on sends always
 * fits the API's request limits (schemas/match.ts uses these numbers). Past
 * them, what says most about the order is kept: the direct parent in a thread,
 * the senders, numbers in the subject or after an order word, unquoted text.
 */
export const extractionLimits = {
  emails: 50,
  messageIds: 100,
  tokens: 300,
  phones: 30,
  logins: 50,
  rejected: 200,
} as const;

const emailRank = { sender: 0, recipient: 1, mentioned: 2 } as const;
const contextRank = { keyword: 0, tracking: 1, invoice: 2, bare: 3 } as const;

/** Stable order by rank, keeping the first `max`. */
function keepBest<T>(items: T[], max: number, rank: (item: T) => number): T[] {
  if (items.length <= max) return items;
  return items
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, max)
    .sort((a, b) => a.index - b.index)
    .map(({ item }) => item);
}

export function capIdentifiers(found: ExtractedIdentifiers): ExtractedIdentifiers {
  // In-Reply-To first; of References (oldest first) the most recent ones count most.
  const parents = found.messageIds.filter((m) => m.header === 'in-reply-to').slice(0, extractionLimits.messageIds);
  const references = found.messageIds.filter((m) => m.header === 'references');
  const room = extractionLimits.messageIds - parents.length;
  const messageIds =
    found.messageIds.length <= extractionLimits.messageIds ? found.messageIds : [...parents, ...(room > 0 ? references.slice(-room) : [])];
  return {
    emails: keepBest(found.emails, extractionLimits.emails, (e) => emailRank[e.role] * 2 + (e.quoted ? 1 : 0)),
    messageIds,
    tokens: keepBest(
      found.tokens,
      extractionLimits.tokens,
      (t) => (t.where === 'subject' ? 0 : 1) * 10 + contextRank[t.context] * 2 + (t.quoted ? 1 : 0),
    ),
    phones: keepBest(found.phones, extractionLimits.phones, (p) => (p.e164 === null ? 2 : 0) + (p.quoted ? 1 : 0)),
    logins: keepBest(found.logins, extractionLimits.logins, (l) => (l.quoted ? 1 : 0)),
    rejected: found.rejected.slice(0, extractionLimits.rejected),
    ...(found.truncated ? { truncated: found.truncated } : {}),
  };
}
