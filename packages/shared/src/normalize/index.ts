export {
  canonicalEmail,
  emailDomain,
  marketplaceOfDomain,
  normalizeEmail,
  RELAY_DOMAINS,
  relayIdentity,
  relayMarketplace,
} from './email.js';
export { parseAddressList, type ParsedAddress } from './address-list.js';
export { countryOfE164, nationalDigits, nationalKeys, normalizePhone, phoneAsIn, phoneCountry, storedNationalDigits } from './phone.js';
export { looksLikeDate } from './date-shape.js';
