import { desc, eq } from 'drizzle-orm';
import { orders, templates } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import { classifySmtpError } from '../mailboxes/smtp-errors.js';
import { renderForOrder } from '../templates/templates.render.js';
import { mailOptions } from './delivery.js';
import { messageIdDomain, newMessageId } from './send.service.js';

export interface TestSendResult {
  ok: boolean;
  messageId: string | null;
  via: number | 'default' | null;
  error: string | null;
}

/**
 * Sends a template, rendered for an order (the newest one when none is
 * given), to any address at once, through the mailbox the template would use:
 * the seller sees it as a customer will. It is not queued, not written to any
 * order's history, and its Message-ID is not one the matcher knows.
 */
export async function testSend(services: Services, templateId: number, input: { to: string; orderId?: number }): Promise<TestSendResult> {
  const { db } = services.database;
  const [template] = await db.select().from(templates).where(eq(templates.id, templateId));
  if (!template) throw new AppError('TEMPLATE_NOT_FOUND', `There is no template ${templateId}`);
  let orderId = input.orderId;
  if (orderId === undefined) {
    const [newest] = await db.select({ id: orders.id }).from(orders).orderBy(desc(orders.id)).limit(1);
    if (!newest) throw new AppError('ORDER_NOT_FOUND', 'A test send renders the template for an order, and there is none yet', 'orderId');
    orderId = newest.id;
  }
  const rendered = await renderForOrder(services, template, orderId);
  const sender = await services.mail.resolve(template.mailboxId);
  if (!sender)
    return { ok: false, messageId: null, via: null, error: 'No mailbox can send: set SMTP_URL and MAIL_FROM (or a valid own mailbox)' };
  const settings = await services.settings.get();
  const messageId = `test.${newMessageId(orderId, messageIdDomain(settings, services.config.MAIL_FROM))}`;
  try {
    await sender.transporter.sendMail(mailOptions(sender, rendered, input.to, messageId));
    return { ok: true, messageId, via: sender.via, error: null };
  } catch (error) {
    return { ok: false, messageId: null, via: sender.via, error: classifySmtpError(error).message };
  }
}
