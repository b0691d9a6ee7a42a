import type { MessageHeader } from '../../host/host.js';
import type { Context } from '../context/context.js';
import type { MatchOutcome } from '../match/match-outcome.js';

export const tagPermissions = ['messagesUpdate', 'messagesTags'];
export const tagColor = '#2f6fdf';

/** Thunderbird tag keys are lower-case words without spaces or IMAP-special characters. */
export function tagKeyFor(orderNumber: string): string {
  const word = orderNumber
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `orderpost_${word || 'order'}`.slice(0, 60);
}

export function tagLabelFor(orderNumber: string): string {
  return `#${orderNumber.replace(/^#/, '')}`;
}

/** The tags a message should carry: its own plus one per claimed order (suggestions are not tagged). */
export function tagsToSet(current: readonly string[], outcome: MatchOutcome): string[] | null {
  if (outcome.state !== 'matched' || outcome.claims.length === 0) return null;
  const wanted = outcome.claims.map((claim) => tagKeyFor(claim.order.number));
  const missing = wanted.filter((key) => !current.includes(key));
  return missing.length === 0 ? null : [...current, ...missing];
}

/**
 * Optional (an option, with its own permissions): tags a matched message with
 * its order numbers, creating a tag the first time an order is seen.
 */
export async function tagMatchedMessage(context: Context, header: MessageHeader, outcome: MatchOutcome): Promise<void> {
  if (header.external || outcome.state !== 'matched') return;
  const settings = await context.settings();
  if (!settings.tagMessages) return;
  const { host } = context;
  const tagsApi = host.messages.tags;
  if (!tagsApi || !(await host.permissions.contains({ permissions: tagPermissions }))) return;
  const next = tagsToSet(header.tags, outcome);
  if (!next) return;
  const existing = new Set((await tagsApi.list()).map((tag) => tag.key));
  for (const claim of outcome.claims) {
    const key = tagKeyFor(claim.order.number);
    if (!existing.has(key)) {
      await tagsApi.create(key, tagLabelFor(claim.order.number), tagColor);
      existing.add(key);
    }
  }
  await host.messages.update(header.id, { tags: next });
}
