import type { Identity, MessageHeader } from '../../host/host.js';
import { parseMailbox } from '../actions/filed-email.js';

/**
 * The identity the mail came in on: the one whose address is among the
 * message's To and Cc (first in To order), else null — Thunderbird then
 * picks as it always does (the folder's account default).
 */
export function identityForReply(identities: readonly Identity[], header: Pick<MessageHeader, 'recipients' | 'ccList'>): Identity | null {
  const byAddress = new Map(identities.map((identity) => [identity.email.toLowerCase(), identity]));
  for (const recipient of [...header.recipients, ...header.ccList]) {
    const address = parseMailbox(recipient)?.address.toLowerCase();
    const identity = address ? byAddress.get(address) : undefined;
    if (identity) return identity;
  }
  return null;
}
