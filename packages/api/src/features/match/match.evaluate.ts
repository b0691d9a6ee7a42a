import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { MatchResult } from '@orderpost/shared';
import { extractIdentifiers, messageInputFromParsedMail, type ParsedMailLike } from '@orderpost/shared/extract/index';
import { createApp, type App } from '../../app.js';
import { createToken } from '../tokens/tokens.service.js';
import type { Services } from '../../services.js';
import { loadOrders, readOrdersFile } from '../orders/orders.import.js';

export interface CaseOutcome {
  file: string;
  passed: boolean;
  expected: string[];
  /** Order numbers claimed (high/medium), in the order returned. */
  claimed: string[];
  /** Everything returned, for the failure line. */
  returned: string;
}

/** Loads a corpus (orders.json with its sent messages) into the database behind `services`. */
export async function loadCorpus(services: Services, corpusDir: string) {
  const file = await readOrdersFile(join(corpusDir, 'orders.json'));
  await loadOrders(services, file);
  return file;
}

/**
 * Runs every case the way the add-on does: parse the raw e-mail, extract the
 * identifiers with the shared extractor, ask POST /v1/match.
 */
export async function evaluateCorpus(
  app: App,
  token: string,
  corpusDir: string,
  options: { defaultCountry: string; ownDomains: string[] },
): Promise<CaseOutcome[]> {
  const expected = JSON.parse(await readFile(join(corpusDir, 'expected.json'), 'utf8')) as Record<string, { orders: string[] }>;
  const files = (await readdir(join(corpusDir, 'cases'))).filter((f) => f.endsWith('.eml')).sort();
  const outcomes: CaseOutcome[] = [];
  for (const file of files) {
    const want = expected[file]?.orders ?? [];
    const parsed = await simpleParser(await readFile(join(corpusDir, 'cases', file)));
    const message = messageInputFromParsedMail(parsed as unknown as ParsedMailLike);
    const identifiers = extractIdentifiers(message, options);
    const res = await app.request('/v1/match', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identifiers, messageId: message.messageId }),
    });
    if (res.status !== 200) {
      outcomes.push({ file, passed: false, expected: want, claimed: [], returned: `HTTP ${res.status} ${await res.text()}` });
      continue;
    }
    const result = (await res.json()) as MatchResult;
    const claimed = result.candidates.filter((c) => c.confidence !== 'low').map((c) => c.order.number);
    const passed = want.length === 0 ? claimed.length === 0 : want.every((n) => claimed.includes(n)) && want.includes(claimed[0] ?? '');
    const returned =
      result.candidates.map((c) => `${c.order.number}:${c.confidence} (${c.reasons.map((r) => r.text).join('; ')})`).join(' | ') ||
      'nothing';
    outcomes.push({ file, passed, expected: want, claimed, returned });
  }
  return outcomes;
}

/**
 * The whole evaluation on a database of its own: load the corpus, build the
 * app, and run every case with an agent token, extracting with the shop's
 * default country and own domain.
 */
export async function evaluateCorpusIn(services: Services, corpusDir: string): Promise<CaseOutcome[]> {
  const file = await loadCorpus(services, corpusDir);
  const app = createApp(services);
  const { token } = await createToken(services, { name: 'match evaluation', role: 'agent' });
  const settings = await services.settings.get();
  const ownDomain = file.shop.email.split('@')[1];
  return evaluateCorpus(app, token, corpusDir, { defaultCountry: settings.defaultCountry, ownDomains: ownDomain ? [ownDomain] : [] });
}
