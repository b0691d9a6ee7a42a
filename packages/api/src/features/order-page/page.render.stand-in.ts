// TODO(form): stand-in for the "page" helper's page.render.tsx (renderOrderPage, orderPageError);
// deleted when that lands on main. Only what the form's route and tests need.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../http/context.js';
import { handleError } from '../../http/errors.js';
import type { Services } from '../../services.js';
import { escapeHtml } from '../templates/templates.html.js';
import { issueFormToken } from './form.token.js';
import { findPageOrder } from './form.service.js';

export interface RenderOrderPageOptions {
  status?: ContentfulStatusCode;
  form?: { error?: { code: string; message: string }; draft?: string };
  notice?: 'sent';
}

export async function renderOrderPage(c: Context<AppEnv>, services: Services, token: string, opts: RenderOrderPageOptions = {}) {
  const order = await findPageOrder(services, token);
  if (!order) {
    c.header('X-Error-Code', 'ORDER_NOT_FOUND');
    return c.html('<!doctype html><p data-error-code="ORDER_NOT_FOUND">Not found</p>', 404);
  }
  const error = opts.form?.error;
  if (error) c.header('X-Error-Code', error.code);
  const formToken = await issueFormToken(services, token);
  return c.html(
    `<!doctype html><h1>Order ${escapeHtml(order.number)}</h1>${error ? `<p data-error-code="${escapeHtml(error.code)}">${escapeHtml(error.message)}</p>` : ''}
<form method="post" action="/p/${escapeHtml(token)}/messages" enctype="multipart/form-data"><textarea name="message">${escapeHtml(opts.form?.draft ?? '')}</textarea>
<input type="hidden" name="formToken" value="${escapeHtml(formToken)}"></form>`,
    opts.status ?? 200,
  );
}

export async function orderPageError(err: Error, c: Context<AppEnv>): Promise<Response> {
  const answer = handleError(err, c);
  const body = (await answer.json()) as { error: { code: string } };
  c.header('X-Error-Code', body.error.code);
  return c.html(`<!doctype html><p data-error-code="${escapeHtml(body.error.code)}">Error</p>`, answer.status as ContentfulStatusCode);
}
