import { htmlToText } from '@orderpost/shared/extract/html-to-text';
import type { MessageInput } from '@orderpost/shared/extract/types';
import { filedEmailLimits } from '@orderpost/shared/schemas/messages';
import type { MessageHeader } from '../../host/host.js';

export interface FiledEmail {
  from: { address: string; name?: string };
  to?: string;
  subject: string;
  date?: string;
  text: string;
  html?: string;
  messageId?: string;
}

const simpleAddress = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** "Anna Nowak <anna@example.com>" → its parts; a bare address has no name. */
export function parseMailbox(value: string): { address: string; name?: string } | null {
  const angle = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value);
  const address = (angle ? angle[2] : value)?.trim() ?? '';
  if (!simpleAddress.test(address)) return null;
  const name = angle?.[1]?.replace(/^"(.*)"$/, '$1').trim();
  return name ? { address, name: name.slice(0, 300) } : { address };
}

/**
 * The body of `POST /v1/orders/{id}/messages` for a displayed e-mail. HTML
 * over the API's limit is left out rather than cut (a cut tag is worse than
 * none); the text then carries the content.
 */
export function filedEmailFrom(header: MessageHeader, input: MessageInput): FiledEmail | null {
  const from = parseMailbox(input.from ?? header.author);
  if (!from) return null;
  const filed: FiledEmail = { from, subject: (header.subject || input.subject || '').slice(0, filedEmailLimits.subject), text: '' };
  const to = header.recipients.map(parseMailbox).find((mailbox) => mailbox !== null);
  if (to) filed.to = to.address;
  const date = new Date(header.date);
  if (!Number.isNaN(date.getTime())) filed.date = date.toISOString();
  const text = input.text ?? (input.html ? htmlToText(input.html) : '');
  filed.text = text.slice(0, filedEmailLimits.text);
  if (input.html && input.html.length <= filedEmailLimits.html) filed.html = input.html;
  const messageId = header.headerMessageId.trim();
  if (messageId) filed.messageId = messageId;
  return filed;
}
