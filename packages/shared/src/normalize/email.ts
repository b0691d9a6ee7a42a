/**
 * E-mail address forms used for matching a sender to a buyer.
 *
 * - `normalizeEmail`: the address as mail servers treat it in practice
 *   (case-insensitive), used for exact buyer matches.
 * - `canonicalEmail`: folds aliases one mailbox provider is known to deliver to
 *   the same inbox (Gmail ignores dots and "+tags"); other providers are only
 *   lower-cased because for them a "+tag" or a dot may be a different mailbox.
 * - `relayIdentity`: for marketplace relay addresses, the part that stays the
 *   same for one buyer across orders.
 */

const GMAIL_DOMAINS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);

interface RelayDomain {
  marketplace: string;
  /** Matches the lower-cased domain. */
  domain: RegExp;
}

/**
 * Marketplaces that hide the buyer's address behind a relay. On all of them
 * the local part before "+" identifies the buyer and a "+suffix" varies by
 * order or conversation (Allegro: `8f3k2j1h+a1b2c3@allegromail.pl`). Add a
 * marketplace here when its relay format is known; any country TLD matches.
 */
export const RELAY_DOMAINS: readonly RelayDomain[] = [
  { marketplace: 'allegro', domain: /(^|\.)allegromail\.[a-z]{2,}$/ },
  { marketplace: 'amazon', domain: /(^|\.)marketplace\.amazon\.(?:[a-z]{2,}|co\.[a-z]{2}|com\.[a-z]{2})$/ },
  { marketplace: 'ebay', domain: /(^|\.)members\.ebay\.(?:[a-z]{2,}|co\.[a-z]{2}|com\.[a-z]{2})$/ },
];

/** Lower-cased, trimmed, without the angle brackets some sources keep. */
export function normalizeEmail(address: string): string {
  return address
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .trim()
    .toLowerCase();
}

export function canonicalEmail(address: string): string {
  const normalized = normalizeEmail(address);
  const parts = splitAddress(normalized);
  if (!parts || !GMAIL_DOMAINS.has(parts.domain)) return normalized;
  const local = withoutTag(parts.local).replaceAll('.', '');
  return `${local}@gmail.com`;
}

/** The marketplace relay's buyer key, or null when the address is no relay. */
export function relayIdentity(address: string): string | null {
  const parts = splitAddress(normalizeEmail(address));
  if (!parts) return null;
  const relay = relayMarketplace(parts.domain);
  if (!relay) return null;
  return `${withoutTag(parts.local)}@${parts.domain}`;
}

/** The marketplace whose relay domain this is (`allegro`, `amazon`, …), or null. */
export function relayMarketplace(domain: string): string | null {
  const lower = domain.toLowerCase();
  return RELAY_DOMAINS.find((relay) => relay.domain.test(lower))?.marketplace ?? null;
}

/**
 * Marketplaces whose notifications name the buyer: a sender whose domain has
 * one of these as a label ("ebay.de", "members.ebay.com", "allegro.pl",
 * "mail.vinted.fr", "kaufland-marktplatz.de") writes for a marketplace. The
 * names, not the domains, are listed: every country domain matches.
 */
const MARKETPLACE_NAMES: ReadonlySet<string> = new Set([
  'allegro',
  'allegromail',
  'amazon',
  'ebay',
  'etsy',
  'kaufland',
  'vinted',
  'cdiscount',
  'bol',
  'zalando',
  'otto',
  'empik',
  'erli',
  'aliexpress',
  'fnac',
  'manomano',
  'emag',
  'rakuten',
  'mercadolibre',
  'mercadolivre',
  'walmart',
  'backmarket',
  'fruugo',
  'olx',
  'marktplaats',
  'wallapop',
  'leboncoin',
  'subito',
  'tradera',
  'blocket',
  'alza',
  'trendyol',
  'temu',
  'shopee',
  'miinto',
  'spartoo',
  'conrad',
  'idealo',
  'mall',
  'vestiairecollective',
  'depop',
]);

/** The marketplace a sender's domain belongs to (by a label of it), or null. */
export function marketplaceOfDomain(domain: string): string | null {
  for (const label of domain.toLowerCase().split(/[.-]/)) if (MARKETPLACE_NAMES.has(label)) return label;
  return relayMarketplace(domain);
}

export function emailDomain(address: string): string | null {
  return splitAddress(normalizeEmail(address))?.domain ?? null;
}

function splitAddress(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

function withoutTag(local: string): string {
  const plus = local.indexOf('+');
  return plus > 0 ? local.slice(0, plus) : local;
}
