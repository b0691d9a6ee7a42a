/**
 * HTML character references → text, without a DOM (the extractor runs in
 * Node and in the add-on alike). Numeric references are decoded fully; named
 * ones cover markup characters, Latin-1 and the letters of the languages the
 * shops write in, which is what mail clients emit.
 */

const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

const OTHER_NAMED: Record<string, number> = {
  amp: 0x26,
  lt: 0x3c,
  gt: 0x3e,
  quot: 0x22,
  apos: 0x27,
  euro: 0x20ac,
  ndash: 0x2013,
  mdash: 0x2014,
  lsquo: 0x2018,
  rsquo: 0x2019,
  sbquo: 0x201a,
  ldquo: 0x201c,
  rdquo: 0x201d,
  bdquo: 0x201e,
  hellip: 0x2026,
  bull: 0x2022,
  trade: 0x2122,
  zwnj: 0x200c,
  zwj: 0x200d,
  lrm: 0x200e,
  rlm: 0x200f,
  thinsp: 0x2009,
  ensp: 0x2002,
  emsp: 0x2003,
  OElig: 0x152,
  oelig: 0x153,
  Scaron: 0x160,
  scaron: 0x161,
  Yuml: 0x178,
  Zcaron: 0x17d,
  zcaron: 0x17e,
  Aogon: 0x104,
  aogon: 0x105,
  Cacute: 0x106,
  cacute: 0x107,
  Ccaron: 0x10c,
  ccaron: 0x10d,
  Dcaron: 0x10e,
  dcaron: 0x10f,
  Eogon: 0x118,
  eogon: 0x119,
  Ecaron: 0x11a,
  ecaron: 0x11b,
  Lstrok: 0x141,
  lstrok: 0x142,
  Nacute: 0x143,
  nacute: 0x144,
  Ncaron: 0x147,
  ncaron: 0x148,
  Rcaron: 0x158,
  rcaron: 0x159,
  Sacute: 0x15a,
  sacute: 0x15b,
  Tcaron: 0x164,
  tcaron: 0x165,
  Uring: 0x16e,
  uring: 0x16f,
  Zacute: 0x179,
  zacute: 0x17a,
  Zdot: 0x17b,
  zdot: 0x17c,
};

const NAMED: ReadonlyMap<string, string> = buildNamedTable();

const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g;

export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (match, decimal?: string, hex?: string, name?: string) => {
    if (decimal !== undefined) return fromCodePoint(Number.parseInt(decimal, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    return (name !== undefined && NAMED.get(name)) || match;
  });
}

function fromCodePoint(code: number): string {
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return String.fromCodePoint(valid ? code : 0xfffd);
}

function buildNamedTable(): Map<string, string> {
  const table = new Map<string, string>();
  LATIN1_NAMES.split(' ').forEach((name, index) => {
    table.set(name, String.fromCodePoint(0xa0 + index));
  });
  for (const [name, code] of Object.entries(OTHER_NAMED)) table.set(name, String.fromCodePoint(code));
  return table;
}
