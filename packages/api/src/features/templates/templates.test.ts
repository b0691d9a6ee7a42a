import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { renderedTemplate, template, templateList, templateSaved, templateTags } from '@orderpost/shared';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createTestContext, errorBody, json, type TestContext } from '../../../test/context.js';
import { mailboxes } from '../../db/schema/index.js';
import { renderForOrder } from './templates.render.js';

let t: TestContext;
let now = new Date('2026-11-05T10:00:00Z');
beforeAll(async () => {
  t = await createTestContext({ clock: () => now });
});
afterAll(() => t.close());

const base = { name: 'Thank you', subject: 'Order [order_number]', format: 'html', content: '<p>Hello [name]</p>' };
const b64 = (bytes: Buffer) => bytes.toString('base64');

async function create(body: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/v1/templates', { ...base, ...body });
  if (res.status !== 201) throw new Error(`saving answered ${res.status}: ${await res.text()}`);
  return json(res, templateSaved);
}

async function expectError(res: Response, status: number, code: string, field?: string) {
  const body = await errorBody(res);
  expect({ status: res.status, code: body.error.code }, body.error.message).toEqual({ status, code });
  if (field !== undefined) expect(body.error.field).toBe(field);
}

describe('templates CRUD', () => {
  it('creates a template with defaults and reads it back', async () => {
    const created = await create({ preheader: 'Thanks, [first_name]', language: 'pl' });
    expect(created).toMatchObject({
      ...base,
      preheader: 'Thanks, [first_name]',
      mailboxId: null,
      hidden: false,
      language: 'pl',
      attachments: [],
      warnings: [],
      createdAt: now.toISOString(),
    });
    const read = await t.call('GET', `/v1/templates/${created.id}`, undefined, { role: 'agent' });
    expect(read.status).toBe(200);
    const { warnings: _warnings, ...stored } = created;
    expect(await json(read, template)).toEqual(stored);
  });

  it('lists templates by name, hidden ones only with includeHidden=true', async () => {
    const fresh = await createTestContext();
    try {
      const add = (name: string, hidden: boolean) => fresh.call('POST', '/v1/templates', { ...base, name, hidden });
      await add('B visible', false);
      await add('A hidden', true);
      await add('C visible', false);
      const names = async (query: string) =>
        (await json(await fresh.call('GET', `/v1/templates${query}`, undefined, { role: 'agent' }), templateList)).templates.map(
          (tpl) => tpl.name,
        );
      expect(await names('')).toEqual(['B visible', 'C visible']);
      expect(await names('?includeHidden=false')).toEqual(['B visible', 'C visible']);
      expect(await names('?includeHidden=true')).toEqual(['A hidden', 'B visible', 'C visible']);
      expect((await fresh.call('GET', '/v1/templates?includeHidden=yes')).status).toBe(400);
    } finally {
      await fresh.close();
    }
  });

  it('changes only the fields sent, checking the template as it then is', async () => {
    const created = await create();
    now = new Date('2026-11-06T08:00:00Z');
    const res = await t.call('PATCH', `/v1/templates/${created.id}`, { subject: 'Your order [order_number] shipped', hidden: true });
    expect(res.status).toBe(200);
    const changed = await json(res, templateSaved);
    expect(changed).toMatchObject({ ...base, subject: 'Your order [order_number] shipped', hidden: true, updatedAt: now.toISOString() });

    await expectError(await t.call('PATCH', `/v1/templates/${created.id}`, { content: '[nope]' }), 422, 'UNKNOWN_TAGS');
    // A format change is checked against the stored content too.
    await expectError(
      await t.call('PATCH', `/v1/templates/${created.id}`, { content: '<script>x</script>', format: 'text' }),
      422,
      'ACTIVE_CONTENT',
    );
    const after = await json(await t.call('GET', `/v1/templates/${created.id}`), template);
    expect(after.content).toBe(base.content);
  });

  it('clears the preheader with null and answers 404 for a template that does not exist', async () => {
    const created = await create({ preheader: 'x' });
    const cleared = await json(await t.call('PATCH', `/v1/templates/${created.id}`, { preheader: null }), templateSaved);
    expect(cleared.preheader).toBeNull();
    await expectError(await t.call('PATCH', '/v1/templates/999999', { name: 'x' }), 404, 'TEMPLATE_NOT_FOUND');
    await expectError(await t.call('GET', '/v1/templates/999999'), 404, 'TEMPLATE_NOT_FOUND');
  });

  it('deletes a template', async () => {
    const created = await create();
    expect((await t.call('DELETE', `/v1/templates/${created.id}`)).status).toBe(204);
    await expectError(await t.call('GET', `/v1/templates/${created.id}`), 404, 'TEMPLATE_NOT_FOUND');
    await expectError(await t.call('DELETE', `/v1/templates/${created.id}`), 404, 'TEMPLATE_NOT_FOUND');
  });

  it('takes a mailbox that exists and refuses one that does not with 404 MAILBOX_NOT_FOUND', async () => {
    const [mailbox] = await t.database.db
      .insert(mailboxes)
      .values({ name: 'Shop', host: 'smtp.example.pl', port: 587, security: 'starttls', authKind: 'none', fromEmail: 'shop@example.pl' })
      .returning();
    expect((await create({ mailboxId: mailbox?.id })).mailboxId).toBe(mailbox?.id);
    await expectError(await t.call('POST', '/v1/templates', { ...base, mailboxId: 999999 }), 404, 'MAILBOX_NOT_FOUND', 'mailboxId');
  });

  it.each([
    ['content longer than 25,000 characters', { content: 'x'.repeat(25_001) }, 'content'],
    ['empty content', { content: '   ' }, 'content'],
    ['a subject on two lines', { subject: 'a\r\nBcc: x@example.com' }, 'subject'],
    ['a preheader on two lines', { preheader: 'a\nb' }, 'preheader'],
    ['an unknown format', { format: 'markdown' }, 'format'],
    ['four attachments', { attachments: Array.from({ length: 4 }, () => ({ kind: 'order_pdf' })) }, 'attachments'],
    ['a file attachment without a file', { attachments: [{ kind: 'file', name: 'x' }] }, 'attachments[0].file'],
    ['an unknown attachment kind', { attachments: [{ kind: 'label' }] }, 'attachments[0].kind'],
  ])('refuses %s with 400', async (_label, body, field) => {
    const res = await t.call('POST', '/v1/templates', { ...base, ...body });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).error.field).toBe(field);
  });

  it('accepts content of exactly 25,000 characters', async () => {
    expect((await t.call('POST', '/v1/templates', { ...base, format: 'text', content: 'x'.repeat(25_000) })).status).toBe(201);
  });
});

// ---- attachment files, checked by their content ----

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

/** A zip with the given entries stored uncompressed (CRCs left zero: only the structure is read). */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, body] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An OLE2 compound file holding a stream of the given name (enough of one for the check). */
function ole2(stream: string): Buffer {
  return Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504), Buffer.from(stream, 'utf16le'), Buffer.alloc(64)]);
}

const docx = zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
const xlsx = zip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' });
const docm = zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>', 'word/vbaProject.bin': 'VBA' });
const odt = zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<office:document-content/>' });
const plainZip = zip({ 'readme.txt': 'hello' });
const mp4 = Buffer.concat([Buffer.from('000000186674797069736f6d', 'hex'), Buffer.alloc(64)]);
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode'), Buffer.alloc(32)]);
const elf = Buffer.concat([Buffer.from('7f454c46020101', 'hex'), Buffer.alloc(64)]);
const macho = Buffer.concat([Buffer.from('cffaedfe07000001', 'hex'), Buffer.alloc(64)]);

function fileAttachment(filename: string, content: Buffer, name = 'Attachment') {
  return { attachments: [{ kind: 'file', name, file: { filename, contentBase64: b64(content) } }] };
}

describe('attachment files are checked by their content, not their name', () => {
  it.each([
    ['a PDF', 'return-form.pdf', pdf, 'application/pdf'],
    ['a PNG', 'map.png', png, 'image/png'],
    ['a CSV', 'price-list.csv', Buffer.from('sku;name;price\nCOM-C40;Młynek;1199.00\n'), 'text/csv; charset=utf-8'],
    ['a text file', 'care.txt', Buffer.from('Descale the machine monthly.\n'), 'text/plain; charset=utf-8'],
    ['a Word document (OOXML)', 'terms.docx', docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['an Excel workbook (OOXML)', 'sizes.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['an OpenDocument text', 'terms.odt', odt, 'application/vnd.oasis.opendocument.text'],
    ['an old Word document (OLE2)', 'terms.doc', ole2('WordDocument'), 'application/msword'],
    ['an old Excel workbook (OLE2)', 'sizes.xls', ole2('Workbook'), 'application/vnd.ms-excel'],
    ['a PDF named .txt', 'notes.txt', pdf, 'application/pdf'],
  ])('accepts %s', async (_label, filename, content, contentType) => {
    const saved = await create(fileAttachment(filename, content));
    expect(saved.attachments).toEqual([
      { kind: 'file', name: 'Attachment', file: { id: expect.any(Number), filename, contentType, size: content.length } },
    ]);
  });

  it.each([
    ['a Windows program renamed .pdf', 'invoice.pdf', exe],
    ['an ELF program', 'tool.pdf', elf],
    ['a Mach-O program', 'app.png', macho],
    ['a shell script', 'notes.txt', Buffer.from('#!/bin/sh\nrm -rf ~\n')],
    ['an MP4 video', 'unboxing.mp4', mp4],
    ['an MP4 video renamed .pdf', 'unboxing.pdf', mp4],
    ['an HTML page', 'offer.txt', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['an SVG image', 'logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
    ['a Word document with macros', 'terms.docx', docm],
    ['a plain zip archive', 'files.zip', plainZip],
    ['an installer (OLE2 without a document)', 'terms.doc', ole2('SummaryInformation')],
    ['a text file with NUL bytes', 'data.csv', Buffer.from('a;b\u0000;c\n')],
    ['text that is not UTF-8', 'data.csv', Buffer.from([0x61, 0x3b, 0xff, 0xfe, 0x0a])],
  ])('refuses %s with 415 FILE_TYPE_NOT_ALLOWED', async (_label, filename, content) => {
    await expectError(
      await t.call('POST', '/v1/templates', { ...base, ...fileAttachment(filename, content) }),
      415,
      'FILE_TYPE_NOT_ALLOWED',
      'attachments[0].file',
    );
  });

  it('refuses a file larger than FILE_MAX_BYTES with 413 FILE_TOO_LARGE', async () => {
    const big = Buffer.concat([pdf, Buffer.alloc(300 * 1024, 0x20)]);
    await expectError(await t.call('POST', '/v1/templates', { ...base, ...fileAttachment('big.pdf', big) }), 413, 'FILE_TOO_LARGE');
  });

  it('keeps a file stored before by its id, and refuses an id that names no file', async () => {
    const first = await create(fileAttachment('return-form.pdf', pdf, 'Return form'));
    const fileId = first.attachments[0]?.kind === 'file' ? first.attachments[0].file.id : 0;
    const res = await t.call('PATCH', `/v1/templates/${first.id}`, {
      attachments: [{ kind: 'file', name: 'Return form v2', fileId }, { kind: 'invoice' }],
    });
    expect(res.status).toBe(200);
    expect((await json(res, templateSaved)).attachments).toEqual([
      {
        kind: 'file',
        name: 'Return form v2',
        file: { id: fileId, filename: 'return-form.pdf', contentType: 'application/pdf', size: pdf.length },
      },
      { kind: 'invoice', name: null },
    ]);
    const missing = await t.call('PATCH', `/v1/templates/${first.id}`, { attachments: [{ kind: 'file', name: 'x', fileId: 999999 }] });
    await expectError(missing, 404, 'FILE_NOT_FOUND', 'attachments[0].fileId');
  });

  it('takes three attachment files in one request, more than the standard body limit', async () => {
    const small = await createTestContext({ config: { BODY_LIMIT_BYTES: 100_000, FILE_MAX_BYTES: 60_000 } });
    try {
      const content = Buffer.concat([pdf, Buffer.alloc(55_000, 0x20)]);
      const attachments = ['a', 'b', 'c'].map((name) => ({
        kind: 'file',
        name,
        file: { filename: `${name}.pdf`, contentBase64: b64(content) },
      }));
      const res = await small.call('POST', '/v1/templates', { ...base, attachments });
      expect(res.status).toBe(201);
      // Other routes keep the standard limit.
      const other = await small.call('PATCH', '/v1/settings', { shopName: 'x'.repeat(200_000) });
      expect(other.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

// ---- attachments of a rendered message ----

function streamsOf(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1');
  const out: string[] = [];
  for (const match of text.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    const body = Buffer.from(match[1] ?? '', 'latin1');
    try {
      out.push(inflateSync(body).toString('latin1'));
    } catch {
      out.push(body.toString('latin1'));
    }
  }
  return out.join('\n');
}

/** Text as pdf-lib writes it with a standard font: WinAnsi bytes in hex (Latin-1 for these letters). */
const pdfHex = (text: string) => Buffer.from(text, 'latin1').toString('hex').toUpperCase();

describe('attachments of a rendered message', () => {
  it('attaches the file, the invoice, the parcel photo and an order printout', async () => {
    const order = await createOrder(t);
    await t.call(
      'POST',
      `/v1/orders/${order.id}/invoices`,
      { kind: 'proforma', number: 'PF/7', issueDate: '2026-11-03', file: { filename: 'pf.pdf', contentBase64: b64(pdf) } },
      { role: 'integration' },
    );
    await t.call(
      'POST',
      `/v1/orders/${order.id}/parcels`,
      { carrier: 'DPD', trackingNumber: '0000123', photo: { filename: 'parcel.png', contentBase64: b64(png) } },
      { role: 'integration' },
    );
    const saved = await create({
      attachments: [
        { kind: 'file', name: 'Return form', file: { filename: 'rf.pdf', contentBase64: b64(pdf) } },
        { kind: 'invoice' },
        { kind: 'parcel_photo', name: 'Your parcel' },
      ],
    });
    const message = await json(
      await t.call('POST', `/v1/templates/${saved.id}/render`, { orderId: order.id }, { role: 'agent' }),
      renderedTemplate,
    );
    expect(message.attachments).toEqual([
      { filename: 'Return form.pdf', contentType: 'application/pdf', size: pdf.length },
      { filename: 'Pro-forma PF_7.pdf', contentType: 'application/pdf', size: pdf.length },
      { filename: 'Your parcel.png', contentType: 'image/png', size: png.length },
    ]);
    expect(message.warnings).toEqual([]);

    const withPdf = await create({ attachments: [{ kind: 'order_pdf' }] });
    const printed = await json(
      await t.call('POST', `/v1/templates/${withPdf.id}/render`, { orderId: order.id }, { role: 'agent' }),
      renderedTemplate,
    );
    expect(printed.attachments).toEqual([
      { filename: `Order ${order.number}.pdf`, contentType: 'application/pdf', size: expect.any(Number) },
    ]);
  });

  it('names an attachment after what it really is when its name claims something else', async () => {
    const order = await createOrder(t);
    const saved = await create({
      attachments: [
        { kind: 'file', name: 'setup.exe', file: { filename: 'notes.txt', contentBase64: b64(Buffer.from('Plain text.\n')) } },
        { kind: 'file', name: 'photo.pdf', file: { filename: 'p.png', contentBase64: b64(png) } },
        { kind: 'file', name: 'Price list.csv', file: { filename: 'l.csv', contentBase64: b64(Buffer.from('a;b\n1;2\n')) } },
      ],
    });
    const message = await json(
      await t.call('POST', `/v1/templates/${saved.id}/render`, { orderId: order.id }, { role: 'agent' }),
      renderedTemplate,
    );
    expect(message.attachments.map((file) => file.filename)).toEqual(['setup.exe.txt', 'photo.pdf.png', 'Price list.csv']);
  });

  it('prefers the invoice to the pro-forma, and leaves out with a warning what the order does not have', async () => {
    const order = await createOrder(t);
    const saved = await create({ attachments: [{ kind: 'invoice' }, { kind: 'parcel_photo' }] });
    const bare = await json(
      await t.call('POST', `/v1/templates/${saved.id}/render`, { orderId: order.id }, { role: 'agent' }),
      renderedTemplate,
    );
    expect(bare.attachments).toEqual([]);
    expect(bare.warnings).toEqual([
      `Order ${order.number} has no invoice or pro-forma yet: not attached`,
      `Order ${order.number} has no parcel photo: not attached`,
    ]);

    for (const [kind, number] of [
      ['proforma', 'PF/1'],
      ['invoice', 'FV/1'],
    ]) {
      await t.call(
        'POST',
        `/v1/orders/${order.id}/invoices`,
        { kind, number, issueDate: '2026-11-03', file: { filename: 'x.pdf', contentBase64: b64(pdf) } },
        { role: 'integration' },
      );
    }
    const invoiced = await json(
      await t.call('POST', `/v1/templates/${saved.id}/render`, { orderId: order.id }, { role: 'agent' }),
      renderedTemplate,
    );
    expect(invoiced.attachments.map((file) => file.filename)).toEqual(['Invoice FV_1.pdf']);
  });

  it('prints the order as a PDF pdf-lib can read, with its number and Polish and German letters written', async () => {
    const order = await createOrder(t, {
      buyer: { name: 'Zażółć Gęślą-Jaźń', email: 'z@example.pl' },
      items: [
        { name: 'Młynek ręczny Comandante C40', sku: 'COM-C40', quantity: 1, price: '1199.00' },
        { name: 'Süße Bohnen – Größe L', quantity: 2, price: '10.50' },
        ...Array.from({ length: 80 }, (_, i) => ({ name: `Filter paper pack ${i + 1}`, quantity: 1, price: '1.00' })),
      ],
    });
    const source = { subject: 's', format: 'text' as const, content: 'x', preheader: null, attachments: [{ kind: 'order_pdf' as const }] };
    const message = await renderForOrder(t.services, source, order.id);
    const file = message.attachments[0];
    expect(file?.contentType).toBe('application/pdf');
    const bytes = file?.content ?? Buffer.alloc(0);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const loaded = await PDFDocument.load(bytes);
    expect(loaded.getTitle()).toBe(`Order ${order.number}`);
    expect(loaded.getPageCount()).toBeGreaterThan(1);
    const content = streamsOf(bytes);
    expect(content).toContain(`<${pdfHex(`Order ${order.number}`)}>`);
    // Not in WinAnsi: written without the accent. In WinAnsi (ó, ü, ß, –): kept.
    expect(content).toContain(pdfHex('Zazólc Gesla-Jazn'));
    expect(content).toContain(pdfHex('Süße Bohnen'));
    expect(content).toContain(pdfHex('Total: 1300.00 PLN'));
    expect(content).toContain(pdfHex('Mlynek reczny Comandante C40'));
  });

  it('renders without attachments when asked not to build them', async () => {
    const order = await createOrder(t);
    const source = { subject: 's', format: 'text' as const, content: 'x', preheader: null, attachments: [{ kind: 'order_pdf' as const }] };
    expect((await renderForOrder(t.services, source, order.id, { attachments: false })).attachments).toEqual([]);
  });
});

describe('the README', () => {
  it('describes every tag of the shared list', async () => {
    const readme = await readFile(new URL('../../../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Templates and tags'));
    expect(templateTags.filter((tag) => !new RegExp(`\\| \`\\[${tag.name}\\]\` +\\|`).test(section)).map((tag) => tag.name)).toEqual([]);
  });
});
