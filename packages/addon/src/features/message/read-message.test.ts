import { describe, expect, it } from 'vitest';
import { FakeMessenger, fakeMessage } from '../../../test/fake-messenger.js';
import { inlinePartsOf, messageInputFrom, readMessage } from './read-message.js';

describe('reading a message for the extractor', () => {
  it('takes the lower-case headers of getFull and the inline text parts', async () => {
    const messenger = new FakeMessenger();
    messenger.addMessage(fakeMessage(1, { subject: 'Zamówienie 1001', text: 'plain', html: '<p>html</p>', inReplyTo: 'a@b' }));
    expect(await readMessage(messenger, 1)).toMatchObject({
      from: 'Anna Nowak <anna@example.com>',
      to: 'Shop <shop@myshop.example>',
      subject: 'Zamówienie 1001',
      messageId: '<msg-1@mail.example.com>',
      inReplyTo: '<a@b>',
      text: 'plain',
      html: '<p>html</p>',
    });
  });

  it('without listInlineTextParts (before 128) walks the MIME tree, leaving attachments and attached messages out', () => {
    const full = {
      contentType: 'multipart/mixed',
      headers: { From: ['a@b.example'], 'X-Other': ['x'] },
      parts: [
        {
          contentType: 'multipart/alternative',
          parts: [
            { contentType: 'text/plain', body: 'body text' },
            { contentType: 'text/html', body: '<b>body</b>' },
          ],
        },
        { contentType: 'text/plain', body: 'attached file', headers: { 'content-disposition': ['attachment; filename=a.txt'] } },
        { contentType: 'message/rfc822', parts: [{ contentType: 'text/plain', body: 'forwarded' }] },
      ],
    };
    expect(inlinePartsOf(full)).toEqual([
      { contentType: 'text/plain', content: 'body text' },
      { contentType: 'text/html', content: '<b>body</b>' },
    ]);
    expect(messageInputFrom(full, null)).toEqual({ from: 'a@b.example', text: 'body text', html: '<b>body</b>' });
  });

  it('joins repeated To headers as one list', () => {
    expect(messageInputFrom({ headers: { to: ['a@x.example', 'b@x.example'] } }, [])).toEqual({ to: 'a@x.example, b@x.example' });
  });
});
