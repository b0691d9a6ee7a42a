import { customerMessageFields } from '@orderpost/shared';
import { eq } from 'drizzle-orm';
import type { App } from '../src/app.js';
import { journal, orderMessages } from '../src/db/schema/index.js';
import { issueFormToken } from '../src/features/order-page/form.token.js';
import { ensurePageTokens } from '../src/features/orders/orders.page-token.js';
import type { Services } from '../src/services.js';

/** A 1×1 PNG: a real image by its content. */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export interface FormPost {
  message?: string;
  /** A form token; by default one issued now for the page. Null: left out. */
  formToken?: string | null;
  website?: string;
  attachment?: { name: string; type?: string; content: Uint8Array | string };
  headers?: Record<string, string>;
}

/** The order's page token (made when it has none). */
export async function pageTokenOf(services: Services, orderId: number): Promise<string> {
  const token = (await ensurePageTokens(services.database.db, [orderId])).get(orderId);
  if (!token) throw new Error(`order ${orderId} has no page token`);
  return token;
}

/** Posts the order page's form as a browser does (multipart, from the page's own origin unless headers say otherwise). */
export async function postForm(app: App, services: Services, pageToken: string, post: FormPost = {}): Promise<Response> {
  const form = new FormData();
  form.set(customerMessageFields.message, post.message ?? 'Hello, where is my parcel?');
  const formToken = post.formToken === undefined ? await issueFormToken(services, pageToken) : post.formToken;
  if (formToken !== null) form.set(customerMessageFields.formToken, formToken);
  form.set(customerMessageFields.honeypot, post.website ?? '');
  if (post.attachment) {
    const { name, type, content } = post.attachment;
    form.set(customerMessageFields.attachment, new File([content], name, { type: type ?? 'application/octet-stream' }));
  } else {
    // What a browser sends when no file was chosen.
    form.set(customerMessageFields.attachment, new File([], '', { type: 'application/octet-stream' }));
  }
  return app.request(`/p/${pageToken}/messages`, {
    method: 'POST',
    body: form,
    headers: { origin: 'http://localhost', 'sec-fetch-site': 'same-origin', ...post.headers },
  });
}

/** The order's history rows and journal types, to assert what a post left behind. */
export async function traces(services: Services, orderId: number) {
  const { db } = services.database;
  const messages = await db.select().from(orderMessages).where(eq(orderMessages.orderId, orderId)).orderBy(orderMessages.id);
  const types = (await db.select({ type: journal.type }).from(journal).where(eq(journal.orderId, orderId)).orderBy(journal.id)).map(
    (row) => row.type,
  );
  return { messages, journalTypes: types };
}
