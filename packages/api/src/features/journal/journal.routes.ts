import { createRoute } from '@hono/zod-openapi';
import { journalPage, journalQuery } from '@orderpost/shared';
import { authorize } from '../../http/auth.js';
import { jsonResponse, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { readJournal } from './journal.service.js';

export const journalRouter = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/v1/journal',
    tags: ['Journal'],
    ...authorize('agent', 'integration'),
    summary: 'Poll the order journal',
    description:
      "Returns events with id > `after`, oldest first. Poll again with `after=lastId`; no event is ever skipped, also when transactions commit out of order. Types keep BaseLinker's getJournalList numbers (1 created, 3 payment, 7 invoice, 9 parcel, 16 edited, 18 status, 22 parcel status) and use 100+ for the rest.",
    request: { query: journalQuery },
    responses: { 200: jsonResponse(journalPage, 'Events'), ...standardErrors },
  }),
  async (c) => c.json(await readJournal(c.get('services'), c.req.valid('query')), 200),
);
