import type { ExtractedMessageId } from './types.js';

/**
 * Message-IDs of In-Reply-To and References, without angle brackets. A value
 * without brackets (some clients write them bare) is split on white space.
 * Compared case-insensitively: the first spelling wins, In-Reply-To first.
 */
export function extractMessageIds(inReplyTo: string | undefined, references: string | undefined): ExtractedMessageId[] {
  const result: ExtractedMessageId[] = [];
  const seen = new Set<string>();
  const add = (header: ExtractedMessageId['header'], value: string | undefined) => {
    for (const id of messageIdsIn(value ?? '')) {
      if (id.length > MAX_ID_LENGTH) continue;
      const key = id.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ id, header });
    }
  };
  add('in-reply-to', inReplyTo);
  add('references', references);
  return result;
}

function messageIdsIn(value: string): string[] {
  const bracketed = [...value.matchAll(BRACKETED)].map((match) => (match[1] ?? '').trim()).filter((id) => id !== '');
  if (bracketed.length > 0) return bracketed;
  return value.split(/[\s,]+/).filter((id) => id.includes('@'));
}

const BRACKETED = /<([^<>]+)>/g;
/** A header line's limit (RFC 5322); longer is no Message-ID. */
const MAX_ID_LENGTH = 998;
