/**
 * How identifiers typed by people are compared: upper case, every character
 * that is not a letter or digit removed ("zam. 10-243 / a" → "10243A"). Order
 * numbers, marketplace ids and tracking numbers are stored in this form too.
 */
export function compactIdentifier(value: string): string {
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
