import type { MessageInput } from '@orderpost/shared/extract/index';
import type { Host, InlineTextPart, MessagePart } from '../../host/host.js';

/** The headers the extractor reads, by their lower-case name (as `messages.getFull` gives them). */
const headerFields = {
  from: 'from',
  replyTo: 'reply-to',
  to: 'to',
  cc: 'cc',
  messageId: 'message-id',
  inReplyTo: 'in-reply-to',
  references: 'references',
  subject: 'subject',
  date: 'date',
} as const satisfies Record<string, string>;

/** Bounds what is handed to the extractor (it bounds itself too; this keeps huge mails cheap to copy). */
const maxBodyChars = 400_000;

/**
 * The extractor's input from what Thunderbird gives: decoded headers of the
 * root part, and the text shown inline — `listInlineTextParts` (128+) when
 * there, else the text/plain and text/html parts found walking the MIME tree
 * (attachments and nested messages left out).
 */
export function messageInputFrom(full: MessagePart, inline: InlineTextPart[] | null): MessageInput {
  const input: MessageInput = {};
  const headers = lowerCaseHeaders(full.headers ?? {});
  for (const [field, name] of Object.entries(headerFields) as [keyof typeof headerFields, string][]) {
    const values = headers[name];
    if (values && values.length > 0) input[field] = values.join(name === 'to' || name === 'cc' ? ', ' : ' ');
  }
  const parts = inline ?? inlinePartsOf(full);
  const text = parts.filter((part) => part.contentType.toLowerCase() === 'text/plain').map((part) => part.content);
  const html = parts.filter((part) => part.contentType.toLowerCase() === 'text/html').map((part) => part.content);
  if (text.length > 0) input.text = text.join('\n').slice(0, maxBodyChars);
  if (html.length > 0) input.html = html.join('\n').slice(0, maxBodyChars);
  return input;
}

function lowerCaseHeaders(headers: Record<string, string[]>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) result[name.toLowerCase()] = values;
  return result;
}

/** Text parts of a MIME tree that are shown inline, in order. */
export function inlinePartsOf(part: MessagePart): InlineTextPart[] {
  const found: InlineTextPart[] = [];
  const walk = (node: MessagePart, depth: number): void => {
    const type = (node.contentType ?? '').toLowerCase();
    if (depth > 0 && type === 'message/rfc822') return;
    const disposition = (node.headers?.['content-disposition']?.[0] ?? '').toLowerCase();
    if ((type === 'text/plain' || type === 'text/html') && typeof node.body === 'string' && !disposition.startsWith('attachment')) {
      found.push({ contentType: type, content: node.body });
    }
    for (const child of node.parts ?? []) walk(child, depth + 1);
  };
  walk(part, 0);
  // In multipart/alternative both forms say the same: the extractor reads both anyway, so keep them.
  return found;
}

/** Reads a displayed message for the extractor. */
export async function readMessage(host: Pick<Host, 'messages'>, messageId: number): Promise<MessageInput> {
  const [full, inline] = await Promise.all([
    host.messages.getFull(messageId),
    host.messages.listInlineTextParts ? host.messages.listInlineTextParts(messageId).catch(() => null) : Promise.resolve(null),
  ]);
  return messageInputFrom(full, inline);
}
