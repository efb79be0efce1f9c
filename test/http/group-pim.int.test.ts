import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const base = '/v1.0/identityGovernance/privilegedAccess/group';
const eligibilityRequests = `${base}/eligibilityScheduleRequests`;
const assignmentRequests = `${base}/assignmentScheduleRequests`;
const graphUrl = 'https://graph.microsoft.com/v1.0';
const roleInstances = '/v1.0/roleManagement/directory/roleAssignmentScheduleInstances';
const roleAssignmentRequests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';

describeEachDatabase(
  'PIM for Groups over Graph: eligibility, activation, Privileged Access Groups',
  (ctx) => {
    let t: TestApp;
    let stan: TestUser;

    beforeEach(async () => {
      t = await createTestApp(ctx.db);
      stan = await t.givenUser('Stan');
    });
    afterEach(() => t.close());

    const newGroup = async (name: string, extra: Record<string, unknown> = {}) => {
      const res = await t.graph(t.admin, 'POST', '/v1.0/groups', {
        displayName: name,
        mailNickname: name.toLowerCase().replace(/[^a-z0-9]/g, ''),
        securityEnabled: true,
        mailEnabled: false,
        ...extra,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; displayName: string };
    };

    /** A Privileged Access Group: role-assignable, holding `roleIds` actively and permanently. */
    const newPag = async (name: string, roleIds: string[]) => {
      const pag = await newGroup(name, { isAssignableToRole: true });
      for (const roleDefinitionId of roleIds) {
        const res = await t.graph(t.admin, 'POST', roleAssignmentRequests, {
          action: 'adminAssign',
          principalId: pag.id,
          roleDefinitionId,
          directoryScopeId: '/',
          justification: 'The team role',
          scheduleInfo: { expiration: { type: 'noExpiration' } },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      return pag;
    };

    const makeEligible = async (user: TestUser, groupId: string, accessId = 'member') => {
      const res = await t.graph(t.admin, 'POST', eligibilityRequests, {
        accessId,
        principalId: user.id,
        groupId,
        action: 'adminAssign',
        justification: 'Team rota',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };

    const activate = (user: TestUser, groupId: string, body: object = {}) =>
      t.graph(user, 'POST', assignmentRequests, {
        accessId: 'member',
        principalId: user.id,
        groupId,
        action: 'selfActivate',
        justification: 'Release night',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
        ...body,
      });

    const newServicePrincipal = (user: TestUser) =>
      t.graph(user, 'POST', '/v1.0/servicePrincipals', { displayName: `Robot ${Math.random()}` });

    const audit = () =>
      ctx.db.db
        .selectFrom('audit_log')
        .select(['activity_display_name', 'category', 'result', 'target_resources'])
        .orderBy('sequence')
        .execute();

    it('activating PAG membership once gives every role the group holds, until the exact end; the tick then marks it Expired', async () => {
      const pag = await newPag('PAG-DEV-TEAM', [roles.applicationAdministrator, roles.groupsAdministrator]);

      // Given Stan is an eligible member of the PAG, which holds Application and Groups Administrator
      const eligible = await makeEligible(stan, pag.id);
      expect(eligible).toMatchObject({
        accessId: 'member',
        groupId: pag.id,
        principalId: stan.id,
        action: 'adminAssign',
        status: 'Provisioned',
        targetScheduleId: `${pag.id}_member_${eligible.id}`,
      });
      // an eligibility grants nothing: no membership, no role
      expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${pag.id}/members`)).body.value).toEqual([]);
      expect((await newServicePrincipal(stan)).status).toBe(403);

      // When Stan activates his membership for two hours
      const res = await activate(stan, pag.id);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({
        '@odata.context': expect.stringContaining(
          '$metadata#identityGovernance/privilegedAccess/group/assignmentScheduleRequests/$entity',
        ),
        status: 'Provisioned',
        action: 'selfActivate',
        accessId: 'member',
        groupId: pag.id,
        targetScheduleId: `${pag.id}_member_${res.body.id}`,
      });
      const end = new Date(t.clock.now().getTime() + 2 * 3_600_000);

      // Then he is a member, and holds both roles through the group (memberType Group)
      const members = await t.graph(t.admin, 'GET', `/v1.0/groups/${pag.id}/members`);
      expect(members.body.value).toEqual([expect.objectContaining({ id: stan.id })]);
      const memberOf = await t.graph(stan, 'GET', `/v1.0/users/${stan.id}/memberOf`);
      expect(memberOf.body.value).toEqual([expect.objectContaining({ id: pag.id })]);
      const mine = await t.graph(stan, 'GET', `${roleInstances}/filterByCurrentUser(on='principal')`);
      expect(mine.body.value).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ roleDefinitionId: roles.applicationAdministrator, memberType: 'Group' }),
          expect.objectContaining({ roleDefinitionId: roles.groupsAdministrator, memberType: 'Group' }),
        ]),
      );
      expect(mine.body.value).toHaveLength(2);
      const instances = await t.graph(
        t.admin,
        'GET',
        `${base}/assignmentScheduleInstances?$filter=groupId eq '${pag.id}'`,
      );
      expect(instances.body.value).toEqual([
        expect.objectContaining({
          accessId: 'member',
          groupId: pag.id,
          principalId: stan.id,
          assignmentType: 'activated',
          memberType: 'direct',
          endDateTime: end.toISOString(),
          assignmentScheduleId: `${pag.id}_member_${res.body.id}`,
        }),
      ]);
      // and can do what the roles allow
      expect((await newServicePrincipal(stan)).status).toBe(201);
      expect(
        (
          await t.graph(stan, 'POST', '/v1.0/groups', {
            displayName: 'Release team',
            mailNickname: 'release',
            securityEnabled: true,
            mailEnabled: false,
          })
        ).status,
      ).toBe(201);

      // When the window ends (the exact instant of the end, scheduler not run)
      t.clock.set(new Date(end.getTime() - 1));
      expect((await newServicePrincipal(stan)).status).toBe(201);
      t.clock.set(end);

      // Then every role is gone at once, and he is no longer a member
      expect((await newServicePrincipal(stan)).status).toBe(403);
      expect(
        (await t.graph(stan, 'GET', `${roleInstances}/filterByCurrentUser(on='principal')`)).body.value,
      ).toEqual([]);
      expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${pag.id}/members`)).body.value).toEqual([]);
      expect((await t.graph(stan, 'GET', `/v1.0/users/${stan.id}/memberOf`)).body.value).toEqual([]);

      // and the tick records the expiry once, in PIM for Groups' words
      expect(await t.services.scheduler.tick()).toMatchObject({ expired: 1 });
      expect(await t.services.scheduler.tick()).toMatchObject({ total: 0 });
      const row = await ctx.db.db
        .selectFrom('schedules')
        .select(['status', 'end_at', 'target_kind', 'role_definition_id', 'scope_id'])
        .where('id', '=', res.body.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        status: 'Expired',
        end_at: end,
        target_kind: 'group',
        role_definition_id: 'member',
        scope_id: pag.id,
      });
      const records = (await audit()).filter((a) => a.category === 'GroupManagement');
      expect(records.map((a) => a.activity_display_name)).toEqual(
        expect.arrayContaining([
          'Add eligible member to group in PIM completed (timebound)',
          'Add member to group requested (PIM activation)',
          'Add member to group completed (PIM activation)',
          'Remove member from group (PIM activation expired)',
        ]),
      );
      const expired = records.find((a) => a.activity_display_name.includes('activation expired'));
      expect((expired?.target_resources as { type: string; id: string }[] | undefined)?.[0]).toMatchObject({
        type: 'Group',
        id: pag.id,
      });
    });

    it('deactivates a group membership early, and lets an administrator assign an active membership that must end', async () => {
      const group = await newGroup('Ops');
      await makeEligible(stan, group.id);
      const activated = await activate(stan, group.id);
      expect(activated.status).toBe(201);
      t.clock.advanceMinutes(10);
      const deactivated = await t.graph(stan, 'POST', assignmentRequests, {
        accessId: 'member',
        principalId: stan.id,
        groupId: group.id,
        action: 'selfDeactivate',
      });
      expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(201);
      expect(deactivated.body).toMatchObject({
        status: 'Revoked',
        targetScheduleId: `${group.id}_member_${activated.body.id}`,
      });
      expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${group.id}/members`)).body.value).toEqual([]);

      // Groups allow no permanent active membership by default (research §2.5): ExpirationRule
      const permanent = await t.graph(t.admin, 'POST', assignmentRequests, {
        accessId: 'owner',
        principalId: stan.id,
        groupId: group.id,
        action: 'adminAssign',
        justification: 'Owner for the project',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      expect(permanent.status).toBe(400);
      expect(permanent.body.error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
      expect(permanent.body.error.message).toContain('ExpirationRule');
      const owner = await t.graph(t.admin, 'POST', assignmentRequests, {
        accessId: 'owner',
        principalId: stan.id,
        groupId: group.id,
        action: 'adminAssign',
        justification: 'Owner for the project',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      });
      expect(owner.status, JSON.stringify(owner.body)).toBe(201);
      expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${group.id}/owners`)).body.value).toEqual([
        expect.objectContaining({ id: stan.id }),
      ]);
      const schedules = await t.graph(
        stan,
        'GET',
        `${base}/assignmentSchedules/filterByCurrentUser(on='principal')`,
      );
      expect(schedules.body.value).toEqual([
        expect.objectContaining({
          accessId: 'owner',
          assignmentType: 'assigned',
          memberType: 'direct',
          status: 'Provisioned',
        }),
      ]);
      const one = await t.graph(stan, 'GET', `${base}/assignmentSchedules/${schedules.body.value[0].id}`);
      expect(one.status, JSON.stringify(one.body)).toBe(200);
      expect(one.body.id).toBe(`${group.id}_owner_${owner.body.id}`);
    });

    it('keeps Graph’s mandatory filters on every group list, and filterByCurrentUser without one', async () => {
      const group = await newGroup('Ops');
      await makeEligible(stan, group.id);
      for (const list of [
        'eligibilityScheduleRequests',
        'assignmentScheduleRequests',
        'eligibilitySchedules',
        'eligibilityScheduleInstances',
        'assignmentSchedules',
        'assignmentScheduleInstances',
      ]) {
        for (const query of ['', `?$filter=accessId eq 'member'`, `?$filter=groupId ne '${group.id}'`]) {
          const refused = await t.graph(t.admin, 'GET', `${base}/${list}${query}`);
          expect(refused.status, `${list}${query}`).toBe(400);
          expect(refused.body.error.message).toContain(
            "$filter=groupId eq '{groupId}' or $filter=principalId eq",
          );
          expect(refused.body.error.innerError['request-id']).toBeTruthy();
        }
        const byGroup = await t.graph(t.admin, 'GET', `${base}/${list}?$filter=groupId eq '${group.id}'`);
        expect(byGroup.status, list).toBe(200);
        const byPrincipal = await t.graph(
          t.admin,
          'GET',
          `${base}/${list}?$filter=principalId eq '${stan.id}'`,
        );
        expect(byPrincipal.status, list).toBe(200);
        expect(byGroup.body['@odata.context']).toContain(`identityGovernance/privilegedAccess/group/${list}`);
        const mine = await t.graph(stan, 'GET', `${base}/${list}/filterByCurrentUser(on='principal')`);
        expect(mine.status, list).toBe(200);
      }
      const eligibilities = await t.graph(
        t.admin,
        'GET',
        `${base}/eligibilitySchedules?$filter=principalId eq '${stan.id}' and accessId eq 'member'`,
      );
      expect(eligibilities.body.value).toEqual([
        expect.objectContaining({
          accessId: 'member',
          groupId: group.id,
          principalId: stan.id,
          memberType: 'direct',
        }),
      ]);
      const expanded = await t.graph(
        t.admin,
        'GET',
        `${base}/eligibilityScheduleInstances?$filter=groupId eq '${group.id}'&$expand=group,principal&$select=id,groupId`,
      );
      expect(expanded.status, JSON.stringify(expanded.body)).toBe(200);
      expect(expanded.body.value).toEqual([
        {
          id: expect.stringMatching(new RegExp(`^${group.id}_member_`)),
          groupId: group.id,
          group: expect.objectContaining({ '@odata.type': '#microsoft.graph.group', displayName: 'Ops' }),
          principal: expect.objectContaining({ '@odata.type': '#microsoft.graph.user', id: stan.id }),
        },
      ]);
      const one = await t.graph(
        t.admin,
        'GET',
        `${base}/eligibilityScheduleInstances/${expanded.body.value[0].id}`,
      );
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        eligibilityScheduleId: expanded.body.value[0].id,
        memberType: 'direct',
      });
      const requests = await t.graph(
        stan,
        'GET',
        `${eligibilityRequests}/filterByCurrentUser(on='principal')`,
      );
      expect(requests.body.value).toEqual([
        expect.objectContaining({ action: 'adminAssign', accessId: 'member' }),
      ]);
      // Group requests are not directory-role requests, and the other way round
      expect(
        (await t.graph(t.admin, 'GET', `/v1.0/roleManagement/directory/roleEligibilityScheduleRequests`)).body
          .value,
      ).toEqual([]);
      const byId = await t.graph(
        t.admin,
        'GET',
        `/v1.0/roleManagement/directory/roleEligibilityScheduleRequests/${requests.body.value[0].id}`,
      );
      expect(byId.status).toBe(404);
      expect(
        (await t.graph(t.admin, 'GET', `${eligibilityRequests}/${requests.body.value[0].id}`)).status,
      ).toBe(200);
    });

    it('lists group policies with scopeType Group, one for member and one for owner, and PATCH changes what activation may do', async () => {
      const group = await newGroup('Ops');
      const list = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies?$filter=scopeId eq '${group.id}' and scopeType eq 'Group'&$expand=rules`,
      );
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      expect(list.body.value).toHaveLength(2);
      for (const p of list.body.value) {
        expect(p).toMatchObject({ scopeId: group.id, scopeType: 'Group', displayName: 'Group' });
        expect(p.id).toMatch(new RegExp(`^Group_${group.id}_[0-9a-f-]{36}$`));
        const rule = (id: string) => p.rules.find((r: { id: string }) => r.id === id);
        expect(rule('Expiration_Admin_Assignment')).toMatchObject({
          isExpirationRequired: true,
          maximumDuration: 'P180D',
        });
        expect(rule('Expiration_Admin_Eligibility')).toMatchObject({
          isExpirationRequired: true,
          maximumDuration: 'P365D',
        });
        expect(rule('Enablement_EndUser_Assignment')).toMatchObject({ enabledRules: ['Justification'] });
      }
      const assignments = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${group.id}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`,
      );
      expect(assignments.status, JSON.stringify(assignments.body)).toBe(200);
      expect(assignments.body.value).toHaveLength(1);
      const assignment = assignments.body.value[0];
      expect(assignment).toMatchObject({ scopeType: 'Group', scopeId: group.id, roleDefinitionId: 'member' });
      expect(assignment.id).toBe(`${assignment.policyId}_member`);
      expect(
        (await t.graph(t.admin, 'GET', `/v1.0/policies/roleManagementPolicyAssignments/${assignment.id}`))
          .status,
      ).toBe(200);

      // Reading the settings does not put the group under PIM: its owner may still add members directly
      expect(
        (
          await t.graph(t.admin, 'POST', `/v1.0/groups/${group.id}/members/$ref`, {
            '@odata.id': `${graphUrl}/users/${t.admin.id}`,
          })
        ).status,
      ).toBe(204);

      const patched = await t.graph(
        t.admin,
        'PATCH',
        `/v1.0/policies/roleManagementPolicies/${assignment.policyId}/rules/Expiration_EndUser_Assignment`,
        {
          '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
          id: 'Expiration_EndUser_Assignment',
          isExpirationRequired: true,
          maximumDuration: 'PT1H',
          target: {
            caller: 'EndUser',
            operations: ['All'],
            level: 'Assignment',
            inheritableSettings: [],
            enforcedSettings: [],
          },
        },
      );
      expect(patched.status, JSON.stringify(patched.body)).toBe(204);
      const setting = (await audit()).find((a) => a.activity_display_name === 'Update role setting in PIM');
      expect(setting).toMatchObject({ category: 'GroupManagement' });

      await makeEligible(stan, group.id);
      const tooLong = await activate(stan, group.id);
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toContain('ExpirationRule');
      expect(tooLong.body.error.message).toContain("membership of group 'Ops'");
      expect(
        (
          await activate(stan, group.id, {
            scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
          })
        ).status,
      ).toBe(201);
      // a non-administrator cannot change the settings
      const refused = await t.graph(
        stan,
        'PATCH',
        `/v1.0/policies/roleManagementPolicies/${assignment.policyId}/rules/Expiration_EndUser_Assignment`,
        {
          '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
          id: 'Expiration_EndUser_Assignment',
          isExpirationRequired: true,
          maximumDuration: 'PT8H',
        },
      );
      expect(refused.status).toBe(403);
    });

    it('refuses what PIM for Groups refuses: nesting a group in a PAG, a group owning a group, a non-user activating, a stranger assigning', async () => {
      const pag = await newPag('PAG-OPS', [roles.helpdeskAdministrator]);
      const team = await newGroup('Team');
      const nested = await t.graph(t.admin, 'POST', eligibilityRequests, {
        accessId: 'member',
        principalId: team.id,
        groupId: pag.id,
        action: 'adminAssign',
        justification: 'x',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      });
      expect(nested.status).toBe(400);
      expect(nested.body.error.message).toContain('cannot contain other groups');
      const owningGroup = await t.graph(t.admin, 'POST', eligibilityRequests, {
        accessId: 'owner',
        principalId: team.id,
        groupId: pag.id,
        action: 'adminAssign',
        justification: 'x',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      });
      expect(owningGroup.status).toBe(400);
      expect(owningGroup.body.error.message).toContain('cannot own a group');
      const stranger = await t.graph(stan, 'POST', eligibilityRequests, {
        accessId: 'member',
        principalId: stan.id,
        groupId: pag.id,
        action: 'adminAssign',
        justification: 'I want in',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      });
      expect(stranger.status).toBe(403);
      expect(stranger.body.error.message).toContain('role-assignable');
      const notEligible = await activate(stan, pag.id);
      expect(notEligible.status).toBe(400);
      expect(notEligible.body.error.message).toContain('EligibilityRule');
      const forSomeoneElse = await activate(stan, pag.id, { principalId: t.admin.id });
      expect(forSomeoneElse.status).toBe(403);
      const schedules = await ctx.db.db
        .selectFrom('schedules')
        .select('id')
        .where('target_kind', '=', 'group')
        .execute();
      expect(schedules).toEqual([]);
      const failures = (await audit()).filter(
        (a) => a.category === 'GroupManagement' && a.result === 'failure',
      );
      expect(failures.length).toBeGreaterThanOrEqual(5);
    });

    it('answers bad input on every new route with a 4xx Graph envelope and changes nothing', async () => {
      const group = await newGroup('Ops');
      const valid = {
        accessId: 'member',
        principalId: stan.id,
        groupId: group.id,
        action: 'adminAssign',
        justification: 'x',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      };
      const { groupId: _, ...withoutGroup } = valid;
      const bodies: [string, unknown, RegExp][] = [
        ['unknown field', { ...valid, roleDefinitionId: roles.helpdeskAdministrator }, /roleDefinitionId/],
        ['bad accessId', { ...valid, accessId: 'admin' }, /accessId/],
        ['missing groupId', withoutGroup, /groupId/],
        ['groupId not a GUID', { ...valid, groupId: 'ops' }, /groupId/],
        [
          'unknown group',
          { ...valid, groupId: '00000000-0000-4000-8000-000000000000' },
          /does not name a group/,
        ],
        ['unknown action', { ...valid, action: 'adminGrant' }, /action/],
        [
          'bad duration',
          { ...valid, scheduleInfo: { expiration: { type: 'afterDuration', duration: '2 hours' } } },
          /duration/,
        ],
        ['not JSON', '{"accessId":', /JSON/],
      ];
      for (const url of [eligibilityRequests, assignmentRequests]) {
        for (const [what, body, message] of bodies) {
          const res = await t.graph(
            t.admin,
            'POST',
            url,
            body,
            typeof body === 'string' ? { 'content-type': 'application/json' } : {},
          );
          expect(res.status, `${url} ${what}`).toBe(400);
          expect(res.body.error.code, what).toMatch(/^invalidRequest$/);
          expect(res.body.error.message, what).toMatch(message);
          expect(res.body.error.innerError['request-id'], what).toBeTruthy();
        }
      }
      for (const url of [
        `${eligibilityRequests}/not-a-request`,
        `${assignmentRequests}/00000000-0000-4000-8000-000000000000`,
        `${base}/eligibilitySchedules/nope`,
        `${base}/assignmentScheduleInstances/${group.id}_member_00000000-0000-4000-8000-000000000000`,
        `${base}/assignmentApprovals/00000000-0000-4000-8000-000000000000`,
      ]) {
        const res = await t.graph(t.admin, 'GET', url);
        expect(res.status, url).toBe(404);
        expect(res.body.error.code).toBe('Request_ResourceNotFound');
      }
      const badFilter = await t.graph(t.admin, 'GET', `${eligibilityRequests}?$filter=groupId eq 'ops'`);
      expect(badFilter.status).toBe(400);
      const badFunction = await t.graph(
        t.admin,
        'GET',
        `${base}/assignmentSchedules/filterByCurrentUser(on='approver')`,
      );
      expect(badFunction.status).toBe(400);
      const cancel = await t.graph(
        t.admin,
        'POST',
        `${assignmentRequests}/00000000-0000-4000-8000-000000000000/cancel`,
      );
      expect(cancel.status).toBe(404);
      for (const body of [{ reviewResult: 'Maybe' }, { reviewResult: 'Approve', extra: 1 }, {}]) {
        const res = await t.graph(
          t.admin,
          'PATCH',
          `${base}/assignmentApprovals/00000000-0000-4000-8000-000000000000/stages/00000000-0000-4000-8000-000000000000`,
          body,
        );
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('invalidRequest');
      }
      const counts = await sql<{ schedules: number; requests: number; approvals: number }>`
      select (select count(*)::int from schedules) as schedules,
             (select count(*)::int from schedule_requests where target_kind = 'group') as requests,
             (select count(*)::int from approvals) as approvals`.execute(ctx.db.db);
      // Only the PAG-less group setup happened: no schedule, no group request, no approval
      expect(counts.rows[0]).toEqual({ schedules: 1, requests: 0, approvals: 0 });
    });
  },
);
