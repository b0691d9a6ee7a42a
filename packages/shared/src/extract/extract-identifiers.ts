import { foldDigits } from '../identifiers.js';
import { parseAddressList } from '../normalize/address-list.js';
import { canonicalEmail, emailDomain, marketplaceOfDomain, normalizeEmail, relayIdentity } from '../normalize/email.js';
import { type Bounded, prefixWithin, readLimits, suffixWithin } from './bounds.js';
import { IdentifierCollector } from './collector.js';
import { capIdentifiers } from './limits.js';
import { convertHtml } from './html-to-text.js';
import { scanLogins, scanMarketplaceLogins } from './logins.js';
import { extractMessageIds } from './message-ids.js';
import type { Range } from './phones.js';
import { scanPhones } from './phones.js';
import { splitQuotedLines } from './quoted.js';
import { findEmailAddresses, findUrls, maskSpans } from './spans.js';
import type { WordClass } from './keywords.js';
import type { LineTokens } from './tokens.js';
import { scanTokens } from './tokens.js';
import type { ExtractedEmail, ExtractedIdentifiers, ExtractOptions, MessageInput, TextWhere, TruncatedPart, Where } from './types.js';

/**
 * Everything in a message that may identify the order(s) it is about: header
 * addresses, the Message-IDs it replies to, and the order numbers, tracking
 * numbers, phones, addresses and marketplace logins written in the subject
 * and the body. Pure: no I/O, no DOM; runs in Node and in the add-on.
 * Reads each part only up to `readLimits` and lists what it cut in `truncated`.
 */
export function extractIdentifiers(message: MessageInput, options: ExtractOptions = {}): ExtractedIdentifiers {
  const scan: Scan = {
    collector: new IdentifierCollector(),
    isOwn: ownDomainMatcher(options.ownDomains),
    defaultCountry: options.defaultCountry,
    truncated: [],
    candidatesLeft: readLimits.candidates,
    fromMarketplace: false,
  };
  addHeaderAddresses(scan, message.from, 'from', 'sender');
  addHeaderAddresses(scan, message.replyTo, 'reply-to', 'sender');
  addHeaderAddresses(scan, message.to, 'to', 'recipient');
  addHeaderAddresses(scan, message.cc, 'cc', 'recipient');
  scan.fromMarketplace = addMarketplaceSender(scan);
  if (message.subject) {
    const subject = read(scan, prefixWithin('subject', message.subject, readLimits.header));
    const stoppedAt = scanLine(scan, subject, 'subject');
    if (stoppedAt !== null) noteCut(scan, 'subject', stoppedAt, message.subject.length);
  }
  scanBodies(scan, bodiesOf(scan, message));
  const inReplyTo = message.inReplyTo && read(scan, suffixWithin('in-reply-to', message.inReplyTo, readLimits.references));
  const references = message.references && read(scan, suffixWithin('references', message.references, readLimits.references));
  return capIdentifiers({ ...scan.collector.result(extractMessageIds(inReplyTo, references)), truncated: scan.truncated });
}

type AddressHeader = Extract<Where, TruncatedPart['part']>;

interface Scan {
  collector: IdentifierCollector;
  isOwn: (address: string) => boolean;
  defaultCountry: string | undefined;
  truncated: TruncatedPart[];
  /** Number-like candidates left to classify (`readLimits.candidates`). */
  candidatesLeft: number;
  /** The sender writes for a marketplace: logins are read by their shape, in any language. */
  fromMarketplace: boolean;
}

/** A body part as text, with what is needed to say how much of the part was read. */
interface Body {
  part: 'text' | 'html';
  text: string;
  length: number;
  /** The HTML the text was converted from (for the HTML part). */
  html?: string;
}

/**
 * Scans the bodies line by line until the candidates run out; then notes the
 * part where that happened as read up to there and the parts after it as not read.
 */
function scanBodies(scan: Scan, bodies: Body[]): void {
  let stopped = scan.candidatesLeft <= 0;
  for (const body of bodies) {
    if (stopped) {
      if (body.text !== '') noteCut(scan, body.part, 0, body.length);
      continue;
    }
    let offset = 0;
    for (const line of splitQuotedLines(body.text)) {
      const stoppedAt = scanLine(scan, line.text, line.quoted ? 'quoted' : 'body');
      if (stoppedAt !== null) {
        const textRead = offset + stoppedAt;
        noteCut(scan, body.part, body.html === undefined ? textRead : convertHtml(body.html, textRead).consumed, body.length);
        stopped = true;
        break;
      }
      offset += line.text.length;
      offset += body.text.startsWith('\r\n', offset) ? 2 : 1;
    }
  }
}

/** A part read only up to `read`: replaces what a character bound noted for it, as less was read. */
function noteCut(scan: Scan, part: TruncatedPart['part'], read: number, length: number): void {
  scan.truncated = scan.truncated.filter((cut) => cut.part !== part);
  scan.truncated.push({ part, read, length });
}

/** The text to read, noting a cut. */
function read(scan: Scan, bounded: Bounded): string {
  if (bounded.truncated) scan.truncated.push(bounded.truncated);
  return bounded.text;
}

/** The text part from the top, then the HTML part's text with what is left of the body budget. */
function bodiesOf(scan: Scan, message: MessageInput): Body[] {
  const bodies: Body[] = [];
  let room: number = readLimits.bodyText;
  if (message.text) {
    const text = prefixWithin('text', message.text, room);
    bodies.push({ part: 'text', text: read(scan, text), length: message.text.length });
    // A text part cut at the budget spent it all: the HTML part is then mostly the same words.
    room = text.truncated ? 0 : room - text.text.length;
  }
  if (message.html) {
    const html = prefixWithin('html', message.html, readLimits.html);
    const converted = room > 0 ? convertHtml(html.text, room) : { text: '', consumed: 0 };
    if (converted.consumed < message.html.length)
      scan.truncated.push({ part: 'html', read: converted.consumed, length: message.html.length });
    bodies.push({ part: 'html', text: converted.text, length: message.html.length, html: html.text });
  }
  return bodies;
}

function addHeaderAddresses(scan: Scan, value: string | undefined, where: AddressHeader, role: ExtractedEmail['role']): void {
  if (!value) return;
  for (const { name, address } of parseAddressList(read(scan, prefixWithin(where, value, readLimits.header)))) {
    if (scan.isOwn(address)) continue;
    scan.collector.addEmail({ ...addressForms(address), name, role, where, quoted: false });
  }
}

/**
 * Whether a sender (From, Reply-To) writes for a marketplace; if so, the
 * login-shaped words of the sender's display name ("kawosz_88 via eBay") are
 * candidate logins too.
 */
function addMarketplaceSender(scan: Scan): boolean {
  const senders = scan.collector.senders();
  const marketplace = senders.some((sender) => {
    const domain = emailDomain(sender.address);
    return domain !== null && marketplaceOfDomain(domain) !== null;
  });
  if (!marketplace) return false;
  for (const sender of senders) {
    // The display name is a header like the subject, and as much the sender's own words.
    for (const login of scanMarketplaceLogins(sender.name ?? '')) scan.collector.addLogin({ login, where: 'subject', quoted: false });
  }
  return true;
}

function addressForms(address: string): Pick<ExtractedEmail, 'address' | 'canonical' | 'relay'> {
  return { address: normalizeEmail(address), canonical: canonicalEmail(address), relay: relayIdentity(address) };
}

/** Reads one line; returns where it stopped when the candidates ran out (null: read whole). */
function scanLine(scan: Scan, line: string, where: TextWhere): number | null {
  const quoted = where === 'quoted';
  const { collector } = scan;

  const urls = findUrls(line);
  for (const url of urls) if (HAS_DIGIT.test(url.text)) collector.addRejected({ raw: url.text, kind: 'url', where, quoted });
  const withoutUrls = maskSpans(line, urls);

  const addresses = findEmailAddresses(withoutUrls);
  for (const { text } of addresses) {
    if (!scan.isOwn(text)) collector.addEmail({ ...addressForms(text), name: null, role: 'mentioned', where, quoted });
  }
  // Numbers written in Arabic-Indic, Devanagari, full-width … digits are read as
  // their values, full-width letters and signs ("ＡＢ－２０２５") as ASCII; one
  // BMP character for one, so every offset into the line stays valid.
  const masked = foldBmpDigits(foldFullWidth(maskSpans(withoutUrls, addresses)));

  for (const login of scanLogins(masked)) collector.addLogin({ login, where, quoted });
  if (scan.fromMarketplace && !quoted) for (const login of scanMarketplaceLogins(masked)) collector.addLogin({ login, where, quoted });
  if (!HAS_DIGIT.test(masked) && !CAPITALS_RUN.test(masked)) return null;

  const found = scanTokens(masked, scan.candidatesLeft);
  scan.candidatesLeft -= found.candidates;
  for (const { raw, compact, context, kind } of found.tokens) collector.addToken({ raw, compact, where, quoted, context, kind });
  for (const { raw, kind } of found.rejected) collector.addRejected({ raw, kind, where, quoted });
  // Phones only where tokens were read: a phone's digits are a candidate run too.
  const phoneText = found.stoppedAt === null ? masked : masked.slice(0, found.stoppedAt);
  for (const { raw, e164, national } of scanPhones(phoneText, notPhones(found), scan.defaultCountry))
    collector.addPhone({ raw, e164, national, where, quoted });
  return found.stoppedAt;
}

const HAS_DIGIT = /\d/;
/** A word of capitals may be an order reference ("KHWLILZLL", see tokens.ts). */
const CAPITALS_RUN = /[A-Z]{6}/;
/** A long number after these words is kept as a token (it may be ours) but is no phone. */
const NO_PHONE_WORDS: ReadonlySet<WordClass | null> = new Set<WordClass | null>(['bank', 'tax', 'postcode']);
const BMP_NON_ASCII_DIGIT = /(?![0-9]|[\u{10000}-\u{10ffff}])\p{Nd}/gu;

/** Full-width forms of ASCII (U+FF01–U+FF5E) and the ideographic space, as ASCII. */
function foldFullWidth(line: string): string {
  return FULL_WIDTH.test(line)
    ? line.replace(FULL_WIDTH_ALL, (char) => (char === '\u3000' ? ' ' : String.fromCharCode(char.charCodeAt(0) - 0xfee0)))
    : line;
}

const FULL_WIDTH = /[\uff01-\uff5e\u3000]/;
const FULL_WIDTH_ALL = /[\uff01-\uff5e\u3000]/g;

function foldBmpDigits(line: string): string {
  return line.replace(BMP_NON_ASCII_DIGIT, foldDigits);
}

/**
 * Ranges a phone may not overlap: tokens named by an order, parcel or invoice
 * word or recognisable by shape, and every rejected shape except phones. A
 * bare "nr"/"numer" is no such word: "mój numer 600 987 654" is a phone.
 */
function notPhones(found: LineTokens): Range[] {
  const identified = found.tokens.filter(
    (token) =>
      (token.context !== 'bare' && token.wordClass !== 'number') ||
      (token.kind !== 'number' && token.kind !== 'code') ||
      NO_PHONE_WORDS.has(token.wordClass),
  );
  return [...identified, ...found.rejected.filter((rejected) => rejected.kind !== 'phone')];
}

function ownDomainMatcher(ownDomains: readonly string[] | undefined): (address: string) => boolean {
  const domains = (ownDomains ?? []).map((domain) => domain.trim().toLowerCase()).filter((domain) => domain !== '');
  if (domains.length === 0) return () => false;
  return (address) => {
    const domain = emailDomain(address);
    return domain !== null && domains.some((own) => domain === own || domain.endsWith(`.${own}`));
  };
}
