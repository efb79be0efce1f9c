import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { PolicyRules } from '../../src/core/model/policy.js';
import { defaultDirectoryRoleRules } from '../../src/core/policy/default-rules.js';
import { getOrCreatePolicy, savePolicyRules } from '../../src/db/repositories/policy-repository.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const requests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';
const instances = '/v1.0/roleManagement/directory/roleAssignmentScheduleInstances';

describeEachDatabase('directory-role schedule requests over Graph', (ctx) => {
  let t: TestApp;
  let adam: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    adam = await t.givenUser('Adam');
  });
  afterEach(() => t.close());

  async function makeEligible(user: TestUser, roleId: string, expiration: object = { type: 'noExpiration' }) {
    const res = await t.graph(t.admin, 'POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: user.id,
      roleDefinitionId: roleId,
      directoryScopeId: '/',
      justification: 'Service desk rota',
      scheduleInfo: { startDateTime: t.clock.now().toISOString(), expiration },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function setRules(roleId: string, change: (r: PolicyRules) => PolicyRules) {
    const policy = await getOrCreatePolicy(
      ctx.db.db,
      { targetKind: 'directoryRole', scopeType: 'DirectoryRole', scopeId: '/', roleDefinitionId: roleId },
      { id: `DirectoryRole_test_${roleId}`, rules: defaultDirectoryRoleRules(), now: t.clock.now() },
    );
    await savePolicyRules(ctx.db.db, policy.id, change(policy.rules), {
      at: t.clock.now(),
      by: { id: t.admin.id, displayName: 'Admin' },
    });
  }

  /** The headers of an activation that needs MFA: a fresh step-up for Helpdesk Administrator at '/'. */
  const steppedUp = (user: TestUser) => t.steppedUp(user, roles.helpdeskAdministrator);

  const activate = (user: TestUser, body: object = {}, headers: Record<string, string> = {}) =>
    t.graph(
      user,
      'POST',
      requests,
      {
        action: 'selfActivate',
        principalId: user.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'Ticket queue',
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT2H' } },
        ...body,
      },
      headers,
    );

  it('activates an eligible role for a bounded window, and the grant ends at its end without the scheduler', async () => {
    await makeEligible(adam, roles.helpdeskAdministrator);

    const res = await activate(adam, {}, await steppedUp(adam));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      status: 'Provisioned',
      action: 'selfActivate',
      targetScheduleId: res.body.id,
    });

    const mine = await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`);
    expect(mine.body.value).toEqual([
      expect.objectContaining({
        roleDefinitionId: roles.helpdeskAdministrator,
        assignmentType: 'Activated',
        memberType: 'Direct',
      }),
    ]);

    t.clock.advanceHours(2); // the exact instant of the end: [start, end) no longer holds
    expect(
      (await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`)).body.value,
    ).toEqual([]);

    expect(await t.services.scheduler.tick()).toMatchObject({ expired: 1 });
    expect(await t.services.scheduler.tick()).toMatchObject({ total: 0 });
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select('activity_display_name')
      .orderBy('sequence')
      .execute();
    expect(audit.map((a) => a.activity_display_name)).toEqual(
      expect.arrayContaining([
        'Add member to role requested (PIM activation)',
        'Add member to role completed (PIM activation)',
        'Remove member from role (PIM activation expired)',
      ]),
    );
  });

  it('reports every broken rule at once, in the Graph envelope, and grants nothing', async () => {
    await makeEligible(adam, roles.helpdeskAdministrator);
    const res = await activate(adam, {
      justification: null,
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT9H' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    for (const token of ['JustificationRule', 'MfaRule', 'ExpirationRule'])
      expect(res.body.error.message).toContain(token);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_user_authentication", error_description="A multi-factor step-up for this request is required", max_age=300',
    );
    const granted = await ctx.db.db
      .selectFrom('schedules')
      .select('id')
      .where('kind', '=', 'assignment')
      .where('principal_id', '=', adam.id)
      .execute();
    expect(granted).toEqual([]);
    const failure = await ctx.db.db
      .selectFrom('audit_log')
      .select(['result', 'activity_display_name'])
      .where('result', '=', 'failure')
      .execute();
    expect(failure).toHaveLength(1);
  });

  it('refuses activation without an eligibility (EligibilityRule) and a duplicate activation (RoleAssignmentExists)', async () => {
    const none = await activate(adam, {}, await steppedUp(adam));
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('EligibilityRule');

    await makeEligible(adam, roles.helpdeskAdministrator);
    expect((await activate(adam, {}, await steppedUp(adam))).status).toBe(201);
    const again = await activate(adam, {}, await steppedUp(adam));
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('RoleAssignmentExists');
  });

  it('deactivates early, but not within five minutes of activation', async () => {
    await makeEligible(adam, roles.helpdeskAdministrator);
    await activate(adam, {}, await steppedUp(adam));
    const deactivate = () =>
      t.graph(adam, 'POST', requests, {
        action: 'selfDeactivate',
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
      });
    const early = await deactivate();
    expect(early.status).toBe(400);
    expect(early.body.error.code).toBe('ActiveDurationTooShort');
    t.clock.advanceMinutes(6);
    const ok = await deactivate();
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.status).toBe('Revoked');
    expect(
      (await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`)).body.value,
    ).toEqual([]);
  });

  it('holds an approval-required activation as PendingApproval until a listed approver approves; nobody approves their own', async () => {
    const grace = await t.givenUser('Grace');
    await setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Approval_EndUser_Assignment: {
        ...r.Approval_EndUser_Assignment,
        setting: {
          ...r.Approval_EndUser_Assignment.setting,
          isApprovalRequired: true,
          approvalStages: [
            {
              ...r.Approval_EndUser_Assignment.setting.approvalStages[0]!,
              primaryApprovers: [
                { kind: 'singleUser', userId: grace.id, description: null },
                { kind: 'singleUser', userId: adam.id, description: null },
              ],
            },
          ],
        },
      },
    }));
    await makeEligible(adam, roles.helpdeskAdministrator);
    const pending = await activate(adam, {}, await steppedUp(adam));
    expect(pending.status).toBe(201);
    expect(pending.body).toMatchObject({ status: 'PendingApproval', approvalId: pending.body.id });
    expect(
      (await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`)).body.value,
    ).toEqual([]);

    const queue = await t.graph(
      grace,
      'GET',
      `${requests}/filterByCurrentUser(on='approver')?$filter=status eq 'PendingApproval'`,
    );
    expect(queue.body.value.map((r: { id: string }) => r.id)).toEqual([pending.body.id]);

    const approval = await t.graph(
      grace,
      'GET',
      `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.approvalId}`,
    );
    expect(approval.status).toBe(200);
    const step = approval.body.steps[0];
    expect(step).toMatchObject({ status: 'InProgress', reviewResult: 'NotReviewed', assignedToMe: true });

    const stepUrl = `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.approvalId}/steps/${step.id}`;
    const self = await t.graph(adam, 'PATCH', stepUrl, { reviewResult: 'Approve', justification: 'me' });
    expect(self.status).toBe(403);

    const approved = await t.graph(grace, 'PATCH', stepUrl, {
      reviewResult: 'Approve',
      justification: 'On call',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(204);
    const after = await t.graph(adam, 'GET', `${requests}/${pending.body.id}`);
    expect(after.body.status).toBe('Provisioned');
    expect(
      (await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`)).body.value,
    ).toHaveLength(1);

    const late = await t.graph(grace, 'PATCH', stepUrl, { reviewResult: 'Deny', justification: 'too late' });
    expect(late.status).toBe(409);
  });

  it('refuses self-approval through an approver group the requester belongs to, and approval at the instant of expiry', async () => {
    const grace = await t.givenUser('Grace');
    const group = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: 'Approvers',
      mailNickname: 'approvers',
      securityEnabled: true,
      mailEnabled: false,
      'members@odata.bind': [
        `https://graph.microsoft.com/v1.0/users/${adam.id}`,
        `https://graph.microsoft.com/v1.0/users/${grace.id}`,
      ],
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    await setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Approval_EndUser_Assignment: {
        ...r.Approval_EndUser_Assignment,
        setting: {
          ...r.Approval_EndUser_Assignment.setting,
          isApprovalRequired: true,
          approvalStages: [
            {
              ...r.Approval_EndUser_Assignment.setting.approvalStages[0]!,
              primaryApprovers: [{ kind: 'groupMembers', groupId: group.body.id, description: null }],
            },
          ],
        },
      },
    }));
    await makeEligible(adam, roles.helpdeskAdministrator);
    const pending = await activate(adam, {}, await steppedUp(adam));
    const approval = await t.graph(
      grace,
      'GET',
      `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.approvalId}`,
    );
    const stepUrl = `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.approvalId}/steps/${approval.body.steps[0].id}`;

    const self = await t.graph(adam, 'PATCH', stepUrl, { reviewResult: 'Approve', justification: 'me' });
    expect(self.status).toBe(403);

    t.clock.advanceHours(24); // the approval window is [created, created + 1 day)
    const late = await t.graph(grace, 'PATCH', stepUrl, { reviewResult: 'Approve', justification: 'late' });
    expect(late.status).toBe(409);
    expect(
      (await t.graph(adam, 'GET', `${instances}/filterByCurrentUser(on='principal')`)).body.value,
    ).toEqual([]);
  });

  it('gives exactly one winner when several approvers decide at once', async () => {
    const approvers = await Promise.all(
      ['A1', 'A2', 'A3', 'A4'].map((n) => t.givenUser(n, { roles: [roles.privilegedRoleAdministrator] })),
    );
    await setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Approval_EndUser_Assignment: {
        ...r.Approval_EndUser_Assignment,
        setting: { ...r.Approval_EndUser_Assignment.setting, isApprovalRequired: true },
      },
    }));
    await makeEligible(adam, roles.helpdeskAdministrator);
    const pending = await activate(adam, {}, await steppedUp(adam));
    const approval = await t.graph(
      approvers[0]!,
      'GET',
      `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.approvalId}`,
    );
    const stepUrl = `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.approvalId}/steps/${approval.body.steps[0].id}`;
    const results = await Promise.all(
      approvers.map((a, i) =>
        t.graph(a, 'PATCH', stepUrl, { reviewResult: i % 2 ? 'Deny' : 'Approve', justification: `by ${i}` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([204, 409, 409, 409]);
  });

  it('times out an undecided approval after a day, even across a restart of the scheduler', async () => {
    await setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Approval_EndUser_Assignment: {
        ...r.Approval_EndUser_Assignment,
        setting: { ...r.Approval_EndUser_Assignment.setting, isApprovalRequired: true },
      },
    }));
    await makeEligible(adam, roles.helpdeskAdministrator);
    const pending = await activate(adam, {}, await steppedUp(adam));
    t.clock.advanceHours(25);
    expect(await t.services.scheduler.tick()).toMatchObject({ approvalsExpired: 1 });
    const after = await t.graph(adam, 'GET', `${requests}/${pending.body.id}`);
    expect(after.body.status).toBe('Denied');
  });

  it('answers bad input with 400 naming the field, and unknown ids with 404', async () => {
    const badAction = await t.graph(t.admin, 'POST', requests, {
      action: 'selfPromote',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
    });
    expect(badAction.status).toBe(400);
    expect(badAction.body.error.message).toContain('action');
    const badGuid = await t.graph(t.admin, 'POST', requests, {
      action: 'adminAssign',
      principalId: 'nope',
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
    });
    expect(badGuid.status).toBe(400);
    expect(badGuid.body.error.message).toContain('principalId');
    const badRole = await t.graph(t.admin, 'POST', requests, {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: '00000000-0000-0000-0000-0000000000ff',
      directoryScopeId: '/',
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.message).toContain('roleDefinitionId');
    const badFilter = await t.graph(t.admin, 'GET', `${requests}?$filter=colour eq 'blue'`);
    expect(badFilter.status).toBe(400);
    expect((await t.graph(t.admin, 'GET', `${requests}/00000000-0000-0000-0000-000000000001`)).status).toBe(
      404,
    );
  });

  it('lets only role administrators assign, and gives service principals only time-bound active assignments', async () => {
    const plain = await t.givenUser('Plain');
    const refused = await t.graph(plain, 'POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    expect(refused.status).toBe(403);
    const reader = await t.givenUser('Reader', { roles: [roles.globalReader] });
    const readerRefused = await t.graph(reader, 'POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    expect(readerRefused.status).toBe(403);
    expect((await t.graph(reader, 'GET', requests)).status).toBe(200);
  });
});
