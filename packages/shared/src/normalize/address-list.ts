import addressparser from 'addressparser';

/**
 * Reads an address header value (From, To, Cc, Reply-To) that has already
 * been RFC 2047-decoded. `addressparser` (the RFC 5322 reader nodemailer and
 * mailparser use) splits it; on top of it, decoding can leave commas unquoted
 * inside display names (`Müller, Hans <h@example.de>`), so a piece without an
 * address is taken as the start of the next piece's name instead of being
 * dropped. Groups are flattened (a group name is nobody's name) and
 * `mailto:` is stripped.
 */

export interface ParsedAddress {
  name: string | null;
  address: string;
}

export function parseAddressList(headerValue: string): ParsedAddress[] {
  const result: ParsedAddress[] = [];
  let nameParts: string[] = [];
  for (const piece of flatten(addressparser(headerValue))) {
    const address = piece.address.replace(/^mailto:/i, '').trim();
    const name = collapse(piece.name);
    if (!looksLikeAddress(address)) {
      // No address in this piece: part of a display name that held a comma.
      if (piece.address === '' && name !== '') nameParts.push(name);
      continue;
    }
    if (name !== '') nameParts.push(name);
    result.push({ name: nameParts.length > 0 ? nameParts.join(', ') : null, address });
    nameParts = [];
  }
  return result;
}

function flatten(pieces: addressparser.EmailAddress[]): addressparser.EmailAddress[] {
  return pieces.flatMap((piece) => (piece.group ? piece.group : [piece]));
}

function looksLikeAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1 && !/\s/.test(address);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
