import { createRoute } from '@hono/zod-openapi';
import {
  idParam,
  itemFields,
  itemsVariable,
  renderedTemplate,
  tagList,
  template,
  templateInput,
  templateList,
  templateListQuery,
  templatePatch,
  templateRenderRequest,
  templateSaved,
  templateTags,
} from '@orderpost/shared';
import { z } from 'zod';
import { authorize } from '../../http/auth.js';
import { errorSchema, jsonBody, jsonResponse, notFoundError, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, previewTemplate, updateTemplate } from './templates.service.js';

const tags = ['E-mail templates'];
const params = z.object({ id: idParam });
/** Agents read templates and render them (the add-on's "reply with a template"); only admins change them. */
const readers = authorize('agent');
const adminOnly = authorize('admin');

const refused = {
  413: jsonResponse(errorSchema, 'An attachment is too large (FILE_TOO_LARGE)'),
  415: jsonResponse(errorSchema, 'An attachment is not a PDF, image, office document or text (FILE_TYPE_NOT_ALLOWED)'),
  422: jsonResponse(
    errorSchema,
    'Unknown tags (UNKNOWN_TAGS, each in `issues`), a Liquid error (TEMPLATE_INVALID) or active content (ACTIVE_CONTENT)',
  ),
};

const saveDescription =
  'The subject, preheader and content may use `[tags]` (GET /v1/tags) and Liquid (`{% if %}`, `{% for item in items %}`). ' +
  'Refused: unknown tags (422 UNKNOWN_TAGS), Liquid errors or templates that break the render limits (422 TEMPLATE_INVALID), ' +
  'scripts, `javascript:`/`vbscript:` URLs, event-handler attributes, objects, embeds, applets and frames (422 ACTIVE_CONTENT). ' +
  'Shortened links (bit.ly, tinyurl.com, …) are saved with `warnings`. Attachment files are checked by their content.';

export const templatesRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/templates',
      tags,
      ...readers,
      summary: 'List e-mail templates by name (hidden ones only with includeHidden=true)',
      request: { query: templateListQuery },
      responses: { 200: jsonResponse(templateList, 'The templates'), ...standardErrors },
    }),
    async (c) => {
      const { includeHidden } = c.req.valid('query');
      return c.json({ templates: await listTemplates(c.get('services'), { includeHidden: includeHidden === 'true' }) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/templates/{id}',
      tags,
      ...readers,
      summary: 'Read an e-mail template',
      request: { params },
      responses: { 200: jsonResponse(template, 'The template'), ...standardErrors, ...notFoundError },
    }),
    async (c) => c.json(await getTemplate(c.get('services'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/templates',
      tags,
      ...adminOnly,
      summary: 'Add an e-mail template',
      description: saveDescription,
      request: jsonBody(templateInput),
      responses: { 201: jsonResponse(templateSaved, 'Saved, with warnings'), ...standardErrors, ...notFoundError, ...refused },
    }),
    async (c) => c.json(await createTemplate(c.get('services'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/v1/templates/{id}',
      tags,
      ...adminOnly,
      summary: 'Change an e-mail template (only the fields sent; `attachments` replaces the list)',
      description: saveDescription,
      request: { params, ...jsonBody(templatePatch) },
      responses: { 200: jsonResponse(templateSaved, 'Saved, with warnings'), ...standardErrors, ...notFoundError, ...refused },
    }),
    async (c) => c.json(await updateTemplate(c.get('services'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/v1/templates/{id}',
      tags,
      ...adminOnly,
      summary: 'Remove an e-mail template',
      request: { params },
      responses: { 204: { description: 'Removed' }, ...standardErrors, ...notFoundError },
    }),
    async (c) => {
      await deleteTemplate(c.get('services'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/templates/{id}/render',
      tags,
      ...readers,
      summary: 'Render a template for an order: subject, HTML, text, preheader, warnings and the attachments it would carry',
      request: { params, ...jsonBody(templateRenderRequest) },
      responses: {
        200: jsonResponse(renderedTemplate, 'The message as it would be sent now'),
        ...standardErrors,
        ...notFoundError,
        422: refused[422],
      },
    }),
    async (c) => c.json(await previewTemplate(c.get('services'), c.req.valid('param').id, c.req.valid('json').orderId), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/tags',
      tags,
      ...readers,
      summary: 'The [tags] templates may use, with descriptions and examples, and the item fields for Liquid loops',
      responses: { 200: jsonResponse(tagList, 'The tags'), ...standardErrors },
    }),
    (c) =>
      c.json(
        {
          tags: templateTags.map((tag) => ({ ...tag, tag: `[${tag.name}]` })),
          loops: [{ name: itemsVariable, description: 'The order lines: {% for item in items %}…{% endfor %}', fields: [...itemFields] }],
        },
        200,
      ),
  );
