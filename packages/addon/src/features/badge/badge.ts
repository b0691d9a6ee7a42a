import type { Host } from '../../host/host.js';
import type { ApiFailure } from '../api/api-error.js';
import type { Translate } from '../i18n/translate.js';
import type { MatchOutcome } from '../match/match-outcome.js';

export interface Badge {
  text: string;
  title: string;
  color: string | null;
}

export const badgeColors = { claim: '#1a7f37', problem: '#c62828', pending: '#6e7781' } as const;

/** The short name of what went wrong, as a `_locales` key. */
export function failureKey(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'not-configured':
      return 'stateNotConfigured';
    case 'no-permission':
      return 'stateNoPermission';
    case 'unreachable':
      return failure.secure ? 'stateUnreachableSecure' : 'stateUnreachable';
    case 'timeout':
      return 'stateTimeout';
    case 'bad-token':
      return 'stateBadToken';
    case 'wrong-role':
      return 'stateWrongRole';
    case 'invalid-response':
      return 'stateInvalidResponse';
    case 'http':
      return failure.status >= 500 ? 'stateServerError' : 'stateRequestRefused';
  }
}

/**
 * The message display button for an outcome: the badge counts claimed orders
 * (nothing when there are none), the title names them, or says plainly why
 * there is nothing to show.
 */
export function badgeFor(outcome: MatchOutcome | { state: 'pending' }, t: Translate): Badge {
  switch (outcome.state) {
    case 'pending':
      return { text: '…', title: t('titlePending'), color: badgeColors.pending };
    case 'not-configured':
      return { text: '?', title: t('titleProblem', t('stateNotConfigured')), color: badgeColors.pending };
    case 'failed':
      return { text: '!', title: t('titleProblem', t(failureKey(outcome.failure))), color: badgeColors.problem };
    case 'matched': {
      const numbers = outcome.claims.map((candidate) => candidate.order.number);
      if (numbers.length === 1) return { text: '1', title: t('titleOneOrder', numbers[0] ?? ''), color: badgeColors.claim };
      if (numbers.length > 1) {
        return { text: String(numbers.length), title: t('titleOrders', numbers.join(', ')), color: badgeColors.claim };
      }
      if (outcome.suggestions.length > 0) return { text: '', title: t('titleSuggestions', outcome.suggestions.length), color: null };
      return { text: '', title: t('titleNoOrder'), color: null };
    }
  }
}

export async function showBadge(host: Pick<Host, 'messageDisplayAction'>, tabId: number, badge: Badge): Promise<void> {
  const action = host.messageDisplayAction;
  await Promise.all([
    action.setBadgeText({ tabId, text: badge.text }),
    action.setTitle({ tabId, title: badge.title }),
    badge.color ? action.setBadgeBackgroundColor({ tabId, color: badge.color }) : Promise.resolve(),
  ]);
}
