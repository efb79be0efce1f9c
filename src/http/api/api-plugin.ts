import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { ElevateError } from '../../core/errors.js';
import { authenticateRequest } from '../auth/authenticate.js';
import { registerAccessApiAlias, registerAccessApiRoutes } from './access-api-routes.js';
import { registerAdminAssignmentRoutes } from './admin-assignment-routes.js';
import { registerAdminReportRoutes } from './admin-report-routes.js';
import { sendApiError } from './api-errors.js';
import type { ApiRouteRegistrar } from './api-route-types.js';
import { registerAuditApiRoutes } from './audit-api-routes.js';
import { registerAuthApiRoutes } from './auth-api-routes.js';
import { registerOutboxRoutes } from './outbox-routes.js';
import { registerProvisioningRoutes } from './provisioning-routes.js';
import { registerWebhookRoutes } from './webhook-routes.js';

/** Every native API area, registered under /api/v1. */
const apiRoutes: readonly ApiRouteRegistrar[] = [
  registerAuditApiRoutes,
  registerAuthApiRoutes,
  registerAccessApiRoutes,
  registerAdminReportRoutes,
  registerAdminAssignmentRoutes,
  registerProvisioningRoutes,
  registerOutboxRoutes,
  registerWebhookRoutes,
];

/**
 * Mounts Elevate's native API at /api/v1: what Graph lacks and what the portal and the CLI need. Every route
 * needs a bearer token; errors use the native envelope (`sendApiError`).
 */
export async function registerApi(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        request.actor = await authenticateRequest(services, request);
      });
      api.setErrorHandler((error, request, reply) => sendApiError(error, request, reply));
      api.setNotFoundHandler((request, reply) =>
        sendApiError(
          new ElevateError(
            'resource.not_found',
            `There is no ${request.method} ${request.url.split('?')[0]} in the native API; /openapi.json lists the routes.`,
          ),
          request,
          reply,
        ),
      );
      for (const register of apiRoutes) await register(api, services);
    },
    { prefix: '/api/v1' },
  );
  await registerAccessApiAlias(app, services);
}
