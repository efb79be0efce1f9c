import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';

/** Fastify's `/users/:id` as OpenAPI writes it: `/users/{id}`; a wildcard `/subscriptions/*` as `/subscriptions/{*}`. */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z_]\w*)/g, '{$1}').replace(/\/\*$/, '/{*}');

describe('GET /openapi.json', () => {
  let database: Database;
  let t: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });

  it('documents every route the server registers, with a summary', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const missing: string[] = [];
    for (const route of t.app.registeredRoutes) {
      if (route.hidden) continue;
      const operation = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      if (!operation?.summary) missing.push(`${route.method} ${route.url}`);
    }
    expect(missing).toEqual([]);
    expect(Object.keys(doc.paths)).toContain('/v1.0/roleManagement/directory/roleAssignmentScheduleRequests');
    // The ARM surface is one wildcard per prefix, whose description names every operation it serves.
    const arm = doc.paths['/subscriptions/{*}']?.put as { description?: string } | undefined;
    expect(arm?.description).toContain('roleEligibilityScheduleRequests');
    expect(arm?.description).toContain('api-version 2020-10-01');
    // The step-up proof of a self-service request rides in a header, documented on the request routes.
    const create = doc.paths['/v1.0/roleManagement/directory/roleAssignmentScheduleRequests']?.post as {
      parameters?: { in: string; name: string }[];
    };
    expect(create.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'x-elevate-step-up' }),
    );
  });

  it('needs no token and is served with the health check', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
