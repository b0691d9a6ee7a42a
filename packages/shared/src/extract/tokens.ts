import { compactIdentifier } from '../identifiers.js';
import { classifyPreceding, isListContinuation } from './context.js';
import type { WordClass } from './keywords.js';
import { classifyWord, foldWord } from './keywords.js';
import { isPostcode } from './postcode.js';
import { looksLikeInvoiceNumber, rejectedShape, tokenKind } from './shapes.js';
import type { RejectedKind, TokenContext, TokenKind } from './types.js';

/**
 * Order-number-like tokens of one line (URLs and e-mail addresses already
 * masked). A token is a maximal run of ASCII letters and digits joined by
 * "-", "/", "." or (between digits) a comma or a single space, and holding
 * at least one digit. Runs are maximal, so "110243" never yields "10243", and
 * a run glued to other letters ("№10243ó") is skipped altogether.
 *
 * A run typed with spaces ("10240 10241", "302 4417781 5520342") is returned
 * whole; its space-separated parts of five or more characters are returned
 * too, because people also list numbers with a space. Shorter parts are digit
 * groups ("6201 2345 …") and are not numbers of their own.
 */
export interface ScannedToken {
  raw: string;
  compact: string;
  start: number;
  end: number;
  context: TokenContext;
  kind: TokenKind;
}

export interface ScannedRejection {
  raw: string;
  start: number;
  end: number;
  kind: RejectedKind;
}

export interface LineTokens {
  tokens: ScannedToken[];
  rejected: ScannedRejection[];
}

export function scanTokens(line: string): LineTokens {
  const result: LineTokens = { tokens: [], rejected: [] };
  let previous: { end: number; context: TokenContext } | null = null;
  for (const match of line.matchAll(RUN)) {
    const run = trimLeadingLabel(match[0], match.index);
    if (!HAS_DIGIT.test(run.raw) || isGluedToWord(line, run.end)) continue;

    const context = previous && isListContinuation(line.slice(previous.end, run.start)) && previous.context !== 'bare'
      ? { cls: contextClass(previous.context) }
      : { cls: classifyPreceding(line.slice(previous?.end ?? 0, run.start)) };
    const variants = runVariants(run);
    const whole = variants[0];
    if (!whole) continue;
    const accepted = classifyCandidate(line, whole, context.cls, result);
    if (accepted && whole.raw !== run.raw) continue;
    if (accepted === null && variants.length > 1 && !whole.raw.includes(',')) {
      // The whole run was too short or rejected; its parts are not looked at either.
    }
    if (accepted && (accepted.kind === 'number' || accepted.kind === 'code')) {
      for (const part of variants.slice(1)) classifyCandidate(line, part, context.cls, result);
    }
    const last = result.tokens[result.tokens.length - 1];
    previous = { end: run.end, context: last && last.end <= run.end && last.start >= run.start ? last.context : 'bare' };
  }
  return result;
}
