import type { OrderStatus } from '@orderpost/shared/schemas/statuses';
import type { OrderDetails } from '../features/orders/orders.js';
import { host } from '../host/browser-host.js';
import { h } from '../ui/dom.js';
import { describeFailure } from '../ui/format.js';
import { send } from '../ui/messaging.js';
import type { Formatting } from './order-card.js';

export interface ActionsProps {
  messageId: number;
  details: OrderDetails;
  templates: { id: number; name: string }[];
  statuses: OrderStatus[];
  f: Formatting;
  say(text: string, problem?: boolean): void;
  reload(): Promise<void>;
  reselect(orderId: number): Promise<void>;
}

/** Reply with a template, file, not this order, note, status: each a form or button that reports in the status line. */
export function actionsView(props: ActionsProps): HTMLElement {
  const { t } = props.f;
  const orderId = props.details.order.id;
  const run = async (
    button: HTMLButtonElement,
    work: () => Promise<{ ok: boolean; failure?: unknown }>,
    done: string,
    after?: () => Promise<void>,
  ) => {
    button.disabled = true;
    props.say(t('working'));
    const result = await work();
    button.disabled = false;
    if (!result.ok) return props.say(describeFailure(result.failure as Parameters<typeof describeFailure>[0], t), true);
    props.say(done);
    await after?.();
  };

  const templateSelect = h(
    'select',
    { name: 'template', 'aria-label': t('templateLabel') },
    ...props.templates.map((template) => h('option', { value: template.id }, template.name)),
  );
  const replyButton = h('button', { type: 'submit', class: 'primary', disabled: props.templates.length === 0 }, t('replyButton'));
  const reply = h(
    'form',
    {
      class: 'action',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const templateId = Number(templateSelect.value);
        if (!templateId) return;
        void run(
          replyButton,
          () => send(host, { type: 'reply/template', messageId: props.messageId, orderId, templateId }),
          t('replyOpened'),
          async () => window.close(),
        );
      },
    },
    h('label', {}, t('templateLabel'), templateSelect),
    replyButton,
  );

  const fileButton: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      onclick: () =>
        void run(fileButton, () => send(host, { type: 'email/file', messageId: props.messageId, orderId }), t('filed'), props.reload),
    },
    t('fileButton'),
  );
  const unlinkButton: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      onclick: () =>
        void run(
          unlinkButton,
          () => send(host, { type: 'match/unlink', messageId: props.messageId, orderId }),
          t('unlinked'),
          props.reload,
        ),
    },
    t('unlinkButton'),
  );

  const noteText = h('textarea', {
    name: 'note',
    rows: 2,
    maxlength: 10000,
    required: true,
    'aria-label': t('noteLabel'),
    placeholder: t('noteLabel'),
  });
  const noteButton = h('button', { type: 'submit' }, t('noteButton'));
  const note = h(
    'form',
    {
      class: 'action',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const text = noteText.value.trim();
        if (!text) return;
        void run(
          noteButton,
          () => send(host, { type: 'note/add', orderId, text }),
          t('noteAdded'),
          () => props.reselect(orderId),
        );
      },
    },
    noteText,
    noteButton,
  );

  const statusSelect = h(
    'select',
    { name: 'status', 'aria-label': t('statusLabel') },
    ...props.statuses.map((status) => h('option', { value: status.id, selected: status.id === props.details.order.status }, status.name)),
  );
  const statusButton = h('button', { type: 'submit', disabled: props.statuses.length === 0 }, t('statusButton'));
  const statusForm = h(
    'form',
    {
      class: 'action',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void run(
          statusButton,
          () => send(host, { type: 'status/change', orderId, status: statusSelect.value }),
          t('statusChanged'),
          () => props.reselect(orderId),
        );
      },
    },
    h('label', {}, t('statusLabel'), statusSelect),
    statusButton,
  );

  return h(
    'section',
    { class: 'actions', 'aria-label': t('actionsHeading') },
    h('h2', {}, t('actionsHeading')),
    reply,
    h('div', { class: 'buttons' }, fileButton, unlinkButton),
    note,
    statusForm,
  );
}
