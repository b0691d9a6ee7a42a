/**
 * Stable error codes of the HTTP API. Clients (the add-on, integrations) branch
 * on `code`, never on the message text, so a code once published never changes
 * meaning. Each code has exactly one HTTP status.
 */
export const errorCodes = {
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_FIELD: 400,
  REQUIRED_FIELD: 400,
  INVALID_TYPE: 400,
  INVALID_VALUE: 400,
  INVALID_EMAIL: 400,
  INVALID_PHONE: 400,
  INVALID_CURSOR: 400,
  /** A customer's message on the order page longer than customerMessageLimits.text. */
  MESSAGE_TOO_LONG: 400,
  /** A well-formed date outside 1970-01-01 … 2200-12-31. */
  INVALID_DATE: 400,
  /** An order number whose letters come from more than one script (look-alikes such as Latin U and Cyrillic У). */
  MIXED_SCRIPTS: 400,
  TOKEN_MISSING: 401,
  TOKEN_INVALID: 401,
  FORBIDDEN_ROLE: 403,
  /** Order-page form: the post came from another site (Origin or Sec-Fetch-Site). */
  CROSS_SITE_POST: 403,
  /** Order-page form: the form token is missing, forged, or belongs to another page. */
  FORM_TOKEN_INVALID: 403,
  /** Order-page form: the form was loaded more than 24 hours ago; the page is shown again with the text kept. */
  FORM_TOKEN_EXPIRED: 403,
  /** Order-page form: the shop has turned the form off. */
  FORM_DISABLED: 403,
  ROUTE_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  STATUS_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  PARCEL_NOT_FOUND: 404,
  MAILBOX_NOT_FOUND: 404,
  TEMPLATE_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  BATCH_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  DUPLICATE_ORDER_NUMBER: 409,
  DUPLICATE_STATUS: 409,
  DUPLICATE_MESSAGE_ID: 409,
  ORDER_ARCHIVED: 409,
  ORDER_NOT_ARCHIVED: 409,
  STATUS_IN_USE: 409,
  LAST_ADMIN_TOKEN: 409,
  /** A request with this Idempotency-Key is still being processed. */
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  FILE_TYPE_NOT_ALLOWED: 415,
  UNKNOWN_STATUS: 422,
  BATCH_REJECTED: 422,
  /** A template uses tags that do not exist; `issues` lists each. */
  UNKNOWN_TAGS: 422,
  /** Scripts, event handlers, javascript:/vbscript: URLs, objects, embeds, applets or frames in a template. */
  ACTIVE_CONTENT: 422,
  /** Liquid syntax error, or a template exceeding its render limits. */
  TEMPLATE_INVALID: 422,
  /** The order has no e-mail address and none was given. */
  NO_RECIPIENT: 422,
  /** The same Idempotency-Key was sent with a different request. */
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  NOT_READY: 503,
  DATABASE_UNAVAILABLE: 503,
  /** A mailbox secret cannot be stored: PostgreSQL without SECRET_KEY (the embedded database makes a key file itself). */
  SECRET_KEY_MISSING: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorIssue {
  code: ErrorCode;
  field: string;
  message: string;
  /** Position in a batch request, when the issue belongs to one item. */
  index?: number;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    requestId: string;
    /** The offending field (dotted path), when one field is at fault. */
    field?: string;
    /** Every problem found, when there are several. */
    issues?: ErrorIssue[];
  };
}

export function httpStatusOf(code: ErrorCode): number {
  return errorCodes[code];
}
