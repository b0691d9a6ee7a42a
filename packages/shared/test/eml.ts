import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { messageInputFromParsedMail } from '../src/extract/from-parsed-mail.js';
import type { MessageInput } from '../src/extract/types.js';

/** Reads an .eml file into the extractor's input, the way the API's evaluation command does. */
export async function messageInputFromEmlFile(path: string): Promise<MessageInput> {
  return messageInputFromParsedMail(await simpleParser(await readFile(path)));
}
