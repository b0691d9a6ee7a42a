import { eq, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '../../db/client.js';
import { files, invoices, orders, parcels } from '../../db/schema/index.js';

/**
 * `jsonb_build_object` from a record of the view's keys (as the order view
 * returns them, see orders.mapper.ts) to columns, so column names come from the
 * drizzle schema and never from hand-written SQL.
 */
function jsonbObject(fields: Record<string, SQLWrapper>): SQL {
  const pairs = Object.entries(fields).map(([key, value]) => {
    // Keys are identifiers written in this file, never input; a literal keeps the statement free of untyped parameters.
    if (!/^[A-Za-z]+$/.test(key)) throw new Error(`unexpected JSON key ${key}`);
    return sql`${sql.raw(`'${key}'`)}, ${value}`;
  });
  return sql`jsonb_build_object(${sql.join(pairs, sql`, `)})`;
}

/** A file attached to a document as the order view shows it, or null. */
function fileJson(file: Record<'id' | 'filename' | 'contentType' | 'size', SQLWrapper>): SQL {
  return sql`case when ${file.id} is null then null else ${jsonbObject({
    id: file.id,
    filename: file.filename,
    contentType: file.contentType,
    size: file.size,
  })} end`;
}

// An alias renders as its bare name in a sql template, so the joins below say `${files} as ${alias}`.
const invoiceFile = alias(files, 'invoice_file');
const parcelPhoto = alias(files, 'parcel_photo');

/**
 * Rewrites the order's copies of its invoices and parcels (orders.invoices_view,
 * orders.parcels_view) from their tables, in one statement. Every write to
 * those tables calls it in the same transaction, so the copies never differ
 * from the tables and an order is read from its own row alone.
 */
export async function refreshOrderDocuments(tx: Queryable, orderId: number): Promise<void> {
  const invoice = jsonbObject({
    id: invoices.id,
    kind: invoices.kind,
    number: invoices.number,
    issueDate: sql`${invoices.issueDate}::text`,
    createdAt: invoices.createdAt,
    file: fileJson(invoiceFile),
  });
  const parcel = jsonbObject({
    id: parcels.id,
    carrier: parcels.carrier,
    trackingNumber: parcels.trackingNumber,
    status: parcels.status,
    createdAt: parcels.createdAt,
    updatedAt: parcels.updatedAt,
    photo: fileJson(parcelPhoto),
  });
  await tx
    .update(orders)
    .set({
      invoicesView: sql`coalesce((
        select jsonb_agg(${invoice} order by ${invoices.id})
          from ${invoices} left join ${files} as ${invoiceFile} on ${invoiceFile.id} = ${invoices.fileId}
          where ${invoices.orderId} = ${orders.id}), '[]'::jsonb)`,
      parcelsView: sql`coalesce((
        select jsonb_agg(${parcel} order by ${parcels.id})
          from ${parcels} left join ${files} as ${parcelPhoto} on ${parcelPhoto.id} = ${parcels.photoFileId}
          where ${parcels.orderId} = ${orders.id}), '[]'::jsonb)`,
    })
    .where(eq(orders.id, orderId));
}
