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

/**
 * Logins in a notification from a marketplace's address, in whatever language
 * it is written ("Vous avez reçu un message de jean_dupont75", "Kupující
 * novak.petr vám napsal", "Köpare: annasvensson"): no list of phrases, only
 * shapes — a word holding a digit, "_", "." or "-" beside its letters, the
 * single word after a label and a colon that ends the line, and a single word
 * in quotes. The database decides which one is a buyer's login.
 */
export function scanMarketplaceLogins(line: string): string[] {
  const logins: string[] = [];
  for (const match of line.matchAll(LOGIN_SHAPED)) if (HAS_LETTER.test(match[0])) logins.push(match[0]);
  const labelled = LABEL_VALUE.exec(line)?.[1];
  if (labelled && HAS_LETTER.test(labelled)) logins.push(labelled);
  for (const match of line.matchAll(QUOTED_WORD)) if (match[1] && HAS_LETTER.test(match[1])) logins.push(match[1]);
  return logins;
}

const LOGIN_SHAPED =
  /(?<![\p{L}\p{N}._~-])(?=[\p{L}\p{N}._-]*[\d_.-])[\p{L}\p{N}][\p{L}\p{N}._-]{1,48}[\p{L}\p{N}](?![\p{L}\p{N}~]|[._-][\p{L}\p{N}])/gu;
const LABEL_VALUE = /^\s*\p{L}[\p{L} ]{0,30}\s?:\s*([\p{L}\p{N}][\p{L}\p{N}._-]{1,48}[\p{L}\p{N}])\s*$/u;
const QUOTED_WORD = /[„"“«'‚‘]([\p{L}\p{N}][\p{L}\p{N}._-]{1,48}[\p{L}\p{N}])[”"»'’‘“]/gu;
