/** A localised string by its `_locales` key, with `$1`-style substitutions. */
export type Translate = (key: string, ...substitutions: (string | number)[]) => string;

/** The shape of a `_locales/<lang>/messages.json` file. */
export type LocaleMessages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/**
 * A translator over one locale file, for when the seller picked a language in
 * the options other than Thunderbird's own (browser.i18n follows Thunderbird's).
 * Falls back to `fallback` (English) for a missing key, then to the key itself.
 */
export function translatorFrom(messages: LocaleMessages, fallback?: LocaleMessages): Translate {
  return (key, ...substitutions) => {
    const entry = messages[key] ?? fallback?.[key];
    if (!entry) return key;
    return substitute(entry, substitutions.map(String));
  };
}

function substitute(entry: LocaleMessages[string], values: string[]): string {
  // Named placeholders ($NAME$ → "$1") first, then positional $1..$9; "$$" is a dollar sign.
  const withNamed = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    const placeholder = entry.placeholders?.[name.toLowerCase()] ?? entry.placeholders?.[name];
    return placeholder ? placeholder.content : whole;
  });
  return withNamed.replace(/\$(\$|[1-9])/g, (_whole, which: string) => (which === '$' ? '$' : (values[Number(which) - 1] ?? '')));
}

/** Thunderbird's own `i18n.getMessage` as a Translate. */
export function translatorFromHost(i18n: { getMessage(name: string, substitutions?: string | string[]): string }): Translate {
  return (key, ...substitutions) => i18n.getMessage(key, substitutions.map(String)) || key;
}
