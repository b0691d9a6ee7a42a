export { extractIdentifiers } from './extract-identifiers.js';
export { readLimits } from './bounds.js';
export { capIdentifiers, extractionLimits } from './limits.js';
export { compareIdentifier, type ComparableToken, type IdentifierMatch } from './match-rules.js';
export { messageInputFromParsedMail, type ParsedAddressLike, type ParsedMailLike } from './from-parsed-mail.js';
export { htmlToText } from './html-to-text.js';
export { splitQuotedLines, type BodyLine } from './quoted.js';
export type {
  ExtractedEmail,
  ExtractedIdentifiers,
  ExtractedLogin,
  ExtractedMessageId,
  ExtractedPhone,
  ExtractedToken,
  ExtractOptions,
  MessageInput,
  RejectedKind,
  RejectedToken,
  TextWhere,
  TokenContext,
  TokenKind,
  TruncatedPart,
  Where,
} from './types.js';
