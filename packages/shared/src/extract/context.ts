import { classifyWord, foldWord } from './keywords.js';
import type { WordClass } from './keywords.js';

/**
 * Reads the words before a token ("zamówienia nr 10243", "Bestellnummer:
 * 10246", "commande eBay n° 12-11223-44556") and returns the class of the
 * nearest meaningful word. Number words ("nr", "#", "no.") are looked
 * through; a few ordinary words in between are tolerated ("order from eBay
 * 10243"); the look-back is limited to a short window, so this stays linear.
 */
export function classifyPreceding(textBefore: string): WordClass | null {
  const window = textBefore.length > LOOK_BACK ? textBefore.slice(-LOOK_BACK) : textBefore;
  const words = window.match(WORD) ?? [];
  let sawNumberWord = false;
  let ordinaryWords = 0;
  for (let index = words.length - 1; index >= 0; index--) {
    const cls = classifyWord(foldWord(words[index] ?? ''));
    if (cls === 'number') {
      sawNumberWord = true;
      continue;
    }
    if (cls !== null && cls !== 'conjunction') return cls;
    ordinaryWords++;
    if (ordinaryWords > MAX_ORDINARY_WORDS) break;
  }
  return sawNumberWord ? 'number' : null;
}

/**
 * True when the text ends with an order word and then a number word
 * ("zamówienie nr", "order #", "Bestellung Nr.", "commande n°"): what follows
 * is meant as an order number however short it is.
 */
export function saysOrderNumber(textBefore: string): boolean {
  const window = textBefore.length > LOOK_BACK ? textBefore.slice(-LOOK_BACK) : textBefore;
  if (!NUMBER_WORD_LAST.test(window)) return false;
  const words = window.match(WORD) ?? [];
  let index = words.length - 1;
  if (classifyWord(foldWord(words[index] ?? '')) !== 'number') return false;
  while (index >= 0 && classifyWord(foldWord(words[index] ?? '')) === 'number') index--;
  return index >= 0 && classifyWord(foldWord(words[index] ?? '')) === 'order';
}

/** The number word stands right before the number (only spaces, a dot, a colon or "°" between). */
const NUMBER_WORD_LAST = /(?:[\p{L}#№])[\s.:°º]*$/u;

/**
 * True when only punctuation and list words stand between two tokens
 * ("10240 und 10241", "10240, 10241"), so the second inherits the first's context.
 */
export function isListContinuation(between: string): boolean {
  if (between.length > LIST_GAP) return false;
  const words = between.match(WORD) ?? [];
  if (words.length > 1) return false;
  const word = words[0];
  if (word !== undefined && classifyWord(foldWord(word)) !== 'conjunction') return false;
  return LIST_PUNCTUATION.test(between.replace(WORD, ''));
}

const LOOK_BACK = 60;
const MAX_ORDINARY_WORDS = 2;
const LIST_GAP = 12;
/** Words, plus the number signs that are words of their own. */
const WORD = /[\p{L}\p{N}]+|[#№]/gu;
const LIST_PUNCTUATION = /^[\s,;/&+]*$/;
