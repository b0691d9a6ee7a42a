import type { AddonLanguage, AddonSettings } from '@orderpost/shared/schemas/addon';
import type { Host } from '../../host/host.js';
import { type LocaleMessages, type Translate, translatorFrom, translatorFromHost } from './translate.js';

/**
 * Translators by the language chosen in the options: "auto" follows
 * Thunderbird (browser.i18n); a chosen language reads that `_locales` file,
 * with English for anything missing. Files are read once.
 */
export function createTranslators(host: Pick<Host, 'i18n' | 'runtime'>, fetchFile: typeof fetch) {
  const files = new Map<string, Promise<LocaleMessages>>();
  const read = (language: string) => {
    let file = files.get(language);
    if (!file) {
      file = fetchFile(host.runtime.getURL(`_locales/${language}/messages.json`)).then(
        (response) => response.json() as Promise<LocaleMessages>,
      );
      files.set(language, file);
      file.catch(() => files.delete(language));
    }
    return file;
  };
  return async function translatorFor(settings: Pick<AddonSettings, 'language'>): Promise<Translate> {
    if (settings.language === 'auto') return translatorFromHost(host.i18n);
    try {
      const [messages, english] = await Promise.all([read(settings.language), read('en')]);
      return translatorFrom(messages, english);
    } catch {
      return translatorFromHost(host.i18n);
    }
  };
}

/** The language code pages put on `<html lang>`. */
export function documentLanguage(language: AddonLanguage, uiLanguage: string): string {
  return language === 'auto' ? uiLanguage : language;
}
