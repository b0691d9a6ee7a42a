import type { Translate } from '../features/i18n/translate.js';

/**
 * Fills a page's static text from `_locales`: `data-i18n` (text),
 * `data-i18n-placeholder`, `data-i18n-title` and `data-i18n-aria-label`.
 */
export function localizeDocument(root: ParentNode, t: Translate): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) element.textContent = t(element.dataset.i18n ?? '');
  for (const [data, attribute] of [
    ['i18nPlaceholder', 'placeholder'],
    ['i18nTitle', 'title'],
    ['i18nAriaLabel', 'aria-label'],
  ] as const) {
    for (const element of root.querySelectorAll<HTMLElement>(
      `[data-${attribute === 'aria-label' ? 'i18n-aria-label' : `i18n-${attribute}`}]`,
    )) {
      element.setAttribute(attribute, t(element.dataset[data] ?? ''));
    }
  }
}
