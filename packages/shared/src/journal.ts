/**
 * Journal event types. Numbers follow BaseLinker's getJournalList log types
 * where one exists, so integrations written against it read ours the same way;
 * our own events use numbers from 100 up.
 */
export const journalTypes = {
  ORDER_CREATED: 1,
  BUYER_DATA_CONFIRMED: 2,
  PAYMENT_RECEIVED: 3,
  INVOICE_ISSUED: 7,
  PARCEL_CREATED: 9,
  ORDER_EDITED: 16,
  STATUS_CHANGED: 18,
  PARCEL_STATUS_CHANGED: 22,
  ORDER_ARCHIVED: 100,
  ORDER_RESTORED: 101,
  PROFORMA_ISSUED: 102,
  MESSAGE_RECORDED: 103,
  EMAIL_LINKED: 104,
  EMAIL_UNLINKED: 105,
  /** An e-mail to the customer was accepted by the SMTP server. */
  EMAIL_SENT: 106,
  /** An e-mail failed for good (permanent SMTP refusal, or retried past DELIVERY_MAX_AGE_HOURS). */
  EMAIL_FAILED: 107,
  /** An incoming e-mail was filed into the order's history by an agent. */
  EMAIL_FILED: 108,
  /** An internal note was added. */
  NOTE_ADDED: 109,
  /** The seller posted a message on the order page only (no e-mail). */
  ORDER_PAGE_MESSAGE: 110,
  /** The customer wrote to the seller through the order page's form ("Message from the customer in the form"). */
  CUSTOMER_MESSAGE: 111,
  /** An admin replaced the order page's secret address; the old link stopped working at once. */
  PAGE_TOKEN_ROTATED: 112,
} as const;

export type JournalTypeName = keyof typeof journalTypes;
export type JournalTypeNumber = (typeof journalTypes)[JournalTypeName];

const namesByNumber = new Map<number, JournalTypeName>(Object.entries(journalTypes).map(([name, num]) => [num, name as JournalTypeName]));

export function journalTypeName(type: number): JournalTypeName | undefined {
  return namesByNumber.get(type);
}

export const journalTypeNumbers = Object.values(journalTypes) as JournalTypeNumber[];
