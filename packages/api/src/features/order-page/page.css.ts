import { createHash } from 'node:crypto';

/**
 * The order page's only stylesheet, served from its own address (the CSP
 * allows `style-src 'self'` and nothing inline). Phone first: one column,
 * tables that turn into stacked rows below 36rem; wider screens get a
 * centred column. System fonts, no web fonts, no images but the shop's logo.
 */
export const pageCss = `
:root {
  color-scheme: light;
  --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --paper: #ffffff; --ground: #f4f6f8;
  --accent: #0b5cad; --accent-ink: #ffffff; --ok: #1a7f37; --ok-ground: #dafbe1; --bad: #b3261e; --bad-ground: #ffebe9;
  --mine: #eef5ff;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--ground); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: anywhere;
}
main { max-width: 48rem; margin: 0 auto; padding: 1rem; }
header.shop { display: flex; align-items: center; gap: .75rem; margin: .5rem 0 1rem; }
header.shop img { max-height: 3rem; max-width: 10rem; width: auto; height: auto; }
header.shop .name { font-size: 1.1rem; font-weight: 600; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
* + h2 { margin-top: 1.5rem; }
section, .card { background: var(--paper); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; margin: 0 0 1rem; }
.summary { display: grid; gap: .5rem 1.5rem; grid-template-columns: 1fr; margin: .75rem 0 1rem; }
.summary dt { color: var(--muted); font-size: .875rem; }
.summary dd { margin: 0; font-weight: 600; }
.status { display: inline-block; padding: .1rem .6rem; border-radius: 1rem; background: var(--mine); border: 1px solid var(--line); }
ol.history { list-style: none; margin: 0; padding: 0; }
ol.history li { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 1rem; padding: .35rem 0; border-top: 1px solid var(--line); }
ol.history li:first-child { border-top: 0; }
ol.history time, .meta { color: var(--muted); font-size: .875rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .5rem .25rem; border-top: 1px solid var(--line); vertical-align: top; }
thead th { border-top: 0; color: var(--muted); font-weight: 600; font-size: .875rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
.sku { display: block; color: var(--muted); font-size: .8rem; }
.text { white-space: pre-wrap; margin: 0; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li + li { margin-top: .75rem; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
ol.messages { list-style: none; margin: 0; padding: 0; }
ol.messages li { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; margin: 0 0 .75rem; }
ol.messages li.in { background: var(--mine); margin-left: 1.5rem; }
ol.messages li.out { margin-right: 1.5rem; }
ol.messages .who { font-weight: 600; }
ol.messages .subject { font-weight: 600; margin: .25rem 0; }
.notice { border-radius: .5rem; padding: .75rem 1rem; margin: 0 0 1rem; border: 1px solid; }
.notice.ok { background: var(--ok-ground); border-color: var(--ok); }
.notice.bad { background: var(--bad-ground); border-color: var(--bad); }
.notice.info { background: var(--paper); border-color: var(--line); }
form label { display: block; font-weight: 600; margin: 0 0 .25rem; }
form .field { margin: 0 0 1rem; }
form .hint { display: block; color: var(--muted); font-size: .875rem; margin: .25rem 0 0; }
textarea { width: 100%; min-height: 9rem; font: inherit; padding: .5rem; border: 1px solid var(--muted); border-radius: .375rem; resize: vertical; }
input[type=file] { font: inherit; max-width: 100%; }
button { font: inherit; font-weight: 600; background: var(--accent); color: var(--accent-ink); border: 0; border-radius: .375rem; padding: .65rem 1.25rem; min-height: 2.75rem; cursor: pointer; }
.hp { position: absolute !important; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
footer { color: var(--muted); font-size: .8rem; text-align: center; padding: 0 0 2rem; }
@media (max-width: 35.99rem) {
  table.items thead { position: absolute; left: -10000px; }
  table.items, table.items tbody, table.items tfoot, table.items tbody tr, table.items tbody td { display: block; width: 100%; }
  table.items tbody tr { border-top: 1px solid var(--line); padding: .5rem 0; }
  table.items td { border: 0; padding: .1rem 0; text-align: left; }
  table.items td.num { text-align: left; }
  table.items td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .875rem; }
  table.items tfoot tr { display: flex; justify-content: space-between; gap: 1rem; border-top: 2px solid var(--ink); }
  table.items tfoot th, table.items tfoot td { display: block; border: 0; padding: .5rem 0 0; }
  ol.messages li.in { margin-left: .75rem; }
  ol.messages li.out { margin-right: .75rem; }
}
@media (min-width: 36rem) {
  main { padding: 1.5rem; }
  .summary { grid-template-columns: repeat(3, auto); justify-content: start; }
}
@media print {
  body { background: #fff; }
  section, .card { border: 0; padding: 0; }
  form, .hp { display: none; }
}
`.trim();

/** The stylesheet's file name carries its hash, so it can be cached for good and a new version is a new address. */
export const pageCssName = `page.${createHash('sha256').update(pageCss).digest('hex').slice(0, 12)}.css`;
