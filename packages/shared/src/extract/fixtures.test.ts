import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messageInputFromEmlFile } from '../../test/eml.js';
import { extractIdentifiers } from './extract-identifiers.js';

/**
 * Invented messages beyond the match corpus (Gmail and Outlook quoting,
 * windows-1252, HTML-only marketplace mail, a newsletter full of numbers).
 * test/fixtures/expected.json lists items that must be among the results,
 * compacts that must not be among the tokens, and whether tokens or phones
 * must be absent altogether.
 */
const fixturesDir = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

interface FixtureExpectation {
  defaultCountry: string;
  tokens?: Record<string, unknown>[];
  phones?: Record<string, unknown>[];
  emails?: Record<string, unknown>[];
  logins?: Record<string, unknown>[];
  messageIds?: Record<string, unknown>[];
  rejected?: Record<string, unknown>[];
  absentCompacts?: string[];
  noTokens?: boolean;
  noPhones?: boolean;
}

const expectations = JSON.parse(readFileSync(`${fixturesDir}expected.json`, 'utf8')) as Record<string, FixtureExpectation>;
const listNames = ['tokens', 'phones', 'emails', 'logins', 'messageIds', 'rejected'] as const;

describe.each(Object.entries(expectations))('%s', (file, expected) => {
  it('yields the expected identifiers and none of the false ones', async () => {
    const message = await messageInputFromEmlFile(`${fixturesDir}${file}`);
    const extracted = extractIdentifiers(message, { defaultCountry: expected.defaultCountry, ownDomains: ['kawa-co.example'] });

    for (const list of listNames) {
      for (const item of expected[list] ?? []) {
        expect(extracted[list], `${list} of ${file}`).toContainEqual(expect.objectContaining(item));
      }
    }
    const compacts = extracted.tokens.map((token) => token.compact);
    for (const absent of expected.absentCompacts ?? []) expect(compacts).not.toContain(absent);
    if (expected.noTokens) expect(extracted.tokens).toEqual([]);
    if (expected.noPhones) expect(extracted.phones).toEqual([]);
  });
});
