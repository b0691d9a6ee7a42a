/**
 * What a customer may send through the form on the order page. The page
 * renders the limits (textarea maxlength, accepted file types) and the API
 * enforces them; both read them from here.
 */
export const customerMessageLimits = {
  /** Characters of the message text (as the browser counts them, UTF-16 code units). */
  text: 5000,
  /** Bytes of the optional attachment. */
  attachmentBytes: 5 * 1024 * 1024,
} as const;

/** The attachment types the form accepts (checked by content, not by name). */
export const customerAttachmentTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;

/** The form's field names: the page renders them, the POST handler reads them. */
export const customerMessageFields = {
  message: 'message',
  attachment: 'attachment',
  /** Honeypot: hidden from people, filled by naive bots. */
  honeypot: 'website',
  formToken: 'formToken',
} as const;
