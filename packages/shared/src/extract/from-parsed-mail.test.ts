import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { messageInputFromParsedMail } from './from-parsed-mail.js';

const raw = [
  'From: =?utf-8?q?M=C3=BCller=2C_Hans?= <h.mueller@example.de>',
  'Reply-To: Hans <hans@example.de>',
  'To: Kawa & Co <sklep@kawa-co.example>, Friends: a@example.com, b@example.com;',
  'Cc: ewa@example.pl',
  'Subject: =?utf-8?q?Zam=C3=B3wienie_10243?=',
  'Date: Fri, 13 Nov 2026 18:00:00 +0000',
  'Message-ID: <m1@example.de>',
  'In-Reply-To: <op.10243@mail.kawa-co.example>',
  'References: <r1@example.org> <op.10243@mail.kawa-co.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Bestellnummer: 10243',
  '--b',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Bestellnummer: <b>10243</b></p>',
  '--b--',
  '',
].join('\r\n');

describe('messageInputFromParsedMail', () => {
  it('turns mailparser output into decoded header values and bodies', async () => {
    const input = messageInputFromParsedMail(await simpleParser(raw));
    expect(input).toEqual({
      from: '"Müller, Hans" <h.mueller@example.de>',
      replyTo: '"Hans" <hans@example.de>',
      to: '"Kawa & Co" <sklep@kawa-co.example>, "Friends": a@example.com, b@example.com;',
      cc: 'ewa@example.pl',
      messageId: '<m1@example.de>',
      inReplyTo: '<op.10243@mail.kawa-co.example>',
      references: '<r1@example.org> <op.10243@mail.kawa-co.example>',
      subject: 'Zamówienie 10243',
      date: '2026-11-13T18:00:00.000Z',
      text: 'Bestellnummer: 10243',
      html: '<p>Bestellnummer: <b>10243</b></p>',
    });
  });

  it('leaves out what the message does not have', async () => {
    const input = messageInputFromParsedMail(await simpleParser('From: a@example.com\r\n\r\nhello\r\n'));
    expect(input).toEqual({ from: 'a@example.com', text: 'hello\n' });
  });

  it('accepts any object of the same shape, without mailparser', () => {
    expect(
      messageInputFromParsedMail({
        to: [{ text: 'a@example.com' }, { text: 'b@example.com' }],
        html: false,
        references: ['<a@x>', '<b@x>'],
      }),
    ).toEqual({
      to: 'a@example.com, b@example.com',
      references: '<a@x> <b@x>',
    });
  });
});
