/**
 * Postal codes look like short order numbers ("10-234", "80331"). One is
 * taken for a postcode when it is followed by a place name or stands in an
 * address line, which is how people write addresses in every country the
 * shops ship to. The caller skips this check after an order keyword.
 */
export function isPostcode(raw: string, line: string, end: number, before: string, isAddressLine: () => boolean): boolean {
  if (POLISH.test(raw)) return followedByPlaceName(line, end) || isAddressLine();
  if (!OTHER_FORMATS.some((pattern) => pattern.test(raw))) return false;
  if (isAddressLine()) return true;
  // Ambiguous shapes need the address layout too: "…, 80331 München" or a line starting with it.
  return followedByPlaceName(line, end) && FIELD_START.test(before);
}

/** PL "10-234": the hyphenated five digits no order-number format uses on its own. */
const POLISH = /^\d{2}-\d{3}$/;
/** DE/FR/IT/ES (5 digits), AT/CH/BE/DK/NL (4), CZ/SK/SE/GR ("110 00"), PT ("1000-001"). */
const OTHER_FORMATS: readonly RegExp[] = [/^\d{4,5}$/, /^\d{3} \d{2}$/, /^\d{4}-\d{3}$/];
const FIELD_START = /(?:^|[,;:])\s*$/;
const PLACE_NAME = /^\s+\p{Lu}\p{Ll}/u;

function followedByPlaceName(line: string, end: number): boolean {
  return PLACE_NAME.test(line.slice(end, end + 4));
}

/** Street, address and postcode words in the languages of the shops' customers. */
const ADDRESS_WORDS =
  /(?<![\p{L}])(?:ul|al|os|pl|str|ave|rd|bd|nám)\.(?=\s|\p{L})|(?<![\p{L}])(?:ulica|ulicy|aleja|street|road|avenue|rue|boulevard|via|viale|piazza|calle|avenida|plaza|ulice|náměstí|straat|laan|adres|adresu|address|adresse|anschrift|indirizzo|dirección|direccion|adresa|plz|postcode|zip)(?![\p{L}])|\p{L}(?:straße|strasse|gasse|allee|platz)(?![\p{L}])/iu;

/** Whether the line holds street or address words; callers evaluate it at most once per line. */
export function hasAddressWords(line: string): boolean {
  return ADDRESS_WORDS.test(line);
}
