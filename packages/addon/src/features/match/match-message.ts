import { extractIdentifiers } from '@orderpost/shared/extract/extract-identifiers';
import type { ExtractedIdentifiers } from '@orderpost/shared/extract/types';
import { matchResult } from '@orderpost/shared/schemas/match';
import type { Me } from '@orderpost/shared/schemas/me';
import type { MessageInput } from '@orderpost/shared/extract/types';
import type { ApiClient } from '../api/api-client.js';

/**
 * The identifiers the API is sent for a message: what the shared extractor
 * found, minus its debugging list of rejected strings (dates, prices …) and
 * truncation notes — nothing the matcher reads, so nothing more leaves
 * Thunderbird than needed.
 */
export function identifiersToSend(input: MessageInput, shop: Pick<Me['shop'], 'defaultCountry' | 'ownDomains'>): ExtractedIdentifiers {
  const found = extractIdentifiers(input, { defaultCountry: shop.defaultCountry, ownDomains: shop.ownDomains });
  const { rejected: _rejected, truncated: _truncated, ...identifiers } = found;
  return { ...identifiers, rejected: [] };
}

/** `POST /v1/match` for one message. */
export function requestMatch(client: ApiClient, input: MessageInput, shop: Me['shop']) {
  const body: Record<string, unknown> = { identifiers: identifiersToSend(input, shop), limit: 10 };
  const ownId = input.messageId?.trim().replace(/^<|>$/g, '');
  if (ownId) body.messageId = ownId;
  return client.post('/v1/match', body, matchResult);
}
