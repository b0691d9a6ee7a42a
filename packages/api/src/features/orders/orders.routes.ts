import { createRoute } from '@hono/zod-openapi';
import {
  batchResult,
  idParam,
  invoiceInput,
  order,
  orderBatchInput,
  orderInput,
  orderListQuery,
  orderPage,
  orderPatch,
  parcelInput,
  parcelStatusChange,
  paymentRecord,
  statusChange,
} from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import {
  conflictError,
  errorSchema,
  jsonBody,
  jsonResponse,
  notFoundError,
  standardErrors,
  unprocessableError,
} from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { listOrders } from './orders.query.js';
import {
  addParcel,
  changeParcelStatus,
  changeStatus,
  editOrder,
  issueInvoice,
  readOrder,
  recordPayment,
  restoreOrder,
} from './orders.service.js';
import { saveOrder, upsertOrders } from './orders.upsert.js';

const readers = authorize('agent', 'integration');
const writers = authorize('integration');
const statusChangers = authorize('agent', 'integration');
const orderParams = z.object({ id: idParam });
const tooLarge = { 413: jsonResponse(errorSchema, 'Body or file too large') };
const badFile = { 415: jsonResponse(errorSchema, 'The file is not of an accepted type') };
const tags = ['Orders'];
const single = { ...standardErrors, ...notFoundError, ...conflictError, ...unprocessableError };

export const ordersRouter = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders',
      tags,
      ...writers,
      summary: 'Create an order, or update the one with the same source and externalId',
      request: jsonBody(orderInput),
      responses: {
        201: jsonResponse(order, 'Created'),
        200: jsonResponse(order, 'An order with this source and externalId existed and was updated'),
        ...standardErrors,
        ...conflictError,
        ...unprocessableError,
        ...tooLarge,
      },
    }),
    async (c) => {
      const { order, created } = await saveOrder(c.get('services'), c.req.valid('json'));
      return c.json(order, created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/batch',
      tags,
      ...writers,
      summary: 'Create or update up to 1000 orders at once (all or nothing)',
      description:
        'Orders are matched on (source, externalId). When any order has a problem, nothing is saved and every problem is listed with its index.',
      request: jsonBody(orderBatchInput),
      responses: {
        200: jsonResponse(batchResult, 'What happened to each order, in request order'),
        ...standardErrors,
        ...tooLarge,
        422: jsonResponse(errorSchema, 'BATCH_REJECTED: nothing was saved; see issues'),
      },
    }),
    async (c) => c.json(await upsertOrders(c.get('services'), c.req.valid('json').orders, true), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/orders',
      tags,
      ...readers,
      summary: 'List and look up orders (newest first, cursor paging)',
      description:
        "Filters combine. `email` is compared case-insensitively; `phone` in E.164 (national numbers read with the shop's default country); `number` ignoring case, spaces and separators. Archived orders are left out unless `archived=true|all`.",
      request: { query: orderListQuery },
      responses: { 200: jsonResponse(orderPage, 'A page of orders'), ...standardErrors },
    }),
    async (c) => c.json(await listOrders(c.get('services'), c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/orders/{id}',
      tags,
      ...readers,
      summary: 'Read an order (archived ones too)',
      request: { params: orderParams },
      responses: { 200: jsonResponse(order, 'The order'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await readOrder(c.get('services'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/v1/orders/{id}',
      tags,
      ...writers,
      summary: 'Edit an order (only the fields sent change)',
      request: { params: orderParams, ...jsonBody(orderPatch) },
      responses: { 200: jsonResponse(order, 'The order as it is now'), ...single },
    }),
    async (c) => c.json(await editOrder(c.get('services'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/status',
      tags,
      ...statusChangers,
      summary: 'Change the order status',
      request: { params: orderParams, ...jsonBody(statusChange) },
      responses: { 200: jsonResponse(order, 'The order as it is now'), ...single },
    }),
    async (c) => c.json(await changeStatus(c.get('services'), c.req.valid('param').id, c.req.valid('json').status), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/payments',
      tags,
      ...writers,
      summary: 'Record a payment (added to the amount paid)',
      request: { params: orderParams, ...jsonBody(paymentRecord) },
      responses: { 200: jsonResponse(order, 'The order as it is now'), ...single },
    }),
    async (c) => c.json(await recordPayment(c.get('services'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/invoices',
      tags,
      ...writers,
      summary: 'Issue an invoice or pro-forma invoice, optionally with its PDF',
      request: { params: orderParams, ...jsonBody(invoiceInput) },
      responses: { 201: jsonResponse(order, 'The order with the new invoice'), ...single, ...tooLarge, ...badFile },
    }),
    async (c) => c.json(await issueInvoice(c.get('services'), c.req.valid('param').id, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/parcels',
      tags,
      ...writers,
      summary: 'Add a parcel, optionally with a photo of the packed parcel',
      request: { params: orderParams, ...jsonBody(parcelInput) },
      responses: { 201: jsonResponse(order, 'The order with the new parcel'), ...single, ...tooLarge, ...badFile },
    }),
    async (c) => c.json(await addParcel(c.get('services'), c.req.valid('param').id, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/parcels/{parcelId}/status',
      tags,
      ...writers,
      summary: "Change a parcel's status",
      request: { params: orderParams.extend({ parcelId: idParam }), ...jsonBody(parcelStatusChange) },
      responses: { 200: jsonResponse(order, 'The order as it is now'), ...single },
    }),
    async (c) => {
      const { id, parcelId } = c.req.valid('param');
      return c.json(await changeParcelStatus(c.get('services'), id, parcelId, c.req.valid('json').status), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/restore',
      tags,
      ...authorize('agent'),
      summary: 'Restore an archived order',
      request: { params: orderParams },
      responses: { 200: jsonResponse(order, 'The restored order'), ...single },
    }),
    async (c) => c.json(await restoreOrder(c.get('services'), c.req.valid('param').id), 200),
  );
