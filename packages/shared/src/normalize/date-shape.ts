/**
 * Calendar dates written the common European, US and ISO ways
 * ("12.11.2026", "12/11/26", "2026-11-12", "12. 11. 2026", "12.11.2026r.").
 * Shared by the phone normaliser and the identifier extractor, both of which
 * must not mistake a date for a number.
 */

const DAY_FIRST = /^(\d{1,2})([./-])\s?(\d{1,2})\2\s?(\d{2}|\d{4})(?:r\.?)?$/;
const YEAR_FIRST = /^(\d{4})([./-])(\d{1,2})\2(\d{1,2})$/;

export function looksLikeDate(text: string): boolean {
  const value = text.trim();
  const dayFirst = DAY_FIRST.exec(value);
  if (dayFirst) return isDayAndMonth(Number(dayFirst[1]), Number(dayFirst[3]));
  const yearFirst = YEAR_FIRST.exec(value);
  if (yearFirst) return isMonthAndDay(Number(yearFirst[3]), Number(yearFirst[4]));
  return false;
}

/** Day-month or (US) month-day order. */
function isDayAndMonth(first: number, second: number): boolean {
  return isMonthAndDay(second, first) || isMonthAndDay(first, second);
}

function isMonthAndDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
