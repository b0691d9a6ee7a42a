import type { AddonLanguage, AddonSettings } from '@orderpost/shared/schemas/addon';
import type { ConnectionReport } from '../features/connection/test-connection.js';
import { createTranslators } from '../features/i18n/locale.js';
import type { Translate } from '../features/i18n/translate.js';
import { originPermission, parseApiAddress } from '../features/settings/api-address.js';
import { tagPermissions } from '../features/tagging/tagging.js';
import { host } from '../host/browser-host.js';
import { h, replaceChildren } from '../ui/dom.js';
import { describeFailure } from '../ui/format.js';
import { localizeDocument } from '../ui/localize.js';
import { send } from '../ui/messaging.js';
import { connectionMessage } from './connection-message.js';

const app = document.getElementById('app') as HTMLElement;
const languages: AddonLanguage[] = ['auto', 'en', 'de', 'pl'];

async function start(): Promise<void> {
  const loaded = await send<AddonSettings>(host, { type: 'settings/get' });
  const settings: AddonSettings = loaded.ok ? loaded.data : { apiUrl: '', token: '', language: 'auto', tagMessages: false };
  const t: Translate = await createTranslators(host, fetch)(settings);
  document.documentElement.lang = settings.language === 'auto' ? host.i18n.getUILanguage() : settings.language;
  localizeDocument(document, t);

  const apiUrl = h('input', {
    id: 'api-url',
    type: 'url',
    name: 'apiUrl',
    value: settings.apiUrl,
    required: true,
    placeholder: 'https://orders.example.com',
    autocomplete: 'url',
    spellcheck: false,
  });
  const token = h('input', {
    id: 'token',
    type: 'password',
    name: 'token',
    value: settings.token,
    required: true,
    autocomplete: 'off',
    spellcheck: false,
  });
  const language = h(
    'select',
    { id: 'language', name: 'language' },
    ...languages.map((code) => h('option', { value: code, selected: code === settings.language }, t(`language_${code}`))),
  );
  const tagMessages = h('input', { id: 'tag-messages', type: 'checkbox', name: 'tagMessages', checked: settings.tagMessages });
  const result = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const say = (text: string, problem = false) => {
    result.textContent = text;
    result.classList.toggle('problem', problem);
  };

  /**
   * Asks for the API origin (and, with tagging, the tag permissions) — inside
   * the click, before any await, as Thunderbird requires a user action for it.
   */
  const requestAccess = (): Promise<boolean> => {
    const address = parseApiAddress(apiUrl.value);
    const origins = address.ok ? [originPermission(address.origin)] : [];
    const permissions = tagMessages.checked ? tagPermissions : [];
    if (origins.length === 0 && permissions.length === 0) return Promise.resolve(true);
    return host.permissions.request({ origins, permissions }).catch(() => false);
  };

  const test = async (granted: Promise<boolean>) => {
    await granted;
    say(t('testing'));
    const report = await send<ConnectionReport>(host, { type: 'connection/test', apiUrl: apiUrl.value, token: token.value });
    if (!report.ok) return say(describeFailure(report.failure, t), true);
    say(connectionMessage(report.data, t), !report.data.ok);
  };

  const form = h(
    'form',
    {
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const granted = requestAccess();
        const address = parseApiAddress(apiUrl.value);
        if (!address.ok) return say(t(`address_${address.problem}`), true);
        if (!(await granted)) return say(t('permissionRefused'), true);
        const next: AddonSettings = {
          apiUrl: address.baseUrl,
          token: token.value.trim(),
          language: language.value as AddonLanguage,
          tagMessages: tagMessages.checked,
        };
        const saved = await send<AddonSettings>(host, { type: 'settings/save', settings: next });
        if (!saved.ok) return say(describeFailure(saved.failure, t), true);
        apiUrl.value = saved.data.apiUrl;
        if (next.language !== settings.language) return location.reload();
        await test(Promise.resolve(true));
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'api-url' }, t('apiUrlLabel')), apiUrl, h('small', { class: 'muted' }, t('apiUrlHelp'))),
    h('div', { class: 'field' }, h('label', { for: 'token' }, t('tokenLabel')), token, h('small', { class: 'muted' }, t('tokenHelp'))),
    h('div', { class: 'field' }, h('label', { for: 'language' }, t('languageLabel')), language),
    h('div', { class: 'field checkbox' }, tagMessages, h('label', { for: 'tag-messages' }, t('tagMessagesLabel'))),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary' }, t('saveButton')),
      h('button', { type: 'button', onclick: () => void test(requestAccess()) }, t('testButton')),
    ),
    result,
  );
  replaceChildren(app, h('h1', {}, t('optionsTitle')), form);
}

start().catch((error) => {
  console.error('Orderpost options failed', error);
  replaceChildren(app, h('p', { class: 'problem' }, String(error)));
});
