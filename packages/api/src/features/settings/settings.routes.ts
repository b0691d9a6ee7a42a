import { createRoute } from '@hono/zod-openapi';
import { fileUpload, shopSettings, shopSettingsPatch } from '@orderpost/shared';
import { authorize } from '../../http/auth.js';
import { errorSchema, jsonBody, jsonResponse, standardErrors } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { currentSettings, setLogo, updateSettings } from './settings.service.js';

const tags = ['Shop settings'];
const adminOnly = authorize('admin');

export const settingsRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/settings',
      tags,
      ...adminOnly,
      summary: 'Read the shop settings',
      responses: { 200: jsonResponse(shopSettings, 'The settings'), ...standardErrors },
    }),
    async (c) => c.json(await currentSettings(c.get('services')), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/v1/settings',
      tags,
      ...adminOnly,
      summary: 'Change the shop settings (only the fields sent change)',
      description:
        '`defaultCountry` is used to read phone numbers written without a country code; numbers already stored keep the form they were saved in.',
      request: jsonBody(shopSettingsPatch),
      responses: { 200: jsonResponse(shopSettings, 'The settings as they are now'), ...standardErrors },
    }),
    async (c) => c.json(await updateSettings(c.get('services'), c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/v1/settings/logo',
      tags,
      ...adminOnly,
      summary: 'Upload the shop logo (PNG, JPEG, WebP or GIF)',
      request: jsonBody(fileUpload),
      responses: {
        200: jsonResponse(shopSettings, 'The settings with the new logo'),
        ...standardErrors,
        413: jsonResponse(errorSchema, 'File too large'),
        415: jsonResponse(errorSchema, 'Not an image'),
      },
    }),
    async (c) => c.json(await setLogo(c.get('services'), c.req.valid('json')), 200),
  );
