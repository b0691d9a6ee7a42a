import { sentMessage } from '@orderpost/shared/schemas/match';
import { renderedTemplate, templateList } from '@orderpost/shared/schemas/templates';
import { htmlToText } from '@orderpost/shared/extract/html-to-text';
import type { Host, MessageHeader, SendInfo, Tab } from '../../host/host.js';
import { parseMailbox } from '../actions/filed-email.js';
import { ApiError } from '../api/api-error.js';
import { readMessage } from '../message/read-message.js';
import type { Context } from '../context/context.js';
import { insertAboveQuote, insertAboveQuotePlain, renderedFragment } from './compose-body.js';
import { identityForReply } from './identity.js';

/** Replies begun from the popup, by compose tab, kept in storage: the event page may sleep while the seller writes. */
const pendingKey = 'pendingReplies';
const pendingTtlMs = 7 * 24 * 60 * 60 * 1000;

interface PendingReply {
  orderId: number;
  templateId: number;
  at: number;
}
type PendingReplies = Record<string, PendingReply>;

export async function listTemplates(context: Context) {
  const client = await context.client();
  const { templates } = await client.get('/v1/templates', templateList);
  return templates.map(({ id, name, subject, format, language }) => ({ id, name, subject, format, language }));
}

/**
 * Reply with a template: the API renders it for the order; Thunderbird's own
 * reply opens (from the identity the mail came in on) and the rendered text
 * is put above its quote and signature — `beginReply` with a body would
 * replace both, so the body is edited after the reply opened.
 */
export async function replyWithTemplate(
  context: Context,
  messageId: number,
  orderId: number,
  templateId: number,
): Promise<{ composeTabId: number; warnings: string[] }> {
  const client = await context.client();
  const { host } = context;
  const [rendered, header] = await Promise.all([
    client.post(`/v1/templates/${templateId}/render`, { orderId }, renderedTemplate),
    host.messages.get(messageId),
  ]);
  const identities = await host.identities.list(header.folder?.accountId).catch(() => []);
  const identity = identityForReply(identities, header);
  const tab: Tab = await host.compose.beginReply(messageId, 'replyToSender', identity ? { identityId: identity.id } : undefined);
  const tabId = tab.id;
  if (tabId === undefined) throw new Error('Thunderbird opened no compose tab');
  const details = await host.compose.getComposeDetails(tabId);
  if (details.isPlainText) {
    await host.compose.setComposeDetails(tabId, { plainTextBody: insertAboveQuotePlain(details.plainTextBody ?? '', rendered.text) });
  } else {
    await host.compose.setComposeDetails(tabId, { body: insertAboveQuote(details.body ?? '', renderedFragment(rendered)) });
  }
  await rememberPending(host, tabId, { orderId, templateId, at: context.now() });
  return { composeTabId: tabId, warnings: rendered.warnings };
}

async function readPending(host: Pick<Host, 'storage'>): Promise<PendingReplies> {
  const stored = (await host.storage.local.get(pendingKey))[pendingKey];
  return typeof stored === 'object' && stored !== null ? (stored as PendingReplies) : {};
}

async function rememberPending(host: Pick<Host, 'storage'>, tabId: number, reply: PendingReply): Promise<void> {
  const pending = await readPending(host);
  pending[String(tabId)] = reply;
  const fresh = Object.fromEntries(Object.entries(pending).filter(([, entry]) => reply.at - entry.at < pendingTtlMs));
  await host.storage.local.set({ [pendingKey]: fresh });
}

/**
 * `compose.onAfterSend`: a reply begun from the popup is recorded in its
 * order's history with the Message-ID Thunderbird gave it, so the customer's
 * answer to it matches as a reply. Failed sends are left pending (the seller
 * may send again); other compose tabs are none of the add-on's business.
 */
export async function recordSentReply(context: Context, tab: Tab, sendInfo: SendInfo): Promise<boolean> {
  if (tab.id === undefined || sendInfo.error) return false;
  const { host } = context;
  const pending = await readPending(host);
  const reply = pending[String(tab.id)];
  if (!reply) return false;
  const messageId = (sendInfo.headerMessageId ?? sendInfo.messages?.[0]?.headerMessageId ?? '').replace(/^<|>$/g, '').trim();
  delete pending[String(tab.id)];
  await host.storage.local.set({ [pendingKey]: pending });
  if (!messageId) return false;
  const sent = sendInfo.messages?.[0];
  const record = { messageId, subject: (sent?.subject ?? '').slice(0, 998), sentAt: new Date(context.now()).toISOString() };
  const client = await context.client();
  const path = `/v1/orders/${reply.orderId}/sent-messages`;
  const details = sent ? await sentDetails(host, sent) : {};
  // The Message-ID is what makes the customer's answer match: when the API refuses the extras (an address
  // it does not accept), the reply is recorded with its text alone, then with the Message-ID alone.
  const attempts = [{ ...record, ...details }, ...(details.text ? [{ ...record, text: details.text }] : []), record];
  const distinct = attempts.filter((body, index) => index === 0 || JSON.stringify(body) !== JSON.stringify(attempts[index - 1]));
  for (const [index, body] of distinct.entries()) {
    try {
      await client.post(path, body, sentMessage);
      break;
    } catch (error) {
      const refused = error instanceof ApiError && error.failure.kind === 'http' && error.failure.status === 400;
      if (!refused || index === distinct.length - 1) throw error;
    }
  }
  return true;
}

/** The most text of a sent reply the history keeps (the API's limit). */
const sentTextLimit = 100_000;

/**
 * What the order's history shows of the sent reply: its sender, first
 * recipient and plain text, read from the copy Thunderbird keeps (none when it
 * keeps no copy: the reply is still recorded with its Message-ID).
 */
async function sentDetails(host: Pick<Host, 'messages'>, sent: MessageHeader): Promise<{ from?: string; to?: string; text?: string }> {
  const from = sent.author ? parseMailbox(sent.author)?.address : undefined;
  const to = (sent.recipients ?? []).map(parseMailbox).find((mailbox) => mailbox !== null)?.address;
  const message = await readMessage(host, sent.id).catch(() => null);
  const text = message?.text ?? (message?.html ? htmlToText(message.html) : undefined);
  return {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(text?.trim() ? { text: sentText(text) } : {}),
  };
}

/**
 * The text as the API takes it (multi-line text): page breaks become line
 * breaks, other control characters and broken surrogates are left out, and it
 * is cut at the limit without splitting a character in two. A text the API
 * refused would cost the reply its text, sender and recipient (the fallback).
 */
export function sentText(text: string): string {
  const clean = text
    .replace(/[\f\v]/g, '\n')
    .replace(/[^\P{Cc}\t\n\r]/gu, '')
    .replace(/\p{Cs}/gu, '');
  if (clean.length <= sentTextLimit) return clean;
  const cut = clean.slice(0, sentTextLimit);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
