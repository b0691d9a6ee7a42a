export { canonicalEmail, emailDomain, normalizeEmail, RELAY_DOMAINS, relayIdentity, relayMarketplace } from './email.js';
export { parseAddressList, type ParsedAddress } from './address-list.js';
export { normalizePhone, phoneCountry } from './phone.js';
export { looksLikeDate } from './date-shape.js';
