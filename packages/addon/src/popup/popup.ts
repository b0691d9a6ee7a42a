import type { AddonSettings } from '@orderpost/shared/schemas/addon';
import type { MatchCandidate } from '@orderpost/shared/schemas/match';
import type { Order } from '@orderpost/shared/schemas/orders';
import type { OrderStatus } from '@orderpost/shared/schemas/statuses';
import { createTranslators } from '../features/i18n/locale.js';
import type { OrderDetails } from '../features/orders/orders.js';
import type { PopupView } from '../features/popup-view/popup-view.js';
import { host } from '../host/browser-host.js';
import { h, replaceChildren } from '../ui/dom.js';
import { describeFailure } from '../ui/format.js';
import { localizeDocument } from '../ui/localize.js';
import { send } from '../ui/messaging.js';
import { actionsView } from './actions-view.js';
import { candidateButton, type Formatting, orderDetailsView, searchResultButton } from './order-card.js';

interface State {
  tabId: number;
  view: PopupView | null;
  searchResults: Order[] | null;
  selectedOrderId: number | null;
  details: OrderDetails | null;
  templates: { id: number; name: string }[];
  statuses: OrderStatus[];
}

const app = document.getElementById('app') as HTMLElement;
const status = h('p', { class: 'status', role: 'status' });

async function start(): Promise<void> {
  const settings = await send<AddonSettings>(host, { type: 'settings/get' });
  const language = settings.ok && settings.data.language !== 'auto' ? settings.data.language : host.i18n.getUILanguage();
  const t = await createTranslators(host, fetch)({ language: settings.ok ? settings.data.language : 'auto' });
  document.documentElement.lang = language;
  localizeDocument(document, t);
  const f: Formatting = { t, language };
  const [tab] = await host.tabs.query({ active: true, currentWindow: true });
  const state: State = {
    tabId: tab?.id ?? -1,
    view: null,
    searchResults: null,
    selectedOrderId: null,
    details: null,
    templates: [],
    statuses: [],
  };

  const say = (text: string, problem = false) => {
    status.textContent = text;
    status.classList.toggle('problem', problem);
  };

  async function load(): Promise<void> {
    replaceChildren(app, h('p', { class: 'muted' }, t('loading')));
    const view = await send<PopupView>(host, { type: 'popup/open', tabId: state.tabId });
    if (!view.ok) return renderProblem(describeFailure(view.failure, t));
    state.view = view.data;
    const first = view.data.outcome.state === 'matched' ? view.data.outcome.claims[0] : undefined;
    state.selectedOrderId = first?.order.id ?? null;
    render();
    if (state.selectedOrderId !== null) await select(state.selectedOrderId);
  }

  async function select(orderId: number): Promise<void> {
    state.selectedOrderId = orderId;
    state.details = null;
    render();
    const [details, templates, statuses] = await Promise.all([
      send<OrderDetails>(host, { type: 'order/get', orderId }),
      state.templates.length ? null : send<{ id: number; name: string }[]>(host, { type: 'templates/list' }),
      state.statuses.length ? null : send<OrderStatus[]>(host, { type: 'statuses/list' }),
    ]);
    if (templates?.ok) state.templates = templates.data;
    if (statuses?.ok) state.statuses = statuses.data;
    if (!details.ok) say(describeFailure(details.failure, t), true);
    else if (state.selectedOrderId === orderId) state.details = details.data;
    render();
  }

  function renderProblem(text: string): void {
    replaceChildren(
      app,
      h('p', { class: 'problem' }, text),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', onclick: () => void load() }, t('tryAgain')),
        h('button', { type: 'button', onclick: () => void host.runtime.openOptionsPage() }, t('openSettings')),
      ),
    );
  }

  function candidates(list: MatchCandidate[]): HTMLElement {
    return h(
      'ul',
      { class: 'candidates' },
      ...list.map((candidate) =>
        candidateButton(candidate, candidate.order.id === state.selectedOrderId, f, () => void select(candidate.order.id)),
      ),
    );
  }

  function searchForm(): HTMLElement {
    const input = h('input', {
      type: 'search',
      name: 'query',
      required: true,
      maxlength: 320,
      'aria-label': t('searchLabel'),
      placeholder: t('searchPlaceholder'),
    });
    return h(
      'form',
      {
        class: 'search',
        role: 'search',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const query = input.value.trim();
          if (!query) return;
          say(t('searching'));
          const found = await send<Order[]>(host, { type: 'order/search', query });
          if (!found.ok) return say(describeFailure(found.failure, t), true);
          state.searchResults = found.data;
          say(found.data.length === 0 ? t('searchNothing') : t('searchFound', found.data.length));
          render();
        },
      },
      input,
      h('button', { type: 'submit' }, t('searchButton')),
    );
  }

  function render(): void {
    const view = state.view;
    if (!view) return;
    const outcome = view.outcome;
    if (outcome.state !== 'matched') {
      renderProblem(outcome.state === 'failed' ? describeFailure(outcome.failure, t) : t('stateNotConfigured'));
      return;
    }
    const parts: (Node | null)[] = [];
    if (view.message) parts.push(h('p', { class: 'message-line muted' }, view.message.subject || t('noSubject')));
    if (outcome.claims.length > 0) parts.push(h('h1', {}, t('claimsHeading', outcome.claims.length)), candidates(outcome.claims));
    else parts.push(h('h1', {}, t('noClaims')));
    if (outcome.suggestions.length > 0) {
      parts.push(
        h(
          'details',
          { class: 'suggestions', open: outcome.claims.length === 0 },
          h('summary', {}, t('suggestionsHeading', outcome.suggestions.length)),
          candidates(outcome.suggestions),
        ),
      );
    }
    parts.push(searchForm());
    if (state.searchResults && state.searchResults.length > 0) {
      parts.push(
        h(
          'ul',
          { class: 'candidates search-results' },
          ...state.searchResults.map((order) =>
            searchResultButton(order, order.id === state.selectedOrderId, f, () => void select(order.id)),
          ),
        ),
      );
    }
    parts.push(status);
    if (state.selectedOrderId !== null) {
      if (!state.details) parts.push(h('p', { class: 'muted' }, t('loading')));
      else {
        parts.push(orderDetailsView(state.details, f, new Map(state.statuses.map((status) => [status.id, status.name]))));
        if (view.message) {
          parts.push(
            actionsView({
              messageId: view.message.id,
              details: state.details,
              templates: state.templates,
              statuses: state.statuses,
              f,
              say,
              reload: load,
              reselect: select,
            }),
          );
        }
      }
    }
    replaceChildren(app, ...parts);
  }

  await load();
}

start().catch((error) => {
  console.error('Orderpost popup failed', error);
  replaceChildren(app, h('p', { class: 'problem' }, String(error)));
});
