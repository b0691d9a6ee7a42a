import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('printable', () => {
  it.each([
    ['Anna (owner)', 'Anna (owner)'],
    ['Zażółć gęślą jaźń 🚚', 'Zażółć gęślą jaźń 🚚'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['line\nbreak\rover', 'line\\x0abreak\\x0dover'],
    ['tab\there', 'tab\\x09here'],
    ['c1 \u009b31m', 'c1 \\x9b31m'],
    ['del\u007f', 'del\\x7f'],
    ['\u202eevil', '\\u{202e}evil'],
    ['back\\slash', 'back\\\\slash'],
  ])('%j → %j', (input, shown) => {
    expect(printable(input)).toBe(shown);
  });
});
