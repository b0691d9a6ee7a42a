import { customerMessageLimits, type ErrorBody, type ShopSettings } from '@orderpost/shared';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../http/context.js';
import { handleError } from '../../http/errors.js';
import type { Services } from '../../services.js';
import { issueFormToken } from './form.token.js';
import { type PageLanguage, pageFormat, pageLanguage, pageTexts } from './page.i18n.js';
import { loadOrderPage } from './page.service.js';
import { Layout, MessagePage, OrderPage, type PageLinks, type ShopHeader } from './page.view.js';

/** What "form" passes when it shows the page again: its answer's status, the error and the draft kept; or the PRG notice. */
export interface RenderOrderPageOptions {
  /** A status with a body (200 unless said: the form's errors are 4xx). */
  status?: number;
  form?: { error?: { code: string; message: string }; draft?: string };
  notice?: 'sent';
}

/**
 * How far the answered URL is below /p/, as `../` steps: the page's own links
 * are relative, so they keep working behind a proxy that serves the app under
 * a path prefix (publicBaseUrl with a path), and from /p/{token}/messages when
 * the form shows the page again.
 */
export function linksFor(path: string): PageLinks {
  const depth = Math.max(0, path.split('/').length - 3);
  return { up: '../'.repeat(depth) };
}

function shopHeader(settings: ShopSettings, links: PageLinks): ShopHeader {
  return { name: settings.shopName, logo: settings.logo ? `${links.up}assets/logo/${settings.logo.id}` : null };
}

function html(c: Context<AppEnv>, body: unknown, status: ContentfulStatusCode): Response {
  c.header('Content-Type', 'text/html; charset=utf-8');
  return c.body(`<!doctype html>${String(body)}`, status);
}

/**
 * The customer's order page for a token, or the 404 page when no order has
 * it: the same answer for a token that never existed, one rotated away, or
 * one of any other shape (one indexed lookup for each).
 */
export async function renderOrderPage(
  c: Context<AppEnv>,
  services: Services,
  token: string,
  opts: RenderOrderPageOptions = {},
): Promise<Response> {
  const settings = await services.settings.get();
  const data = await loadOrderPage(services, token);
  const links = linksFor(c.req.path);
  if (!data) return notFoundPage(c, settings, links);
  const lang = pageLanguage(data.order.language, settings.defaultLanguage);
  const t = pageTexts[lang];
  const showForm = data.pageFormEnabled && !data.order.archived;
  const form = showForm
    ? {
        formToken: await issueFormToken(services, token),
        textLimit: customerMessageLimits.text,
        attachmentBytes: customerMessageLimits.attachmentBytes,
        ...opts.form,
      }
    : null;
  const page = (
    <Layout lang={lang} title={t.title(data.order.number)} links={links} shop={shopHeader(settings, links)} footer={t.privateNote}>
      <OrderPage
        data={data}
        token={token}
        links={links}
        shopName={settings.shopName}
        t={t}
        format={pageFormat(lang, settings.defaultCountry)}
        lang={lang}
        form={form}
        sent={opts.notice === 'sent'}
      />
    </Layout>
  );
  if (opts.form?.error) c.header('X-Error-Code', opts.form.error.code);
  return html(c, page, (opts.status ?? 200) as ContentfulStatusCode);
}

function notFoundPage(c: Context<AppEnv>, settings: ShopSettings | null, links: PageLinks): Response {
  const lang: PageLanguage = pageLanguage(null, settings?.defaultLanguage ?? null);
  const t = pageTexts[lang];
  c.header('X-Error-Code', 'ORDER_NOT_FOUND');
  return html(
    c,
    <Layout lang={lang} title={t.notFoundTitle} links={links} shop={settings ? shopHeader(settings, links) : null}>
      <MessagePage title={t.notFoundTitle} text={t.notFoundText} code="ORDER_NOT_FOUND" />
    </Layout>,
    404,
  );
}

/** The 404 page for anything under /p/ that is not a page, a download or an asset. */
export async function orderPageNotFound(c: Context<AppEnv>): Promise<Response> {
  return notFoundPage(c, await settingsOrNull(c), linksFor(c.req.path));
}

async function settingsOrNull(c: Context<AppEnv>): Promise<ShopSettings | null> {
  try {
    return await c.get('services').settings.get();
  } catch {
    return null;
  }
}

/**
 * Errors under /p/ as an HTML page: the status and stable code the API would
 * answer (mapped and logged by the one error handler), the code also in
 * `data-error-code` and `X-Error-Code`, Retry-After kept; never the message
 * (it may name internals).
 */
export async function orderPageError(err: Error, c: Context<AppEnv>): Promise<Response> {
  const answer = handleError(withoutPageToken(err, c.req.path), c);
  const body = (await answer.json()) as ErrorBody;
  const status = answer.status as ContentfulStatusCode;
  const code = body.error.code;
  if (status === 404) return orderPageNotFound(c);
  const settings = status === 503 ? null : await settingsOrNull(c);
  const lang = pageLanguage(null, settings?.defaultLanguage ?? null);
  const t = pageTexts[lang];
  // A refusal says what to do (in words for its code where there are some); only a server error blames the server.
  const text = status === 503 ? t.unavailableText : status < 500 ? (t.formErrors[code] ?? t.refusedText) : t.errorText;
  c.header('X-Error-Code', code);
  return html(
    c,
    <Layout
      lang={lang}
      title={t.errorTitle}
      links={linksFor(c.req.path)}
      shop={settings ? shopHeader(settings, linksFor(c.req.path)) : null}
    >
      <MessagePage title={t.errorTitle} text={text} code={code} />
    </Layout>,
    status,
  );
}

/**
 * The error with the page token taken out of what gets logged (a failed query
 * names its parameters, the token among them): the token is the page's key.
 */
function withoutPageToken(err: Error, path: string): Error {
  const token = path.split('/')[2];
  if (!token || token.length < 8) return err;
  const scrub = (value: unknown): unknown =>
    typeof value === 'string' ? value.replaceAll(token, '…') : Array.isArray(value) ? value.map(scrub) : value;
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const error = current as Error & { params?: unknown };
    for (const key of ['message', 'stack', 'params'] as const) {
      const scrubbed = key in error ? scrub(error[key]) : undefined;
      if (scrubbed !== undefined && scrubbed !== error[key]) replaceProperty(error, key, scrubbed);
    }
    current = error.cause;
  }
  return err;
}

/**
 * Sets a property of someone else's error, which may not allow it: postgres.js
 * makes `stack` of its connection errors read-only, and assigning to it threw
 * a TypeError that turned a database outage's 503 into a 500. Redefined when
 * configurable, else left as it is (an error that cannot be changed is logged unscrubbed rather than not answered).
 */
function replaceProperty(target: object, key: string, value: unknown): void {
  try {
    Reflect.set(target, key, value) || Object.defineProperty(target, key, { value, writable: true, configurable: true });
  } catch {
    // Neither writable nor configurable.
  }
}
