import addressparser from 'addressparser';

/**
 * Reads an address header value (From, To, Cc, Reply-To) that has already
 * been RFC 2047-decoded. `addressparser` (the RFC 5322 reader nodemailer and
 * mailparser use) splits it; on top of it, decoding can leave commas unquoted
 * inside display names (`Müller, Hans <h@example.de>`), so a piece without an
 * address is taken as the start of the next piece's name instead of being
 * dropped. Groups are flattened at any depth (a group name is nobody's name) and
 * `mailto:` is stripped.
 */

export interface ParsedAddress {
  name: string | null;
  address: string;
}

export function parseAddressList(headerValue: string): ParsedAddress[] {
  const result: ParsedAddress[] = [];
  let nameParts: string[] = [];
  for (const piece of flatten(parsePieces(headerValue))) {
    const rawAddress = typeof piece.address === 'string' ? piece.address : '';
    const address = rawAddress.replace(/^mailto:/i, '').trim();
    const name = collapse(typeof piece.name === 'string' ? piece.name : '');
    if (!looksLikeAddress(address)) {
      // No address in this piece: part of a display name that held a comma.
      if (rawAddress === '' && name !== '') nameParts.push(name);
      continue;
    }
    if (name !== '') nameParts.push(name);
    result.push({ name: nameParts.length > 0 ? nameParts.join(', ') : null, address });
    nameParts = [];
  }
  return result;
}

/**
 * `addressparser` reads a group inside a group by calling itself, once per
 * level: a header of a couple of thousand colons (`::::…a@b.c`, within the
 * 4,000 characters the extractor reads) exhausts the stack, slowly. Groups do
 * not nest in RFC 5322, so a header with more colons than any real one has, or
 * one that still overflows, is read with its colons as spaces (no groups at
 * all); the addresses in it are still found.
 */
function parsePieces(headerValue: string): addressparser.EmailAddress[] {
  const withoutGroups = () => addressparser(headerValue.replaceAll(':', ' '));
  if (countColons(headerValue) > MAX_COLONS) return withoutGroups();
  try {
    return addressparser(headerValue);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return withoutGroups();
  }
}

const MAX_COLONS = 64;

function countColons(value: string): number {
  let count = 0;
  for (let index = value.indexOf(':'); index >= 0; index = value.indexOf(':', index + 1)) count++;
  return count;
}

/**
 * The addresses of groups, at any depth: `addressparser` nests a group inside
 * a group for input such as `a:b:c@d.e;;`. Iterative, so a header of many
 * colons cannot exhaust the stack.
 */
function flatten(pieces: readonly addressparser.EmailAddress[]): addressparser.EmailAddress[] {
  const out: addressparser.EmailAddress[] = [];
  const stack: addressparser.EmailAddress[] = [...pieces].reverse();
  while (stack.length > 0) {
    const piece = stack.pop();
    if (piece === undefined || piece === null || typeof piece !== 'object') continue;
    if (Array.isArray(piece.group)) {
      for (let index = piece.group.length - 1; index >= 0; index--) stack.push(piece.group[index] as addressparser.EmailAddress);
    } else {
      out.push(piece);
    }
  }
  return out;
}

function looksLikeAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1 && !/\s/.test(address);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
