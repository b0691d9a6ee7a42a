/** Text for HTML: the five characters HTML gives meaning escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plain-text template as HTML paragraphs (blank lines part paragraphs, single newlines are line breaks). */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The content of a rendered HTML document's `<body>` (the whole string when it has none). */
export function bodyContent(html: string): string {
  const open = /<body\b[^>]*>/i.exec(html);
  if (!open) return html;
  const start = open.index + open[0].length;
  const close = html.toLowerCase().lastIndexOf('</body>');
  return html.slice(start, close > start ? close : undefined);
}

/**
 * The reply's HTML with the rendered text put first: right after `<body…>`,
 * so the quote and the signature Thunderbird wrote stay below it untouched.
 */
export function insertAboveQuote(composeHtml: string, fragment: string): string {
  const block = `<div class="orderpost-template">${fragment}</div><br>`;
  const open = /<body\b[^>]*>/i.exec(composeHtml);
  if (!open) return block + composeHtml;
  const at = open.index + open[0].length;
  return composeHtml.slice(0, at) + block + composeHtml.slice(at);
}

/** The plain-text reply with the rendered text first, then a blank line, then what was there (quote, signature). */
export function insertAboveQuotePlain(composeText: string, text: string): string {
  return `${text.replace(/\s+$/, '')}\n\n${composeText}`;
}

/** The HTML to insert for a rendered template: its own HTML body, or its text as paragraphs. */
export function renderedFragment(rendered: { html: string | null; text: string }): string {
  return rendered.html ? bodyContent(rendered.html) : textToHtml(rendered.text);
}
