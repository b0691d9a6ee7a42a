import type { MessageInput } from './types.js';

/**
 * The parts of mailparser's `ParsedMail` the extractor reads, typed
 * structurally so this module needs no mailparser at run time (the add-on
 * gets its message parts from Thunderbird instead).
 */
export interface ParsedAddressLike {
  /** Decoded header text, e.g. `"Müller, Hans" <h@example.de>`. */
  text: string;
}

export interface ParsedMailLike {
  from?: ParsedAddressLike | undefined;
  replyTo?: ParsedAddressLike | undefined;
  to?: ParsedAddressLike | ParsedAddressLike[] | undefined;
  cc?: ParsedAddressLike | ParsedAddressLike[] | undefined;
  messageId?: string | undefined;
  inReplyTo?: string | undefined;
  references?: string | string[] | undefined;
  subject?: string | undefined;
  date?: Date | undefined;
  text?: string | undefined;
  html?: string | false | undefined;
}

export function messageInputFromParsedMail(parsed: ParsedMailLike): MessageInput {
  const input: MessageInput = {};
  setIfPresent(input, 'from', addressText(parsed.from));
  setIfPresent(input, 'replyTo', addressText(parsed.replyTo));
  setIfPresent(input, 'to', addressText(parsed.to));
  setIfPresent(input, 'cc', addressText(parsed.cc));
  setIfPresent(input, 'messageId', parsed.messageId);
  setIfPresent(input, 'inReplyTo', parsed.inReplyTo);
  setIfPresent(input, 'references', Array.isArray(parsed.references) ? parsed.references.join(' ') : parsed.references);
  setIfPresent(input, 'subject', parsed.subject);
  setIfPresent(input, 'date', parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined);
  setIfPresent(input, 'text', parsed.text);
  setIfPresent(input, 'html', parsed.html === false ? undefined : parsed.html);
  return input;
}

function addressText(value: ParsedAddressLike | ParsedAddressLike[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const text = list
    .map((item) => item.text)
    .filter((item) => item !== '')
    .join(', ');
  return text === '' ? undefined : text;
}

/** Leaves absent parts out instead of setting them to undefined. */
function setIfPresent<K extends keyof MessageInput>(input: MessageInput, key: K, value: MessageInput[K] | undefined): void {
  if (value !== undefined && value !== '') input[key] = value;
}
