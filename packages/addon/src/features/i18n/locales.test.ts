import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LocaleMessages, translatorFrom } from './translate.js';

const localesDir = join(import.meta.dirname, '../../../static/_locales');
const read = (language: string) => JSON.parse(readFileSync(join(localesDir, language, 'messages.json'), 'utf8')) as LocaleMessages;
const en = read('en');

/** Every key the code asks for: t('key') and the families built from a prefix (t(`connection_${…}`)). */
function keysUsedInCode(): { keys: Set<string>; prefixes: Set<string> } {
  const keys = new Set<string>();
  const prefixes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const source = readFileSync(path, 'utf8');
        for (const match of source.matchAll(/\bt\('([A-Za-z_-]+)'/g)) keys.add(match[1] ?? '');
        for (const match of source.matchAll(/\bt\(`([A-Za-z]+_)\$\{/g)) prefixes.add(match[1] ?? '');
        for (const match of source.matchAll(/return '(state[A-Za-z]+)'/g)) keys.add(match[1] ?? '');
      }
    }
  };
  walk(join(import.meta.dirname, '../..'));
  return { keys, prefixes };
}

describe('locales', () => {
  it.each(['de', 'pl'])('%s has every English key, and no other', (language) => {
    expect(Object.keys(read(language)).sort()).toEqual(Object.keys(en).sort());
  });

  it('every key the code uses exists, and every prefix family has members', () => {
    const { keys, prefixes } = keysUsedInCode();
    expect(keys.size).toBeGreaterThan(50);
    expect([...keys].filter((key) => !(key in en))).toEqual([]);
    for (const prefix of prefixes) expect(Object.keys(en).some((key) => key.startsWith(prefix))).toBe(true);
  });

  it('the manifest strings exist', () => {
    const manifest = readFileSync(join(localesDir, '../manifest.json'), 'utf8');
    for (const [, key] of manifest.matchAll(/__MSG_([A-Za-z]+)__/g)) expect(en).toHaveProperty(key as string);
  });

  it('substitutes $1…, falls back to English, then to the key', () => {
    const t = translatorFrom(read('pl'), en);
    expect(t('titleOneOrder', '1001')).toBe('Orderpost: zamówienie 1001');
    expect(t('connectionOk', 'Anna', 'agent', 'Sklep')).toBe('Połączono: token „Anna” (agent) sklepu Sklep.');
    expect(translatorFrom({}, en)('titleNoOrder')).toBe('Orderpost: no order found');
    expect(translatorFrom({})('missing')).toBe('missing');
  });
});
