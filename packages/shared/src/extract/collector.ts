import type {
  ExtractedEmail,
  ExtractedIdentifiers,
  ExtractedLogin,
  ExtractedMessageId,
  ExtractedPhone,
  ExtractedToken,
  RejectedToken,
  TokenContext,
} from './types.js';

/**
 * Gathers items in the order they were found, keeping one per value and
 * place: the same number in the subject and in the body is two observations,
 * the same number twice in the body is one (with the strongest context seen).
 */
export class IdentifierCollector {
  private readonly emails = new Map<string, ExtractedEmail>();
  private readonly tokens = new Map<string, ExtractedToken>();
  private readonly phones = new Map<string, ExtractedPhone>();
  private readonly logins = new Map<string, ExtractedLogin>();
  private readonly rejected = new Map<string, RejectedToken>();

  addEmail(email: ExtractedEmail): void {
    addOnce(this.emails, `${email.address}|${email.where}`, email);
  }

  /** The From and Reply-To addresses found so far. */
  senders(): ExtractedEmail[] {
    return [...this.emails.values()].filter((email) => email.role === 'sender');
  }

  addToken(token: ExtractedToken): void {
    const key = `${token.compact}|${token.where}`;
    const known = this.tokens.get(key);
    if (!known) this.tokens.set(key, token);
    else if (CONTEXT_STRENGTH[token.context] > CONTEXT_STRENGTH[known.context]) this.tokens.set(key, { ...known, context: token.context });
  }

  addPhone(phone: ExtractedPhone): void {
    addOnce(this.phones, `${phone.e164 ?? phone.national}|${phone.where}`, phone);
  }

  addLogin(login: ExtractedLogin): void {
    addOnce(this.logins, `${login.login.toLowerCase()}|${login.where}`, login);
  }

  addRejected(rejected: RejectedToken): void {
    addOnce(this.rejected, `${rejected.kind}|${rejected.raw}|${rejected.where}`, rejected);
  }

  result(messageIds: ExtractedMessageId[]): ExtractedIdentifiers {
    return {
      emails: [...this.emails.values()],
      messageIds,
      tokens: [...this.tokens.values()],
      phones: [...this.phones.values()],
      logins: [...this.logins.values()],
      rejected: [...this.rejected.values()],
    };
  }
}

/** Which context to keep when one token is seen several times in one place. */
const CONTEXT_STRENGTH: Record<TokenContext, number> = { keyword: 3, tracking: 2, invoice: 1, bare: 0 };

function addOnce<T>(map: Map<string, T>, key: string, item: T): void {
  if (!map.has(key)) map.set(key, item);
}
