import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';

const fileJson = (alias: string) =>
  `case when ${alias}.id is null then null else json_build_object('id', ${alias}.id, 'filename', ${alias}.filename, 'contentType', ${alias}.content_type, 'size', ${alias}.size) end`;

/**
 * Rewrites the order's copies of its invoices and parcels (orders.invoices_view,
 * orders.parcels_view) from their tables. Every write to those tables calls it
 * in the same transaction, so the copies never differ from the tables and an
 * order is read from its own row alone.
 */
export async function refreshOrderDocuments(tx: Queryable, orderId: number): Promise<void> {
  await tx.execute(sql`
    update orders o set
      invoices_view = coalesce((
        select jsonb_agg(jsonb_build_object('id', v.id, 'kind', v.kind, 'number', v.number, 'issueDate', v.issue_date::text,
                 'createdAt', v.created_at, 'file', ${sql.raw(fileJson('vf'))}) order by v.id)
          from invoices v left join files vf on vf.id = v.file_id where v.order_id = o.id), '[]'::jsonb),
      parcels_view = coalesce((
        select jsonb_agg(jsonb_build_object('id', p.id, 'carrier', p.carrier, 'trackingNumber', p.tracking_number, 'status', p.status,
                 'createdAt', p.created_at, 'updatedAt', p.updated_at, 'photo', ${sql.raw(fileJson('pf'))}) order by p.id)
          from parcels p left join files pf on pf.id = p.photo_file_id where p.order_id = o.id), '[]'::jsonb)
    where o.id = ${orderId}`);
}
