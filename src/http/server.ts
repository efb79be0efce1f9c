import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Services } from '../app/services.js';
import { registerApi } from './api/api-plugin.js';
import { registerArm } from './arm/arm-plugin.js';
import { registerAuthRoutes } from './auth/auth-routes.js';
import { registerGraph } from './graph/graph-plugin.js';
import { defaultWebRoot, registerPortal } from './portal/portal-plugin.js';
import { createRequestIds } from './request-ids.js';

export interface HttpOptions {
  readonly services: Services;
  readonly logger?: Logger | false;
  readonly publicUrl?: string;
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
  /** The portal's production build, served at `/`; `dist/web` by default. */
  readonly webRoot?: string;
}

/** Builds the HTTP server: Graph-shaped /v1.0 and /beta, sign-in, health, the OpenAPI document and the portal. */
export async function buildHttpServer(options: HttpOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Graph ids such as policy assignments ({policyId}_{roleDefinitionId}) exceed the router's default 100.
    routerOptions: { maxParamLength: 512 },
    // UUID v7, as every id Elevate makes; from a pooled random source (request-ids.ts).
    genReqId: createRequestIds(),
    requestIdHeader: false,
    trustProxy: false,
  }) as unknown as FastifyInstance;
  // Every route is recorded so a test can prove /openapi.json documents each one.
  const routes: { method: string; url: string; hidden: boolean }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        hidden: Boolean((route.schema as { hide?: boolean } | undefined)?.hide),
      });
    }
  });
  app.decorate('registeredRoutes', routes);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Elevate',
        version: '0.1.0',
        description:
          'Self-hosted Privileged Identity Management. Microsoft-Graph-shaped PIM API under /v1.0 and /beta; sign-in under /api/auth and /oauth2/v2.0/token.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.get(
    '/healthz',
    { schema: { hide: false, summary: 'Liveness and database check', security: [] } },
    async () => {
      await options.services.health.check();
      return { status: 'ok' };
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerAuthRoutes(app, options.services);
  await registerGraph(app, options.services, { publicUrl: options.publicUrl });
  await registerApi(app, options.services);
  await registerArm(app, options.services, { publicUrl: options.publicUrl });
  await registerPortal(app, { root: options.webRoot ?? defaultWebRoot });
  return app;
}
