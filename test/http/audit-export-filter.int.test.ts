import { afterAll, beforeAll, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const list = '/v1.0/auditLogs/directoryAudits';
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';

type Record_ = { id: string; activityDisplayName: string; category: string };

describeEachDatabase(
  'exporting the audit records a search shows (filter on /api/v1/audit/export)',
  (ctx) => {
    let t: TestApp;
    let ada: TestUser;
    let adam: TestUser;

    /** The ids the Graph list returns for `filter`, oldest first (the export's order). */
    async function listed(filter: string): Promise<string[]> {
      const res = await t.graph(t.admin, 'GET', `${list}?$top=999&$filter=${encodeURIComponent(filter)}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.value as Record_[]).map((r) => r.id).reverse();
    }

    const exported = async (query: string) => {
      const res = await t.graph(t.admin, 'GET', `/api/v1/audit/export?format=json&${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body as Record_[]).map((r) => r.id);
    };

    beforeAll(async () => {
      // Given Ada (a Privileged Role Administrator) and the test's Global Administrator each make Adam eligible.
      t = await createTestApp(ctx.db, { now: '2026-01-05T09:00:00Z' });
      ada = await t.givenUser('Ada', { roles: [roles.privilegedRoleAdministrator] });
      adam = await t.givenUser('Adam');
      for (const [who, role] of [
        [ada, roles.helpdeskAdministrator],
        [t.admin, roles.passwordAdministrator],
      ] as const) {
        t.clock.advance(60_000);
        const res = await t.graph(who, 'POST', eligibilityRequests, {
          action: 'adminAssign',
          principalId: adam.id,
          roleDefinitionId: role,
          directoryScopeId: '/',
          justification: 'Rota',
          scheduleInfo: { expiration: { type: 'noExpiration' } },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    });
    afterAll(() => t.close());

    it('exports exactly what the same $filter lists, whether the database or the filter decides', async () => {
      for (const filter of [
        `initiatedBy/user/id eq '${ada.id}'`,
        "startswith(initiatedBy/user/displayName,'Ada') and startswith(activityDisplayName,'Add eligible')",
        "activityDisplayName eq 'Add eligible member to role in PIM completed (permanent)'",
        `targetResources/any(t: t/id eq '${adam.id}') and not (initiatedBy/user/id eq '${ada.id}')`,
      ]) {
        const want = await listed(filter);
        expect(want.length, filter).toBeGreaterThan(0);
        expect(await exported(`filter=${encodeURIComponent(filter)}`), filter).toEqual(want);
      }
    });

    it('applies the filter and from, to and category together', async () => {
      const filter = `initiatedBy/user/id eq '${ada.id}'`;
      expect(await exported(`filter=${encodeURIComponent(filter)}&from=2030-01-01T00:00:00Z`)).toEqual([]);
      const roleManagement = await exported(`filter=${encodeURIComponent(filter)}&category=RoleManagement`);
      expect(roleManagement).toEqual(await listed(`${filter} and category eq 'RoleManagement'`));
      // A filter naming another category than the query's: nothing is both.
      expect(
        await exported(
          `filter=${encodeURIComponent("category eq 'UserManagement'")}&category=RoleManagement`,
        ),
      ).toEqual([]);
    });

    it('refuses a filter it cannot read with 400 naming the filter, and writes nothing', async () => {
      const res = await t.graph(
        t.admin,
        'GET',
        `/api/v1/audit/export?format=csv&filter=${encodeURIComponent("nosuchfield eq 'x'")}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'request.invalid',
        message: expect.stringMatching(/^filter: .*nosuchfield/),
      });
      const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(
        spec.paths['/api/v1/audit/export'].get.parameters.map((p: { name: string }) => p.name),
      ).toContain('filter');
    });
  },
  { shared: true },
);
