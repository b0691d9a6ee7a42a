import { displayedHeaders } from '../../host/host.js';
import { badgeFor, showBadge } from '../badge/badge.js';
import type { Context } from '../context/context.js';
import { matchMessage } from '../display/on-displayed.js';
import type { MatchOutcome } from '../match/match-outcome.js';

export interface PopupView {
  /** The message shown in the tab; null when none or several are shown. */
  message: { id: number; subject: string; author: string } | null;
  outcome: MatchOutcome;
}

/** What the popup opens with: the displayed message and its orders (from the cache after a display). */
export async function popupView(context: Context, tabId: number): Promise<PopupView> {
  const headers = displayedHeaders(await context.host.messageDisplay.getDisplayedMessages(tabId));
  const header = headers.length === 1 ? headers[0] : undefined;
  if (!header) {
    const settings = await context.settings();
    const configured = settings.apiUrl !== '' && settings.token !== '';
    return { message: null, outcome: configured ? { state: 'matched', claims: [], suggestions: [] } : { state: 'not-configured' } };
  }
  const outcome = await matchMessage(context, header);
  // After an action (file, unlink) the outcome may have changed: keep the button in step.
  await showBadge(context.host, tabId, badgeFor(outcome, await context.translate())).catch(() => undefined);
  return { message: { id: header.id, subject: header.subject, author: header.author }, outcome };
}
