import type { MessageHeader, Tab } from '../../host/host.js';
import { displayedHeaders } from '../../host/host.js';
import { ApiError, failureOf } from '../api/api-error.js';
import { badgeFor, showBadge } from '../badge/badge.js';
import type { Context } from '../context/context.js';
import { requestMatch } from '../match/match-message.js';
import { type MatchOutcome, outcomeOf } from '../match/match-outcome.js';
import { readMessage } from '../message/read-message.js';
import { tagMatchedMessage } from '../tagging/tagging.js';

/**
 * The orders of one message: from the cache, or extracted here and asked of
 * `POST /v1/match`. Never throws — a failure is an outcome the badge and the
 * popup explain.
 */
export async function matchMessage(context: Context, header: MessageHeader): Promise<MatchOutcome> {
  const cached = context.cache.get(header.id);
  if (cached) return cached;
  let outcome: MatchOutcome;
  try {
    const client = await context.client();
    const [input, me] = await Promise.all([readMessage(context.host, header.id), context.me()]);
    outcome = outcomeOf(await requestMatch(client, input, me.shop));
  } catch (error) {
    const failure = failureOf(error);
    outcome = failure.kind === 'not-configured' ? { state: 'not-configured' } : { state: 'failed', failure };
    if (!(error instanceof ApiError)) console.error('Orderpost: matching failed', error);
  }
  context.cache.set(header.id, outcome);
  return outcome;
}

/**
 * `messageDisplay.onMessagesDisplayed`: the badge and title for the message
 * now shown. Runs after the message is on screen and blocks nothing; a newer
 * display in the same tab wins over a slower older one.
 */
export function createDisplayHandler(context: Context) {
  const latest = new Map<number, number>();
  let sequence = 0;

  return async function onMessagesDisplayed(tab: Tab, list: Parameters<typeof displayedHeaders>[0]): Promise<void> {
    const tabId = tab.id;
    if (tabId === undefined) return;
    const started = context.now();
    const run = ++sequence;
    latest.set(tabId, run);
    const headers = displayedHeaders(list);
    const t = await context.translate();
    const header = headers.length === 1 ? headers[0] : undefined;
    if (!header) {
      // Several messages (or none) selected: nothing to name.
      await showBadge(context.host, tabId, { text: '', title: t('actionTitle'), color: null }).catch(() => undefined);
      return;
    }
    const cached = context.cache.get(header.id);
    if (!cached) await showBadge(context.host, tabId, badgeFor({ state: 'pending' }, t)).catch(() => undefined);
    const outcome = cached ?? (await matchMessage(context, header));
    if (latest.get(tabId) !== run) return;
    await showBadge(context.host, tabId, badgeFor(outcome, t)).catch(() => undefined);
    context.log.lastDisplayToBadgeMs = context.now() - started;
    context.log.lastMessageId = header.headerMessageId;
    await tagMatchedMessage(context, header, outcome).catch((error) => console.warn('Orderpost: tagging failed', error));
  };
}
