import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const base = '/v1.0/identityGovernance/privilegedAccess/group';
const eligibilityRequests = `${base}/eligibilityScheduleRequests`;
const assignmentRequests = `${base}/assignmentScheduleRequests`;
const approvals = `${base}/assignmentApprovals`;

describeEachDatabase('PIM for Groups approvals over Graph', (ctx) => {
  let t: TestApp;
  let stan: TestUser;
  let grace: TestUser;
  let bob: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    stan = await t.givenUser('Stan');
    grace = await t.givenUser('Grace');
    bob = await t.givenUser('Bob');
  });
  afterEach(() => t.close());

  const newGroup = async (name: string) => {
    const res = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: name,
      mailNickname: name.toLowerCase().replace(/[^a-z0-9]/g, ''),
      securityEnabled: true,
      mailEnabled: false,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };

  const makeEligible = async (user: TestUser, groupId: string) => {
    const res = await t.graph(t.admin, 'POST', eligibilityRequests, {
      accessId: 'member',
      principalId: user.id,
      groupId,
      action: 'adminAssign',
      justification: 'Team rota',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  const activate = (user: TestUser, groupId: string) =>
    t.graph(user, 'POST', assignmentRequests, {
      accessId: 'member',
      principalId: user.id,
      groupId,
      action: 'selfActivate',
      justification: 'Quarter-end close',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
    });

  /** Membership of `groupId` needs the approval of a member of `approvers` (Graph's groupMembers subject set). */
  const requireApproval = async (groupId: string, approvers: string) => {
    const policies = await t.graph(
      t.admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${groupId}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`,
    );
    const policyId = policies.body.value[0].policyId as string;
    const res = await t.graph(
      t.admin,
      'PATCH',
      `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Approval_EndUser_Assignment`,
      {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
        id: 'Approval_EndUser_Assignment',
        target: { caller: 'EndUser', operations: ['All'], level: 'Assignment' },
        setting: {
          isApprovalRequired: true,
          isApprovalRequiredForExtension: false,
          isRequestorJustificationRequired: true,
          approvalMode: 'SingleStage',
          approvalStages: [
            {
              approvalStageTimeOutInDays: 1,
              isApproverJustificationRequired: true,
              escalationTimeInMinutes: 0,
              isEscalationEnabled: false,
              primaryApprovers: [{ '@odata.type': '#microsoft.graph.groupMembers', groupId: approvers }],
              escalationApprovers: [],
            },
          ],
        },
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  };

  it('waits for an approver who is a member of the approver group through PIM; nobody approves their own; the second decision is a 409', async () => {
    const finance = await newGroup('Finance admins');
    const approverGroup = await newGroup('Finance approvers');
    // Given Grace approves as a member of the approver group — a membership she holds only through PIM
    await makeEligible(grace, approverGroup.id);
    expect((await activate(grace, approverGroup.id)).status).toBe(201);
    await requireApproval(finance.id, approverGroup.id);
    await makeEligible(stan, finance.id);

    // When Stan activates, the request waits and grants nothing
    const req = await activate(stan, finance.id);
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect(req.body).toMatchObject({
      status: 'PendingApproval',
      approvalId: req.body.id,
      targetScheduleId: `${finance.id}_member_${req.body.id}`,
    });
    expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${finance.id}/members`)).body.value).toEqual([]);

    // The approval, with its stage, as Graph's v1.0 approval shows it
    const seenByStan = await t.graph(stan, 'GET', `${approvals}/${req.body.approvalId}`);
    expect(seenByStan.status, JSON.stringify(seenByStan.body)).toBe(200);
    expect(seenByStan.body).toMatchObject({
      '@odata.context': expect.stringContaining(
        'identityGovernance/privilegedAccess/group/assignmentApprovals',
      ),
      id: req.body.approvalId,
      stages: [{ status: 'InProgress', reviewResult: 'NotReviewed', assignedToMe: false }],
    });
    const seenByGrace = await t.graph(grace, 'GET', `${approvals}/${req.body.approvalId}`);
    const stage = seenByGrace.body.stages[0];
    expect(stage.assignedToMe).toBe(true);
    const waiting = await t.graph(grace, 'GET', `${assignmentRequests}/filterByCurrentUser(on='approver')`);
    expect(waiting.body.value).toEqual([
      expect.objectContaining({ id: req.body.id, status: 'PendingApproval' }),
    ]);
    // The group approval is not a directory-role approval
    expect(
      (await t.graph(grace, 'GET', `/beta/roleManagement/directory/roleAssignmentApprovals/${req.body.id}`))
        .status,
    ).toBe(404);

    // Stan cannot approve his own request; Bob is no approver
    const decision = { reviewResult: 'Approve', justification: 'Checked the close calendar' };
    const own = await t.graph(
      stan,
      'PATCH',
      `${approvals}/${req.body.approvalId}/stages/${stage.id}`,
      decision,
    );
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('accessDenied');
    const stranger = await t.graph(
      bob,
      'PATCH',
      `${approvals}/${req.body.approvalId}/stages/${stage.id}`,
      decision,
    );
    expect([403, 404]).toContain(stranger.status);

    // Grace approves through the /steps/ spelling of the docs
    const approved = await t.graph(
      grace,
      'PATCH',
      `${approvals}/${req.body.approvalId}/steps/${stage.id}`,
      decision,
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(204);
    expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${finance.id}/members`)).body.value).toEqual([
      expect.objectContaining({ id: stan.id }),
    ]);
    const again = await t.graph(
      grace,
      'PATCH',
      `${approvals}/${req.body.approvalId}/stages/${stage.id}`,
      decision,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const after = await t.graph(grace, 'GET', `${approvals}/${req.body.approvalId}/stages/${stage.id}`);
    expect(after.body).toMatchObject({
      reviewResult: 'Approved',
      status: 'Completed',
      justification: 'Checked the close calendar',
      reviewedBy: { id: grace.id },
    });
    const request = await t.graph(stan, 'GET', `${assignmentRequests}/${req.body.id}`);
    expect(request.body).toMatchObject({
      status: 'Provisioned',
      targetScheduleId: `${finance.id}_member_${req.body.id}`,
    });

    const activities = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'category'])
      .where('category', '=', 'GroupManagement')
      .where('logged_by_service', '=', 'PIM')
      .orderBy('sequence')
      .execute();
    expect(activities.map((a) => a.activity_display_name)).toEqual(
      expect.arrayContaining([
        'Add member to group approval requested (PIM activation)',
        'Add member to group request approved (PIM activation)',
        'Add member to group completed (PIM activation)',
      ]),
    );
  });

  it('denies: the request grants nothing, and the approver loses the right to decide when her PIM membership ends', async () => {
    const finance = await newGroup('Finance admins');
    const approverGroup = await newGroup('Finance approvers');
    await makeEligible(grace, approverGroup.id);
    expect((await activate(grace, approverGroup.id)).status).toBe(201);
    await requireApproval(finance.id, approverGroup.id);
    await makeEligible(stan, finance.id);
    await makeEligible(bob, finance.id);

    const first = await activate(stan, finance.id);
    const second = await activate(bob, finance.id);
    const stageOf = async (id: string) =>
      (await t.graph(grace, 'GET', `${approvals}/${id}/stages`)).body.value[0].id;
    const denied = await t.graph(
      grace,
      'PATCH',
      `${approvals}/${first.body.id}/stages/${await stageOf(first.body.id)}`,
      {
        reviewResult: 'Deny',
        justification: 'Not this quarter',
      },
    );
    expect(denied.status).toBe(204);
    expect((await t.graph(stan, 'GET', `${assignmentRequests}/${first.body.id}`)).body.status).toBe('Denied');
    expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${finance.id}/members`)).body.value).toEqual([]);

    // Grace's own activation (2 hours) ends: she is no longer an approver
    const stage = await stageOf(second.body.id);
    t.clock.advanceHours(2);
    const late = await t.graph(grace, 'PATCH', `${approvals}/${second.body.id}/stages/${stage}`, {
      reviewResult: 'Approve',
      justification: 'ok',
    });
    expect([403, 404]).toContain(late.status);
    expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${finance.id}/members`)).body.value).toEqual([]);
  });
});
