import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  adminAccessSchema,
  adminScopesSchema,
  dashboardSchema,
  principalSearchQuerySchema,
  principalSearchSchema,
} from '../../contracts/admin-schemas.js';
import { callContext } from '../graph/call-context.js';
import type { ApiRouteRegistrar } from './api-route-types.js';

const tags = ['admin'];

/**
 * `/api/v1/admin/me`, `/admin/dashboard`, `/admin/principals`, `/admin/scopes`: what the portal's administrator
 * pages start from. Readers of PIM only, except `me`, which anyone may ask.
 */
export const registerAdminReportRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/admin/me',
    {
      schema: {
        summary: 'What the caller may do on the administrator pages: read PIM, and change assignments',
        tags,
        response: { 200: adminAccessSchema },
      },
    },
    async (req) => services.adminReports.access(callContext(req)),
  );

  r.get(
    '/admin/dashboard',
    {
      schema: {
        summary:
          'Privileged roles with their eligible, active and permanent assignments; activations in the last 7 and 30 days; pending approvals; assignments ending within 14 days; emergency-access accounts',
        tags,
        response: { 200: dashboardSchema },
      },
    },
    async (req) => {
      const d = await services.adminReports.dashboard(callContext(req));
      return { ...d, at: d.at.toISOString() };
    },
  );

  r.get(
    '/admin/principals',
    {
      schema: {
        summary: 'Users, groups and service principals whose name starts with the search text, to pick from',
        tags,
        querystring: principalSearchQuerySchema,
        response: { 200: principalSearchSchema },
      },
    },
    async (req) => ({ items: await services.adminReports.principals(callContext(req), req.query) }),
  );

  r.get(
    '/admin/scopes',
    {
      schema: {
        summary:
          'The scopes grants can be made at: the directory, administrative units, registered resource scopes',
        tags,
        response: { 200: adminScopesSchema },
      },
    },
    async (req) => ({ items: await services.adminReports.scopes(callContext(req)) }),
  );
};
