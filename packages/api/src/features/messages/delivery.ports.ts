import type { Services } from '../../services.js';
import { classifySmtpError } from '../mailboxes/smtp-errors.js';
import { renderForOrders } from '../templates/templates.render.js';
import type { DeliveryPorts } from './delivery.js';

/** Delivery's view of the mailbox and template features. */
export function deliveryPorts(services: Services): DeliveryPorts {
  return {
    resolveSender: (mailboxId) => services.mail.resolve(mailboxId),
    recordOutcome: (mailboxId, result) => services.mail.recordOutcome(mailboxId, result),
    classify: classifySmtpError,
    render: async (source, orderIds) => {
      try {
        return await renderForOrders(services, source, orderIds);
      } catch (error) {
        // A template that no longer passes its checks fails every message of it alike.
        const failure = error instanceof Error ? error : new Error(String(error));
        return new Map(orderIds.map((id) => [id, failure]));
      }
    },
  };
}
