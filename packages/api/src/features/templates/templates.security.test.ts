import { eq } from 'drizzle-orm';
import { renderedTemplate, templateSaved } from '@orderpost/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, errorBody, json, type TestContext } from '../../../test/context.js';
import { orders } from '../../db/schema/index.js';
import { findActiveContent } from './templates.active-content.js';
import { renderForOrder } from './templates.render.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await t.call('PATCH', '/v1/settings', { publicBaseUrl: 'https://sklep.example.pl' });
});
afterAll(() => t.close());

function save(body: Record<string, unknown>) {
  return t.call('POST', '/v1/templates', { name: 'Security', subject: 'Order [order_number]', format: 'html', content: 'x', ...body });
}

async function saved(body: Record<string, unknown>) {
  const res = await save(body);
  if (res.status !== 201) throw new Error(`saving answered ${res.status}: ${await res.text()}`);
  return json(res, templateSaved);
}

async function refusedWith(res: Response, status: number, code: string) {
  const body = await errorBody(res);
  expect({ status: res.status, code: body.error.code }, body.error.message).toEqual({ status, code });
  return body;
}

describe('hostile order data comes out inert', () => {
  const hostileNames = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    '</p><iframe src=//evil.example>',
  ];

  it.each(hostileNames)('buyer name %s is escaped in HTML text and in quoted attributes', async (name) => {
    const order = await createOrder(t, { buyer: { name, email: 'x@example.pl' } });
    const template = await saved({
      content: '<p>Hello [name]</p><a href="[order_link]" title="[name]">page</a><p>{{ name | raw }}</p><p>{{ name | upcase }}</p>',
    });
    const res = await t.call('POST', `/v1/templates/${template.id}/render`, { orderId: order.id }, { role: 'agent' });
    const message = await json(res, renderedTemplate);
    const html = message.html ?? '';
    expect(findActiveContent(html)).toBeNull();
    expect(html).not.toMatch(/<(script|img|iframe)/i);
    expect(html).toContain(
      `<p>Hello ${name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</p>`,
    );
    // The text part is text: the name as written, which no client runs.
    expect(message.text).toContain(`Hello ${name}`);

    // A template of [tags] only takes the fast path (no Liquid tree): the same escaping.
    const tagsOnly = await saved({ content: '<p>Hello [name]</p><a href="[order_link]" title="[name]">page</a>' });
    const fast = await json(
      await t.call('POST', `/v1/templates/${tagsOnly.id}/render`, { orderId: order.id }, { role: 'agent' }),
      renderedTemplate,
    );
    expect(fast.html).toBe(html.slice(0, html.indexOf('</a>') + 4));
    expect(findActiveContent(fast.html ?? '')).toBeNull();
  });

  it('keeps CR/LF and other controls in order data out of the subject', async () => {
    const order = await createOrder(t, { extraFields: { delivery_method: 'Courier\r\nBcc: victim@example.com' } });
    // However a name got in (an import, an old row), a subject is one line.
    await t.database.db.update(orders).set({ buyerName: 'Anna\r\nBcc: evil@example.com\u0007\u001b' }).where(eq(orders.id, order.id));
    const template = await saved({
      subject: '[name] / [delivery_method] / [delivery_address]',
      preheader: 'For [name]',
      content: '<p>[name]</p>',
    });
    const message = await json(
      await t.call('POST', `/v1/templates/${template.id}/render`, { orderId: order.id }, { role: 'agent' }),
      renderedTemplate,
    );
    expect(message.subject).not.toMatch(/[\r\n\p{Cc}]/u);
    expect(message.subject).toBe(
      'Anna, Bcc: evil@example.com / Courier, Bcc: victim@example.com / Anna Kowalska, ul. Długa 5, 10-234 Olsztyn, Polska',
    );
    expect(message.preheader).toBe('For Anna, Bcc: evil@example.com');
  });

  it.each([
    ['a URL attribute', '<a href="{{ delivery_method }}">track</a>', 'javascript:alert(1)'],
    ['an unquoted attribute', '<div title={{ delivery_method }}>x</div>', 'x onmouseover=alert(1)'],
    ['a tag name', '<{{ delivery_method }}>', 'script src=//evil.example/x.js'],
  ])(
    'refuses to render when a template puts order data into %s and it becomes active (422 ACTIVE_CONTENT)',
    async (_label, content, value) => {
      const order = await createOrder(t, { extraFields: { delivery_method: value } });
      const template = await saved({ content });
      const res = await t.call('POST', `/v1/templates/${template.id}/render`, { orderId: order.id }, { role: 'agent' });
      await refusedWith(res, 422, 'ACTIVE_CONTENT');
    },
  );
});

describe('unknown tags', () => {
  it('are refused with 422 UNKNOWN_TAGS listing each, wherever they are', async () => {
    const res = await save({
      subject: 'Order [order_no]',
      preheader: 'Hi [firstname]',
      content: '<p>[nam] [name] [Name] [order_numbr] [nam]</p>',
    });
    const body = await refusedWith(res, 422, 'UNKNOWN_TAGS');
    expect(body.error.issues?.map((issue) => [issue.field, issue.message.split(' ')[0]])).toEqual([
      ['subject', '[order_no]'],
      ['content', '[nam]'],
      ['content', '[Name]'],
      ['content', '[order_numbr]'],
      ['preheader', '[firstname]'],
    ]);
    expect(body.error.message).toContain('[order_no]');
  });

  it.each([
    ['a Liquid variable that is no tag', '{{ password }}', 'password'],
    ['one in a condition', '{% if secret %}x{% endif %}', 'secret'],
    ['a field items do not have', '{% for item in items %}{{ item.colour }}{% endfor %}', 'item.colour'],
    ["JavaScript's object machinery", '{{ name.constructor }}', 'name.constructor'],
  ])('are refused for %s', async (_label, content, name) => {
    const body = await refusedWith(await save({ content }), 422, 'UNKNOWN_TAGS');
    expect(body.error.issues?.[0]?.message).toContain(name);
  });
});

describe('active content in a template', () => {
  const refused: [string, string][] = [
    ['a script element', '<p>Hi</p><script>alert(1)</script>'],
    ['a script element in capitals with a source', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>'],
    ['a closing script tag alone', 'x</script >'],
    ['a javascript: link', '<a href="javascript:alert(1)">x</a>'],
    ['a javascript: link in mixed case', '<a href="JaVaScRiPt:alert(1)">x</a>'],
    ['a javascript: link behind spaces', '<a href="  javascript:alert(1)">x</a>'],
    ['a javascript: link with a hex entity', '<a href="jav&#x61;script:alert(1)">x</a>'],
    ['a javascript: link with a decimal entity without semicolon', '<a href="jav&#97script:alert(1)">x</a>'],
    ['a javascript: link with a tab inside', '<a href="java\tscript:alert(1)">x</a>'],
    ['a javascript: link with a newline inside', '<a href="java\nscript:alert(1)">x</a>'],
    ['a javascript: link with &Tab;', '<a href="java&Tab;script:alert(1)">x</a>'],
    ['a javascript: link with &colon;', '<a href="javascript&colon;alert(1)">x</a>'],
    ['a javascript: link unquoted', '<a href=javascript:alert(1)>x</a>'],
    ['a vbscript: link', "<a href='vbscript:msgbox(1)'>x</a>"],
    ['a VBScript: link in capitals', '<a href="VBSCRIPT:msgbox(1)">x</a>'],
    ['a data:text/html link', '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'],
    ['a javascript: form action', '<form action="javascript:alert(1)"><button>x</button></form>'],
    ['a javascript: URL in a meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['an onerror handler', '<img src=x onerror=alert(1)>'],
    ['an onload handler on body', '<body onload="alert(1)">x</body>'],
    ['a handler in capitals with spaces', '<div ONCLICK = "alert(1)">x</div>'],
    ['a handler after a slash', '<svg/onload=alert(1)>'],
    ['a handler glued to a quoted value', '<a href="https://x.example"onmouseover="alert(1)">x</a>'],
    ['an object', '<object data="x.swf"></object>'],
    ['an embed', '<embed src="x.swf">'],
    ['an applet', '<applet code="X.class"></applet>'],
    ['an iframe', '<iframe src="https://x.example"></iframe>'],
    ['an iframe with a slash', '<IFRAME/src=https://x.example>'],
    ['a frameset', '<frameset><frame src="a.html"></frameset>'],
    ['a frame', '<frame src="a.html">'],
    ['a javascript: URL in a style attribute', '<div style="background:url(javascript:alert(1))">x</div>'],
    ['a CSS expression', '<div style="width: expression(alert(1))">x</div>'],
    ['a javascript: URL in a style element', '<style>body { background: url("javascript:alert(1)") }</style>'],
  ];

  it.each(refused)('refuses %s with 422 ACTIVE_CONTENT and saves nothing', async (_label, content) => {
    const before = await t.call('GET', '/v1/templates?includeHidden=true');
    const count = ((await before.json()) as { templates: unknown[] }).templates.length;
    await refusedWith(await save({ content }), 422, 'ACTIVE_CONTENT');
    const after = (await (await t.call('GET', '/v1/templates?includeHidden=true')).json()) as { templates: unknown[] };
    expect(after.templates.length).toBe(count);
  });

  it.each([
    ['a text template with a script URL', { format: 'text', content: 'Click javascript:alert(1)' }],
    ['a text template with a script element', { format: 'text', content: 'Hi <script>alert(1)</script>' }],
    ['a subject with a script element', { subject: 'Hi <script>alert(1)</script>' }],
    ['a preheader with a script URL', { preheader: 'see vbscript:msgbox(1)' }],
  ])('refuses %s', async (_label, body) => {
    await refusedWith(await save(body), 422, 'ACTIVE_CONTENT');
  });

  it.each([
    ['a book title with "JavaScript:"', '<p>Learn JavaScript: the good parts</p>'],
    ['a link whose path says javascript', '<a href="https://shop.example/javascript-course">course</a>'],
    ['an attribute value with "on"', '<a href="https://shop.example" title="on sale">x</a>'],
    ['a word starting with "on" in text', '<p>online = true</p>'],
    ['an image with alt text', '<img src="https://shop.example/logo.png" alt="Logo" width="100">'],
    ['a table with styles', '<table style="width:100%;border:0"><tr><td>[order_number]</td></tr></table>'],
  ])('accepts %s', async (_label, content) => {
    expect((await save({ content })).status).toBe(201);
  });
});

describe('shortened links', () => {
  it('saves the template with a warning per shortened link', async () => {
    const template = await saved({
      content:
        '<a href="https://bit.ly/3abc">a</a> <a href="http://TinyURL.com/y7">b</a> www.t.co/x goo.gl/maps/1 ' +
        'https://habit.ly/x https://shop.example/bit.ly/x',
    });
    expect(template.warnings).toEqual([
      expect.stringMatching(/^https:\/\/bit\.ly\/3abc is a shortened link/),
      expect.stringMatching(/^http:\/\/TinyURL\.com\/y7 is a shortened link/),
      expect.stringMatching(/^www\.t\.co\/x is a shortened link/),
      expect.stringMatching(/^goo\.gl\/maps\/1 is a shortened link/),
    ]);
    const order = await createOrder(t);
    const message = await json(
      await t.call('POST', `/v1/templates/${template.id}/render`, { orderId: order.id }, { role: 'agent' }),
      renderedTemplate,
    );
    expect(message.warnings).toHaveLength(4);
  });

  it('warns about shortened links in text templates and subjects too', async () => {
    const template = await saved({ format: 'text', subject: 'See ow.ly/abc', content: 'Track: https://is.gd/xyz' });
    expect(template.warnings.map((warning) => warning.split(' ')[0])).toEqual(['ow.ly/abc', 'https://is.gd/xyz']);
  });
});

describe('Liquid limits', () => {
  it.each([
    ['a loop over a hundred million numbers', '{% for i in (1..100000000) %}x{% endfor %}'],
    [
      'three nested loops of a thousand',
      '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}',
    ],
    [
      'a string doubled thirty times',
      "{% assign s = 'aaaaaaaaaa' %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}",
    ],
    ['a loop over the items a million times', '{% for i in (1..1000000) %}{% for item in items %}{{ item.name }}{% endfor %}{% endfor %}'],
  ])('stop %s quickly with 422 TEMPLATE_INVALID', async (_label, content) => {
    const started = performance.now();
    const body = await refusedWith(await save({ content }), 422, 'TEMPLATE_INVALID');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(body.error.message).toMatch(/longer than|too much text|too long a list/);
  });

  it('stops a loop bomb in free text given straight to the renderer', async () => {
    const order = await createOrder(t);
    const started = performance.now();
    const source = {
      subject: 's',
      format: 'text' as const,
      content: '{% for i in (1..100000000) %}[name]{% endfor %}',
      preheader: null,
      attachments: [],
    };
    await expect(renderForOrder(t.services, source, order.id)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID' });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it.each([
    ["{% include 'x' %}"],
    ["{% include '/etc/passwd' %}"],
    ["{% render '/etc/passwd' %}"],
    ["{% render '../../../../../../etc/passwd' %}"],
    ["{% layout '/etc/passwd' %}x"],
    ['{% include name %}'],
  ])('cannot read files: %s is 422 TEMPLATE_INVALID', async (content) => {
    const body = await refusedWith(await save({ format: 'text', content }), 422, 'TEMPLATE_INVALID');
    expect(body.error.message).not.toContain('root:');
  });

  it.each([
    ['an unclosed if', '{% if name %}x'],
    ['an empty condition', '{% if %}x{% endif %}'],
    ['an unknown Liquid tag', '{% evil %}'],
    ['an unknown filter', '{{ name | evil }}'],
    ['an unclosed output', '{{ name '],
  ])('refuses %s with 422 TEMPLATE_INVALID on the field', async (_label, content) => {
    const body = await refusedWith(await save({ content }), 422, 'TEMPLATE_INVALID');
    expect(body.error.field).toBe('content');
  });
});
