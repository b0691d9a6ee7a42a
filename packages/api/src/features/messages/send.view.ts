import type { QueuedMessage } from '@orderpost/shared';
import type { orderMessages } from '../../db/schema/index.js';

export function queuedMessageView(row: typeof orderMessages.$inferSelect): QueuedMessage {
  return {
    id: row.id,
    orderId: row.orderId,
    kind: row.kind ?? 'email_only',
    status: row.status,
    to: row.toAddress,
    messageId: row.messageId,
    templateName: row.templateName,
    createdAt: row.createdAt.toISOString(),
  };
}
