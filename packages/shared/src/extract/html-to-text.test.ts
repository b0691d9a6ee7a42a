import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-to-text.js';

describe('htmlToText', () => {
  it.each([
    [
      'inline markup joins, blocks break lines',
      '<p>Hi!</p><p>The gift card from order <b>10245</b> was missing.</p>',
      'Hi!\nThe gift card from order 10245 was missing.',
    ],
    ['br breaks a line', 'line one<br>line two<br/>line three', 'line one\nline two\nline three'],
    ['white space collapses', '<p>  order\n\n   10245  </p>', 'order 10245'],
    [
      'scripts, styles and the head are dropped',
      '<head><title>10241</title><style>.a{}</style></head><script>var n = 10242;</script><p>ok</p>',
      'ok',
    ],
    ['comments are dropped', 'a<!-- 10243 -->b', 'ab'],
    [
      'table cells are kept apart',
      '<table><tr><td>Order</td><td>10245</td></tr><tr><td>12</td><td>34</td></tr></table>',
      'Order\t10245\n12\t34',
    ],
    ['attributes with ">" in quotes are no text', '<a href="https://shop.example/u/10240" title="x">Unsubscribe</a>', 'Unsubscribe'],
    ['stray "<" stays text', 'a < b and 3<4', 'a < b and 3<4'],
    ['pre keeps its lines', '<pre>a  b\nc</pre>', 'a  b\nc'],
    ['unclosed script drops the rest', '<p>x</p><script>10243', 'x'],
  ])('%s', (_label, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('prefixes blockquote lines with "> " per level', () => {
    const html =
      '<p>New text</p><div>On Mon, Jan wrote:</div><blockquote><p>Old 10231</p><blockquote>Older</blockquote></blockquote><p>After</p>';
    expect(htmlToText(html).split('\n')).toEqual(['New text', 'On Mon, Jan wrote:', '> Old 10231', '> > Older', 'After']);
  });
});

/** Character references (decoded by the `entities` package, as the HTML standard says). */
describe('htmlToText decodes character references', () => {
  it.each([
    ['zam&oacute;wienie', 'zamówienie'],
    ['Bestell&shy;nummer', 'Bestell\u00adnummer'],
    ['&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39;', '<b> & "x" \'y\''],
    ['&#322;&#x105;&#X17C;', 'łąż'],
    ['1&nbsp;199,00&nbsp;z&lstrok;', '1\u00a0199,00\u00a0zł'],
    ['&euro;24.90', '€24.90'],
    ['&unknown; &#0; &#xD800;', '&unknown; \ufffd \ufffd'],
    ['&rarr; &hellip; &check;', '→ … ✓'],
    ['no entities', 'no entities'],
  ])('%s', (input, expected) => {
    expect(htmlToText(`<p>${input}</p>`)).toBe(expected);
  });
});
