import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const assignmentRequests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';
const instances = '/v1.0/roleManagement/directory/roleAssignmentScheduleInstances';
const mfa = (u: TestUser): TestUser => ({ ...u, token: u.mfaToken });

describeEachDatabase(
  'directory-role assignments: groups, service principals, scheduled starts, extend',
  (ctx) => {
    let t: TestApp;
    let adam: TestUser;
    beforeEach(async () => {
      t = await createTestApp(ctx.db);
      adam = await t.givenUser('Adam');
    });
    afterEach(() => t.close());

    const adminAssign = (url: string, body: object) =>
      t.graph(t.admin, 'POST', url, {
        action: 'adminAssign',
        directoryScopeId: '/',
        justification: 'Setup',
        ...body,
      });

    it("gives a role-assignable group's members its roles (memberType Group), and takes them back when they leave", async () => {
      const group = await t.graph(t.admin, 'POST', '/v1.0/groups', {
        displayName: 'PAG-ROLE-ADMINS',
        mailNickname: 'pag-role-admins',
        securityEnabled: true,
        mailEnabled: false,
        isAssignableToRole: true,
        'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${adam.id}`],
      });
      expect(group.status, JSON.stringify(group.body)).toBe(201);
      const assigned = await adminAssign(assignmentRequests, {
        principalId: group.body.id,
        roleDefinitionId: roles.privilegedRoleAdministrator,
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);

      const mine = await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`);
      expect(mine.body.value).toEqual([
        expect.objectContaining({
          principalId: adam.id,
          roleDefinitionId: roles.privilegedRoleAdministrator,
          memberType: 'Group',
        }),
      ]);
      // Holding Privileged Role Administrator through the group, Adam may now assign roles.
      const stan = await t.givenUser('Stan');
      const byAdam = await t.graph(mfa(adam), 'POST', eligibilityRequests, {
        action: 'adminAssign',
        principalId: stan.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'New starter',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      expect(byAdam.status, JSON.stringify(byAdam.body)).toBe(201);

      expect(
        (await t.graph(t.admin, 'DELETE', `/v1.0/groups/${group.body.id}/members/${adam.id}/$ref`)).status,
      ).toBe(204);
      expect(
        (await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`)).body.value,
      ).toEqual([]);
      const refused = await t.graph(mfa(adam), 'POST', eligibilityRequests, {
        action: 'adminAssign',
        principalId: stan.id,
        roleDefinitionId: roles.userAdministrator,
        directoryScopeId: '/',
        justification: 'x',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      expect(refused.status).toBe(403);
    });

    it('refuses roles for a group that is not role-assignable', async () => {
      const group = await t.graph(t.admin, 'POST', '/v1.0/groups', {
        displayName: 'Plain',
        mailNickname: 'plain',
        securityEnabled: true,
        mailEnabled: false,
      });
      const res = await adminAssign(eligibilityRequests, {
        principalId: group.body.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/role-assignable/i);
    });

    it('gives service principals only time-bound active assignments (invariant 7)', async () => {
      const sp = await t.graph(t.admin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Automation' });
      expect(sp.status, JSON.stringify(sp.body)).toBe(201);
      const eligible = await adminAssign(eligibilityRequests, {
        principalId: sp.body.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      });
      expect(eligible.status).toBe(400);
      const permanent = await adminAssign(assignmentRequests, {
        principalId: sp.body.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      expect(permanent.status).toBe(400);
      const timeBound = await adminAssign(assignmentRequests, {
        principalId: sp.body.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      });
      expect(timeBound.status, JSON.stringify(timeBound.body)).toBe(201);
      const rows = await ctx.db.db
        .selectFrom('schedules')
        .select(['kind', 'end_at'])
        .where('principal_id', '=', sp.body.id)
        .execute();
      expect(rows).toEqual([{ kind: 'assignment', end_at: expect.any(Date) }]);
    });

    it('honours a future start: Granted now, in effect from its start, without waiting for the scheduler', async () => {
      await adminAssign(eligibilityRequests, {
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      const start = new Date(t.clock.now().getTime() + 3_600_000);
      const res = await t.graph(
        adam,
        'POST',
        assignmentRequests,
        {
          action: 'selfActivate',
          principalId: adam.id,
          roleDefinitionId: roles.helpdeskAdministrator,
          directoryScopeId: '/',
          justification: 'Change window tonight',
          scheduleInfo: {
            startDateTime: start.toISOString(),
            expiration: { type: 'afterDuration', duration: 'PT2H' },
          },
        },
        await t.steppedUp(adam, roles.helpdeskAdministrator),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.status).toBe('Granted');
      const mineAt = async () =>
        (await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`)).body.value;
      expect(await mineAt()).toEqual([]);
      t.clock.advanceMinutes(60);
      expect(await mineAt()).toHaveLength(1);
      expect(await t.services.scheduler.tick()).toMatchObject({ started: 1 });
      expect((await t.graph(adam, 'GET', `${assignmentRequests}/${res.body.id}`)).body.status).toBe(
        'Provisioned',
      );
    });

    it('extends an eligibility within 14 days of its end, and not before', async () => {
      const end = new Date(t.clock.now().getTime() + 30 * 86_400_000);
      await adminAssign(eligibilityRequests, {
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: end.toISOString() } },
      });
      const extend = () =>
        t.graph(t.admin, 'POST', eligibilityRequests, {
          action: 'adminExtend',
          principalId: adam.id,
          roleDefinitionId: roles.helpdeskAdministrator,
          directoryScopeId: '/',
          justification: 'Project extended',
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P60D' } },
        });
      const tooEarly = await extend();
      expect(tooEarly.status).toBe(400);
      t.clock.advanceDays(20);
      const ok = await extend();
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const schedules = await t.graph(
        t.admin,
        'GET',
        '/v1.0/roleManagement/directory/roleEligibilitySchedules',
      );
      const newEnd = new Date(schedules.body.value[0].scheduleInfo.expiration.endDateTime).getTime();
      expect(newEnd).toBe(t.clock.now().getTime() + 60 * 86_400_000);
    });

    it('removes an eligibility and with it every activation drawn from it', async () => {
      await adminAssign(eligibilityRequests, {
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      const act = await t.graph(
        adam,
        'POST',
        assignmentRequests,
        {
          action: 'selfActivate',
          principalId: adam.id,
          roleDefinitionId: roles.helpdeskAdministrator,
          directoryScopeId: '/',
          justification: 'Queue',
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT4H' } },
        },
        await t.steppedUp(adam, roles.helpdeskAdministrator),
      );
      expect(act.status).toBe(201);
      const removed = await t.graph(t.admin, 'POST', eligibilityRequests, {
        action: 'adminRemove',
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'Left the team',
      });
      expect(removed.status, JSON.stringify(removed.body)).toBe(201);
      expect(removed.body.status).toBe('Revoked');
      expect(
        (await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`)).body.value,
      ).toEqual([]);
    });
  },
);
