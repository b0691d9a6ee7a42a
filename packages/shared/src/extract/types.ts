/** What the extractor reads: header values already RFC 2047-decoded, bodies already decoded. */
export interface MessageInput {
  from?: string;
  replyTo?: string;
  to?: string;
  cc?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  subject?: string;
  date?: string;
  /** Decoded text/plain body. */
  text?: string;
  /** Decoded text/html body: converted to text and scanned too (it is all there is for HTML-only mail). */
  html?: string;
}

export interface ExtractOptions {
  /**
   * ISO country for phone numbers written without a country code ("600 987 654").
   * Without it only international notation ("+48 …", "0048 …") is read as a phone.
   */
  defaultCountry?: string;
  /** The shop's own domains (subdomains included); their addresses identify no buyer and are left out. */
  ownDomains?: string[];
}

/**
 * Where an item was found. Body text is 'body', or 'quoted' when it sits in a
 * quoted part of the body (reply quotes, forwarded or original messages);
 * `quoted` repeats that as a flag so callers can filter either way.
 */
export type Where = 'from' | 'reply-to' | 'to' | 'cc' | 'subject' | 'body' | 'quoted';
export type TextWhere = Extract<Where, 'subject' | 'body' | 'quoted'>;

export interface ExtractedEmail {
  /** `normalizeEmail`: trimmed, lower-cased. */
  address: string;
  /** `canonicalEmail`: Gmail dots and +tags folded. */
  canonical: string;
  /** `relayIdentity`: the marketplace relay's buyer key, or null for ordinary addresses. */
  relay: string | null;
  /** Display name from the header (often the buyer's name or marketplace login); null in bodies. */
  name: string | null;
  /** 'sender' for From/Reply-To, 'recipient' for To/Cc, 'mentioned' for addresses written in the text. */
  role: 'sender' | 'recipient' | 'mentioned';
  where: Where;
  quoted: boolean;
}

/**
 * A Message-ID from In-Reply-To or References, without angle brackets.
 * Case is kept as written; Message-IDs are compared case-insensitively
 * (some gateways change their case), so duplicates differing only in case are dropped.
 */
export interface ExtractedMessageId {
  id: string;
  header: 'in-reply-to' | 'references';
}

/**
 * What the words before a token say it is: 'keyword' after an order keyword
 * ("order", "#", "nr", "zamówienie", "Bestellnummer", …), 'tracking' after a
 * parcel word or carrier name, 'invoice' after an invoice word or for an
 * invoice-numbered shape ("FV/2026/11/123"), 'bare' with no such word.
 */
export type TokenContext = 'keyword' | 'tracking' | 'invoice' | 'bare';

/** Shapes recognised among candidate tokens (a hint; the database decides). */
export type TokenKind = 'number' | 'code' | 'uuid' | 'marketplace-order' | 'tracking';

/** Shapes that are never order references; such tokens go to `rejected`. */
export type RejectedKind = 'postcode' | 'date' | 'price' | 'percent' | 'quantity' | 'iban' | 'tax-id' | 'phone' | 'url';

export interface ExtractedToken {
  /** As written, e.g. "302 4417781 5520342". */
  raw: string;
  /** `compactIdentifier(raw)`: upper case, separators removed. */
  compact: string;
  where: TextWhere;
  quoted: boolean;
  context: TokenContext;
  kind: TokenKind;
}

export interface RejectedToken {
  raw: string;
  kind: RejectedKind;
  where: TextWhere;
  quoted: boolean;
}

/**
 * A phone number: `e164` when the shop's country (or international notation)
 * reads it, null for national notation of another country; `national` is what
 * it is looked up by in any country (`nationalDigits`).
 */
export interface ExtractedPhone {
  raw: string;
  e164: string | null;
  national: string;
  where: TextWhere;
  quoted: boolean;
}

export interface ExtractedLogin {
  /** As written; marketplace logins are compared case-insensitively. */
  login: string;
  where: TextWhere;
  quoted: boolean;
}

export interface ExtractedIdentifiers {
  emails: ExtractedEmail[];
  messageIds: ExtractedMessageId[];
  tokens: ExtractedToken[];
  phones: ExtractedPhone[];
  logins: ExtractedLogin[];
  /** Number-like strings recognised as something else (dates, prices, postcodes, URLs, …), for debugging. */
  rejected: RejectedToken[];
  /**
   * Parts read only in part (`readLimits`): set by `extractIdentifiers`, empty
   * when everything was read. Not part of the API request.
   */
  truncated?: TruncatedPart[];
}

/**
 * A part of the message read only in part: nothing past its first `read`
 * characters (In-Reply-To and References: before its last `read`) was read.
 * For the HTML part, `read` ends where the piece of text that reached the
 * bound starts.
 */
export interface TruncatedPart {
  part: 'from' | 'reply-to' | 'to' | 'cc' | 'subject' | 'in-reply-to' | 'references' | 'text' | 'html';
  read: number;
  length: number;
}
