/**
 * Splits a plain-text body into lines and marks the ones that quote another
 * message, so identifiers found there can be weighed lower: a reply quoting
 * our own confirmation repeats its order number, but a forwarded or quoted
 * foreign thread says little about who is writing.
 *
 * Quoted: lines starting with ">", and everything from a reply attribution
 * ("On … wrote:", "W dniu … napisał(a):", "Am … schrieb …:", …), an
 * "-----Original Message-----"/forward separator or an Outlook header block
 * ("From: …" followed by "Sent:"/"Date:" within a few lines) to the end.
 */
export interface BodyLine {
  text: string;
  quoted: boolean;
}

export function splitQuotedLines(body: string): BodyLine[] {
  const lines = body.split(/\r\n?|\n/);
  const quotedFrom = quotedTailStart(lines);
  return lines.map((text, index) => ({ text, quoted: index >= quotedFrom || QUOTE_MARK.test(text) }));
}

const QUOTE_MARK = /^[ \t]*>/;

/** Index of the first line of a quoted tail, or the line count when there is none. */
function quotedTailStart(lines: readonly string[]): number {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (QUOTE_MARK.test(line)) continue;
    if (isSeparatorLine(line) || isOutlookHeader(lines, index)) return index;
    if (isAttribution(line)) return index;
    // Clients wrap long attributions: "On Mon, … John Smith <\njohn@example.com> wrote:".
    const next = lines[index + 1];
    if (next !== undefined && line.length < ATTRIBUTION_MAX && isAttribution(`${line} ${next}`)) return index;
  }
  return lines.length;
}

const ATTRIBUTION_MAX = 400;

/** Reply attributions of common clients in EN, PL, DE, FR, IT, ES, CZ, NL, PT. */
const ATTRIBUTIONS: readonly RegExp[] = [
  /^\s*On\s.{0,300}\swrote\s?:\s*$/i,
  /^\s*W dniu\s.{0,300}\s(?:napisał(?:\(a\)|a)?|pisze)\s?:\s*$/i,
  /^\s*Am\s.{0,300}\sschrieb\b.{0,200}:\s*$/i,
  /^\s*Le\s.{0,300}\sa écrit\s?:\s*$/i,
  /^\s*Il\s.{0,300}\sha scritto\s?:\s*$/i,
  /^\s*El\s.{0,300}\sescribió\s?:\s*$/i,
  /^\s*Dne\s.{0,300}\s(?:napsal(?:\(a\)|a)?)\s?:\s*$/i,
  /^\s*Op\s.{0,300}\sschreef\b.{0,200}:\s*$/i,
  /^\s*Em\s.{0,300}\sescreveu\s?:\s*$/i,
];

function isAttribution(line: string): boolean {
  if (line.length > ATTRIBUTION_MAX || !line.trimEnd().endsWith(':')) return false;
  return ATTRIBUTIONS.some((pattern) => pattern.test(line));
}

const SEPARATOR =
  /^\s*-{2,}\s*(?:original message|forwarded message|begin forwarded message|wiadomość oryginalna|oryginalna wiadomość|wiadomość przekazana dalej|przekazana wiadomość|ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|messaggio originale|messaggio inoltrato|mensaje original|mensaje reenviado|původní zpráva|přeposlaná zpráva|oorspronkelijk bericht|doorgestuurd bericht)\s*-{0,}\s*$/i;

function isSeparatorLine(line: string): boolean {
  return line.length < 120 && SEPARATOR.test(line);
}

const OUTLOOK_FROM = /^\s*\*?(?:From|Od|Von|De|Da|Van|Från|Fra)\s?:\*?\s/i;
const OUTLOOK_DATE =
  /^\s*\*?(?:Sent|Date|Wysłano|Data|Gesendet|Datum|Envoyé|Inviato|Enviado|Fecha|Odesláno|Verzonden|Skickat|Sendt)\s?:\*?\s/i;
const OUTLOOK_LOOKAHEAD = 4;

/** "From: X" followed within a few lines by "Sent:"/"Date:" starts a quoted original. */
function isOutlookHeader(lines: readonly string[], index: number): boolean {
  if (!OUTLOOK_FROM.test(lines[index] ?? '')) return false;
  for (let next = index + 1; next <= index + OUTLOOK_LOOKAHEAD && next < lines.length; next++) {
    if (OUTLOOK_DATE.test(lines[next] ?? '')) return true;
  }
  return false;
}
