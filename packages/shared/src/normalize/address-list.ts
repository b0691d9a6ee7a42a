/**
 * Reads an address header value (From, To, Cc, Reply-To) that has already
 * been RFC 2047-decoded. Decoding can leave commas unquoted inside display
 * names (`Müller, Hans <h@example.de>`), so a piece without an address is
 * taken as the start of the next piece's name instead of being dropped.
 */

export interface ParsedAddress {
  name: string | null;
  address: string;
}

interface Piece {
  phrase: string;
  angle: string | null;
  comment: string;
}

const emptyPiece = (): Piece => ({ phrase: '', angle: null, comment: '' });

export function parseAddressList(headerValue: string): ParsedAddress[] {
  const result: ParsedAddress[] = [];
  let nameParts: string[] = [];
  for (const piece of splitPieces(headerValue)) {
    const parsed = addressOf(piece);
    if (!parsed) {
      // No address in this piece: part of a display name that held a comma.
      const part = collapse(piece.phrase);
      if (part !== '') nameParts.push(part);
      continue;
    }
    if (parsed.name !== null) nameParts.push(parsed.name);
    result.push({ name: nameParts.length > 0 ? nameParts.join(', ') : null, address: parsed.address });
    nameParts = [];
  }
  return result;
}

/** Splits at top-level commas/semicolons, honouring quotes, comments, angle brackets and groups. */
function splitPieces(value: string): Piece[] {
  const pieces: Piece[] = [];
  let piece = emptyPiece();
  let inQuote = false;
  let commentDepth = 0;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    if (inQuote) {
      if (char === '\\' && i + 1 < value.length) piece.phrase += value.charAt(++i);
      else if (char === '"') inQuote = false;
      else piece.phrase += char;
    } else if (commentDepth > 0) {
      if (char === '(') commentDepth++;
      else if (char === ')') commentDepth--;
      if (commentDepth > 0) piece.comment += char;
    } else if (inAngle) {
      if (char === '>') inAngle = false;
      else piece.angle += char;
    } else if (char === '"') inQuote = true;
    else if (char === '(') commentDepth = 1;
    else if (char === '<') {
      inAngle = true;
      piece.angle = '';
    } else if (char === ',' || char === ';') {
      pieces.push(piece);
      piece = emptyPiece();
    } else if (char === ':' && piece.angle === null && !piece.phrase.includes('@')) {
      // "Group name: a@x, b@y;" — the group name is not a person's name.
      piece = emptyPiece();
    } else piece.phrase += char;
  }
  pieces.push(piece);
  return pieces;
}

function addressOf(piece: Piece): ParsedAddress | null {
  const comment = piece.comment.trim();
  if (piece.angle !== null) {
    const address = stripMailto(piece.angle.trim());
    if (!looksLikeAddress(address)) return null;
    const name = collapse(piece.phrase) || comment;
    return { name: name === '' ? null : name, address };
  }
  // Bare address, possibly with a stray display name before it ("John john@x").
  const words = piece.phrase.trim().split(/\s+/);
  const index = words.findIndex((word) => word.includes('@'));
  if (index < 0) return null;
  const address = stripMailto(words[index] ?? '');
  if (!looksLikeAddress(address)) return null;
  const name = collapse(words.slice(0, index).join(' ')) || comment;
  return { name: name === '' ? null : name, address };
}

function looksLikeAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1 && !/\s/.test(address);
}

function stripMailto(address: string): string {
  return address.replace(/^mailto:/i, '');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
