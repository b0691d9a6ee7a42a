import { customerMessageFields, customerMessageLimits, httpStatusOf } from '@orderpost/shared';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../../errors.js';
import { clientAddress } from '../../http/client-address.js';
import type { AppEnv } from '../../http/context.js';
import type { Services } from '../../services.js';
import { draftOf, type FormBody, field, honeypotFilled, messageAttachment, messageText } from './form.input.js';
import { findPageOrder, storeCustomerMessage } from './form.service.js';
import { checkFormToken } from './form.token.js';
import { orderPageError, renderOrderPage } from './page.render.js';

/** The largest form post: the attachment, the text (urlencoded, up to 12 bytes a character) and the multipart framing. */
export const pageFormBodyLimit = customerMessageLimits.attachmentBytes + 128 * 1024;

/** The post's path, so the app's general body limit leaves it to this route's own (whose answer is the page). */
export const isPageFormPath = (path: string) => /^\/p\/[^/]+\/messages$/.test(path);

/**
 * Whether the post comes from our own page. A browser sends Origin with every
 * form post: when present it must be this request's origin or the shop's
 * public address (behind a proxy the request's own may read http://internal).
 * The page's `Referrer-Policy: no-referrer` makes browsers send `Origin: null`
 * for its own form, so `null` is ours only with `Sec-Fetch-Site: same-origin`,
 * which the browser sets and no page can (sandboxed frames and other sites say
 * `cross-site` or `same-site`). Sec-Fetch-Site `cross-site` is refused
 * outright (`same-site` is a sibling host: its Origin differs, so it is
 * refused by the first rule).
 */
export function sameOriginPost(c: Context<AppEnv>, publicBaseUrl: string | null): boolean {
  const fetchSite = c.req.header('sec-fetch-site')?.toLowerCase();
  if (fetchSite === 'cross-site') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  if (origin.trim().toLowerCase() === 'null') return fetchSite === 'same-origin';
  const allowed = [new URL(c.req.url).origin];
  if (publicBaseUrl) allowed.push(new URL(publicBaseUrl).origin);
  return allowed.includes(origin.trim().toLowerCase());
}

function limits(services: Services) {
  const { PAGE_FORM_CLIENT_LIMIT, PAGE_FORM_ORDER_LIMIT, PAGE_FORM_WINDOW_SECONDS } = services.config;
  return {
    client: { limit: PAGE_FORM_CLIENT_LIMIT, windowSeconds: PAGE_FORM_WINDOW_SECONDS },
    order: { limit: PAGE_FORM_ORDER_LIMIT, windowSeconds: PAGE_FORM_WINDOW_SECONDS },
  };
}

function tooMany(retryAfter: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfter / 60));
  return new AppError(
    'RATE_LIMITED',
    `Too many messages have been sent from here; please try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
    undefined,
    undefined,
    retryAfter,
  );
}

/**
 * The most fields a post may carry: the page's form has four (message,
 * attachment, form token, honeypot). Counted in the raw body before it is
 * parsed: parsing half a million tiny fields (5 MB of `k1=&k2=&…`) holds the
 * event loop for seconds, and every other request of the process with it.
 */
export const maxFormParts = 16;

/** Fields in a raw form body, counted up to just past `max`: `&`-separated pairs, or multipart boundaries. */
export function formPartsOver(bytes: Buffer, contentType: string, max: number): boolean {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const separator = /^\s*multipart\//i.test(contentType) ? `--${boundary?.[1] ?? boundary?.[2] ?? ''}` : '&';
  if (separator === '--') return false;
  let count = 0;
  for (let at = bytes.indexOf(separator); at !== -1; at = bytes.indexOf(separator, at + separator.length)) {
    count += 1;
    // A multipart body has one boundary more than parts (the closing one); a urlencoded one fewer `&` than pairs.
    if (count > max + 1) return true;
  }
  return false;
}

/** Reads the form, multipart or urlencoded; anything else is refused (a browser form sends nothing else). */
async function readForm(c: Context<AppEnv>): Promise<FormBody> {
  const header = c.req.header('content-type') ?? '';
  const type = header.toLowerCase();
  if (!type.startsWith('multipart/form-data') && !type.startsWith('application/x-www-form-urlencoded'))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The message must be sent with the form on the order page');
  let tooManyParts = false;
  try {
    // Read once (bounded by bodyLimit) and kept by the request: parseBody parses these same bytes.
    // The header as sent: a multipart boundary is case-sensitive.
    tooManyParts = formPartsOver(Buffer.from(await c.req.arrayBuffer()), header, maxFormParts);
    if (!tooManyParts) return (await c.req.parseBody()) as FormBody;
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The form could not be read; please send it again');
  }
  throw new AppError('VALIDATION_FAILED', 'The form has more fields than the order page sends');
}

/**
 * The customer's message form on the order page (public: the page token is the
 * key). Every refusal is the page again with the error's stable code (in
 * `X-Error-Code` and `data-error-code`), its HTTP status and the text kept;
 * success is a redirect to the page (post/redirect/get).
 */
export function pageFormRouter() {
  const router = new Hono<AppEnv>();
  router.post(
    '/p/:token/messages',
    // Refused before reading a huge body (a declared length from the header alone).
    bodyLimit({
      maxSize: pageFormBodyLimit,
      onError: (c) =>
        renderOrderPage(c, c.get('services'), c.req.param('token') ?? '', {
          status: 413,
          form: {
            error: {
              code: 'FILE_TOO_LARGE',
              message: `The attachment is too large; at most ${customerMessageLimits.attachmentBytes / (1024 * 1024)} MB are accepted`,
            },
          },
        }),
    }),
    async (c) => {
      const services = c.get('services');
      const token = c.req.param('token');
      let body: FormBody = {};
      try {
        const settings = await services.settings.get();
        if (!sameOriginPost(c, settings.publicBaseUrl))
          throw new AppError('CROSS_SITE_POST', 'This form can only be sent from the order page itself');
        const clientWait = await services.rateLimiter.hit(
          `page-form:client:${clientAddress(c, services.config.TRUST_PROXY)}`,
          limits(services).client,
        );
        body = await readForm(c);
        const order = await findPageOrder(services, token);
        // Unknown, rotated or malformed token: the page's one 404.
        if (!order) return await renderOrderPage(c, services, token);
        if (clientWait !== null) throw tooMany(clientWait);
        const tokenCheck = await checkFormToken(services, token, stringField(body, customerMessageFields.formToken));
        if (tokenCheck === 'expired')
          throw new AppError('FORM_TOKEN_EXPIRED', 'The page was open for too long; your message is kept below, please send it again');
        if (tokenCheck !== 'valid')
          throw new AppError('FORM_TOKEN_INVALID', 'The form could not be verified; your message is kept below, please send it again');
        // A bot filled the hidden field: it hears what a person would, and nothing is stored or sent.
        if (honeypotFilled(body)) return c.redirect(sentLocation(token), 303);
        if (order.archivedAt) throw new AppError('ORDER_ARCHIVED', 'This order is archived and takes no more messages');
        if (!settings.pageFormEnabled) throw new AppError('FORM_DISABLED', 'Messages cannot be sent through this page');
        const input = { text: messageText(body), attachment: await messageAttachment(body) };
        const orderWait = await services.rateLimiter.hit(`page-form:order:${order.id}`, limits(services).order);
        if (orderWait !== null) throw tooMany(orderWait);
        await storeCustomerMessage(services, order, input, stringField(body, customerMessageFields.formToken) ?? '');
        return c.redirect(sentLocation(token), 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.code === 'CROSS_SITE_POST' || error.code === 'UNSUPPORTED_MEDIA_TYPE')
          return orderPageError(error instanceof Error ? error : new Error(String(error)), c);
        if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
        return renderOrderPage(c, services, token, {
          status: httpStatusOf(error.code) as ContentfulStatusCode,
          form: { error: { code: error.code, message: error.message }, draft: draftOf(body) },
        });
      }
    },
  );
  return router;
}

function stringField(body: FormBody, name: string): string | undefined {
  const value = field(body, name);
  return typeof value === 'string' ? value : undefined;
}

/** Post/redirect/get: the page, with the "message sent" notice, at the conversation (relative: works under a path prefix). */
function sentLocation(token: string): string {
  return `../${encodeURIComponent(token)}?sent=1#conversation`;
}
