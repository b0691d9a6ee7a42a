/**
 * Buyer logins named in marketplace notifications: "Kupujący mama_zosi
 * napisał:", "Nowa wiadomość od kupującego mama_zosi", "Buyer: dubois_m",
 * "Käufer: …", "login: …". After a colon any login-shaped word counts; in
 * running text ("Kupujący mama_zosi napisał") the word must look like a login
 * (holding a digit, "_", "." or "-"), or ordinary words would be taken.
 */
export function scanLogins(line: string): string[] {
  const logins: string[] = [];
  for (const match of line.matchAll(LOGIN)) {
    const hasColon = match[1] !== undefined;
    const login = match[2] ?? '';
    if (!HAS_LETTER.test(login)) continue;
    if (hasColon || LOGIN_LIKE.test(login)) logins.push(login);
  }
  return logins;
}

const BUYER_LABELS = [
  'kupując\\p{L}*',
  'kupujac\\p{L}*',
  'kupující\\p{L}*',
  'kupujici\\p{L}*',
  'buyer',
  "buyer's",
  'käufer(?:in)?',
  'kaeufer(?:in)?',
  'acheteur',
  'acheteuse',
  'acquirente',
  'comprador(?:a)?',
  'koper',
  'login',
  'użytkownik\\p{L}*',
  'uzytkownik\\p{L}*',
  'user(?:name)?',
  'benutzer(?:name)?',
  'benutzername',
  'pseudo',
  'nick(?:name)?',
  'buyer id',
];

/** The login is matched in a look-ahead, so a label standing where a login could be ("Login kupującego: …") is read as a label too. */
const LOGIN = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${BUYER_LABELS.join('|')})(?:(\\s*:)\\s*|\\s+)(?=[„"'“«]?([\\p{L}\\p{N}][\\p{L}\\p{N}._-]{1,48}[\\p{L}\\p{N}]))`,
  'giu',
);
const HAS_LETTER = /\p{L}/u;
const LOGIN_LIKE = /[\d_.-]/;
