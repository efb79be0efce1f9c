import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { Database } from '../../src/db/connect.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';

/** Every write endpoint, with a valid body to mutate. */
const endpoints = (ids: { user: string; group: string }) => [
  {
    method: 'POST' as const,
    url: '/v1.0/users',
    valid: { accountEnabled: true, displayName: 'X', mailNickname: 'x', userPrincipalName: 'x@contoso.com' },
  },
  {
    method: 'POST' as const,
    url: '/v1.0/groups',
    valid: { displayName: 'G', mailNickname: 'g', securityEnabled: true, mailEnabled: false },
  },
  {
    method: 'POST' as const,
    url: `/v1.0/groups/${ids.group}/members/$ref`,
    valid: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${ids.user}` },
  },
  {
    method: 'POST' as const,
    url: '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
    valid: {
      action: 'adminAssign',
      principalId: ids.user,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification: 'x',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    },
  },
  {
    method: 'POST' as const,
    url: '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
    valid: {
      action: 'selfActivate',
      principalId: ids.user,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification: 'x',
    },
  },
  {
    method: 'POST' as const,
    url: '/v1.0/roleManagement/directory/roleDefinitions',
    valid: {
      displayName: 'Custom',
      isEnabled: true,
      rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/basic/update'] }],
    },
  },
  { method: 'POST' as const, url: '/v1.0/servicePrincipals', valid: { displayName: 'App' } },
  { method: 'POST' as const, url: '/api/auth/token', valid: { username: 'a@b.c', password: 'x' } },
  {
    method: 'PUT' as const,
    url: '/subscriptions/44444444-dddd-4ddd-8ddd-000000000002?api-version=2020-01-01',
    valid: { displayName: 'sub-bad-input', managementGroupId: 'mg-bad-input' },
  },
  {
    method: 'PUT' as const,
    url: '/subscriptions/44444444-dddd-4ddd-8ddd-000000000001/resourceGroups/rg-bad-input?api-version=2021-04-01',
    valid: { location: 'westeurope', tags: { team: 'web' } },
  },
  {
    method: 'POST' as const,
    url: '/api/v1/access/check',
    valid: { principalId: ids.user, action: 'microsoft.directory/users/password/update', scope: '/' },
  },
];

const tables = [
  'users',
  'groups',
  'group_relationships',
  'schedules',
  'schedule_requests',
  'custom_role_definitions',
  'service_principals',
  'role_management_policies',
  'resource_scopes',
] as const;

/** Arbitrary JSON and near-misses of a valid body: wrong types, extra fields, missing fields, huge strings. */
function bodies(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  const mutated = fc
    .record({
      drop: fc.subarray(keys),
      retype: fc.dictionary(fc.constantFrom(...keys), fc.jsonValue()),
      extra: fc.dictionary(
        fc.string({ maxLength: 12 }).filter((k) => !keys.includes(k) && !k.startsWith('@odata.')),
        fc.jsonValue(),
        { maxKeys: 2 },
      ),
    })
    .map(({ drop, retype, extra }) => {
      const out: Record<string, unknown> = { ...valid, ...retype, ...extra };
      for (const k of drop) delete out[k];
      return JSON.stringify(out);
    });
  return fc.oneof(
    mutated,
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
  );
}

describe('bad input never causes a 500 and changes nothing when refused', () => {
  let database: Database;
  let t: TestApp;
  let ids: { user: string; group: string };

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    t = await createTestApp(database);
    const user = await t.givenUser('Target');
    const group = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: 'Base',
      mailNickname: 'base',
      securityEnabled: true,
      mailEnabled: false,
    });
    ids = { user: user.id, group: group.body.id };
    // The resource tree the ARM endpoints write into.
    const mg = await t.graph(
      t.admin,
      'PUT',
      '/providers/Microsoft.Management/managementGroups/mg-bad-input?api-version=2020-05-01',
      {},
    );
    const sub = await t.graph(
      t.admin,
      'PUT',
      '/subscriptions/44444444-dddd-4ddd-8ddd-000000000001?api-version=2020-01-01',
      {
        managementGroupId: 'mg-bad-input',
      },
    );
    expect([mg.status, sub.status]).toEqual([201, 201]);
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        tables.map(
          async (table) =>
            [
              table,
              Number(
                (
                  await database.db
                    .selectFrom(table)
                    .select((eb) => eb.fn.countAll().as('n'))
                    .executeTakeFirstOrThrow()
                ).n,
              ),
            ] as const,
        ),
      ),
    );

  it('for every write endpoint and random bodies', async () => {
    for (const endpoint of endpoints(ids)) {
      await fc.assert(
        fc.asyncProperty(bodies(endpoint.valid), async (payload) => {
          const before = await counts();
          const res = await t.app.inject({
            method: endpoint.method,
            url: endpoint.url,
            headers: { authorization: `Bearer ${t.admin.token}`, 'content-type': 'application/json' },
            payload,
          });
          expect(res.statusCode, `${endpoint.url} ${payload} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            const body = res.json();
            expect(
              body.error,
              `${endpoint.url} answered without an error envelope: ${res.body}`,
            ).toBeDefined();
            expect(await counts()).toEqual(before);
          }
        }),
        { numRuns: 25, seed: 20261123 },
      );
    }
  });
});
