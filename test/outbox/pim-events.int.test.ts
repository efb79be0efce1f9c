import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAnnouncer } from '../../src/app/events/announcer.js';
import { emergencySignIn } from '../../src/app/events/sign-in-events.js';
import { uuidV7Ids } from '../../src/compose.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { PimEventJson } from '../../src/core/events/pim-event-json.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { armKit, contributor, roleDefinitionId, subPath } from '../support/arm.js';
import { describeEachDatabase } from '../support/db.js';

const roleRequests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const roleEligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';
const groupBase = '/v1.0/identityGovernance/privilegedAccess/group';

/**
 * Every state change someone must be told about publishes its event in the change's own transaction: these tests
 * make the changes through the real API and read what the outbox stored.
 */
describeEachDatabase('PimEvents published by the use cases', (ctx) => {
  let t: TestApp;
  let steve: TestUser;
  let grace: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    steve = await t.givenUser('Steve');
    grace = await t.givenUser('Grace');
  });
  afterEach(() => t.close());

  const published = async (): Promise<PimEventJson[]> =>
    (
      await ctx.db.db
        .selectFrom('outbox_events')
        .select('event')
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    ).map((r) => r.event as PimEventJson);
  const types = async () => (await published()).map((e) => e.type);

  async function eligible(user: TestUser, roleId = roles.helpdeskAdministrator) {
    const res = await t.graph(t.admin, 'POST', roleEligibilityRequests, {
      action: 'adminAssign',
      principalId: user.id,
      roleDefinitionId: roleId,
      directoryScopeId: '/',
      justification: 'Rota',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  async function requireApprovalBy(approver: TestUser) {
    const policy = await t.graph(
      t.admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roles.helpdeskAdministrator}'`,
    );
    const res = await t.graph(
      { ...t.admin, token: t.admin.mfaToken },
      'PATCH',
      `/v1.0/policies/roleManagementPolicies/${policy.body.value[0].policyId}/rules/Approval_EndUser_Assignment`,
      {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
        id: 'Approval_EndUser_Assignment',
        setting: {
          isApprovalRequired: true,
          isApprovalRequiredForExtension: false,
          isRequestorJustificationRequired: true,
          approvalMode: 'SingleStage',
          approvalStages: [
            {
              approvalStageTimeOutInDays: 1,
              isApproverJustificationRequired: false,
              escalationTimeInMinutes: 0,
              isEscalationEnabled: false,
              primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: approver.id }],
              escalationApprovers: [],
            },
          ],
        },
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  }

  const activate = async (user: TestUser) =>
    t.graph(
      user,
      'POST',
      roleRequests,
      {
        action: 'selfActivate',
        principalId: user.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'Ticket queue',
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT2H' } },
      },
      await t.steppedUp(user, roles.helpdeskAdministrator),
    );

  async function decide(approvalId: string, reviewResult: 'Approve' | 'Deny') {
    const approval = await t.graph(
      grace,
      'GET',
      `/beta/roleManagement/directory/roleAssignmentApprovals/${approvalId}`,
    );
    const step = approval.body.steps[0];
    const res = await t.graph(
      grace,
      'PATCH',
      `/beta/roleManagement/directory/roleAssignmentApprovals/${approvalId}/steps/${step.id}`,
      { reviewResult, justification: 'On call' },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  }

  it('tells of an approval workflow: settings, request, approvers, decision, grant and the end of access', async () => {
    await eligible(steve);
    await requireApprovalBy(grace);
    const pending = await activate(steve);
    expect(pending.body.status, JSON.stringify(pending.body)).toBe('PendingApproval');
    await decide(pending.body.approvalId, 'Approve');
    t.clock.advanceHours(3);
    await t.services.scheduler.tick();

    expect(await types()).toEqual([
      'elevate.assignment.added',
      'elevate.settings.updated',
      'elevate.activation.requested',
      'elevate.approval.requested',
      'elevate.approval.decided',
      'elevate.activation.granted',
      'elevate.activation.ended',
    ]);
    const [added, settings, requested, approvalRequested, decided, granted, ended] = await published();
    expect(added).toMatchObject({
      subject: added!.data.scheduleId,
      actor: { id: t.admin.id },
      data: { kind: 'eligibility', principal: { id: steve.id, displayName: 'Steve' } },
    });
    expect(settings).toMatchObject({
      data: {
        changedRules: ['Approval_EndUser_Assignment'],
        target: { displayName: 'Helpdesk Administrator' },
      },
    });
    expect(requested).toMatchObject({
      subject: pending.body.id,
      actor: { id: steve.id },
      data: {
        requestId: pending.body.id,
        justification: 'Ticket queue',
        target: { scopeDisplayName: 'Directory' },
      },
    });
    expect(approvalRequested).toMatchObject({
      subject: pending.body.approvalId,
      data: { approvers: [{ id: grace.id, displayName: 'Grace', userPrincipalName: 'grace@elevate.test' }] },
    });
    expect(decided).toMatchObject({
      actor: { id: grace.id },
      data: { decision: { outcome: 'Approved', decidedBy: { id: grace.id }, justification: 'On call' } },
    });
    expect(granted).toMatchObject({ data: { kind: 'assignment', principal: { id: steve.id } } });
    expect(granted!.data.end).toBe(
      new Date(new Date(granted!.data.start!).getTime() + 2 * 3_600_000).toISOString(),
    );
    expect(ended).toMatchObject({
      subject: granted!.subject,
      actor: { type: 'system' },
      data: { reason: 'expired' },
    });
  });

  it('tells of denials, cancellations and approvals nobody decided in time', async () => {
    await eligible(steve);
    await requireApprovalBy(grace);
    const denied = await activate(steve);
    await decide(denied.body.approvalId, 'Deny');
    const canceled = await activate(steve);
    const cancel = await t.graph(steve, 'POST', `${roleRequests}/${canceled.body.id}/cancel`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(204);
    const late = await activate(steve);
    t.clock.advanceDays(2);
    await t.services.scheduler.tick();

    const events = (await published()).slice(2);
    expect(events.map((e) => [e.type, e.data.reason ?? e.data.decision?.outcome ?? null])).toEqual([
      ['elevate.activation.requested', null],
      ['elevate.approval.requested', null],
      ['elevate.approval.decided', 'Denied'],
      ['elevate.activation.denied', 'denied'],
      ['elevate.activation.requested', null],
      ['elevate.approval.requested', null],
      ['elevate.request.canceled', null],
      ['elevate.activation.requested', null],
      ['elevate.approval.requested', null],
      ['elevate.activation.denied', 'approvalExpired'],
    ]);
    expect(events.at(-1)!.subject).toBe(late.body.id);
  });

  it('tells of Azure resource role assignments, settings and activations, named by their scope', async () => {
    const arm = armKit(t);
    await arm.elevate(t.admin);
    await arm.putGroup(t.admin, 'mg-contoso');
    const prod = '6f1c2a4e-0b7d-4f39-9c1e-2d8a5b3c7e10';
    await arm.putSubscription(t.admin, prod, 'mg-contoso', 'sub-prod');
    const sub = subPath(prod);
    await arm.assign(t.admin, sub, 'eligibility', steve.id, contributor);
    await arm.justificationOnly(t.admin, sub, contributor);
    const activated = await arm.request(steve, sub, 'assignment', {
      principalId: steve.id,
      roleDefinitionId: `${sub}${roleDefinitionId(contributor)}`,
      requestType: 'SelfActivate',
      justification: 'Deploy',
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } },
    });
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);

    const events = await published();
    expect(events.map((e) => [e.type, e.data.target.displayName, e.data.target.scopeDisplayName])).toEqual([
      ['elevate.assignment.added', 'User Access Administrator', '/'],
      ['elevate.assignment.added', 'Contributor', sub],
      ['elevate.settings.updated', 'Contributor', sub],
      ['elevate.activation.granted', 'Contributor', sub],
    ]);
    expect(events[3]!.data).toMatchObject({ principal: { id: steve.id }, justification: 'Deploy' });
  });

  it('builds the emergency sign-in event for the sign-in path to announce', async () => {
    const announcer = createAnnouncer({
      ids: uuidV7Ids,
      tenantId: t.services.tenantId,
      events: t.services.events,
    });
    const signedIn = emergencySignIn({ id: steve.id, displayName: 'Steve' });
    await ctx.db.db
      .transaction()
      .execute((trx) => announcer.announce(trx, signedIn.actor, t.clock.now(), signedIn.specs));
    expect(await published()).toMatchObject([
      {
        type: 'elevate.signin.emergency',
        subject: steve.id,
        actor: { id: steve.id, type: 'user' },
        data: { principal: { id: steve.id }, target: { displayName: 'Emergency access sign-in' } },
      },
    ]);
  });

  it('tells of group membership activations and deactivations', async () => {
    const group = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: 'PAG-RELEASE',
      mailNickname: 'pag-release',
      securityEnabled: true,
      mailEnabled: false,
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const eligibility = await t.graph(t.admin, 'POST', `${groupBase}/eligibilityScheduleRequests`, {
      accessId: 'member',
      principalId: steve.id,
      groupId: group.body.id,
      action: 'adminAssign',
      justification: 'Team rota',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
    });
    expect(eligibility.status, JSON.stringify(eligibility.body)).toBe(201);
    const request = (action: string) =>
      t.graph(steve, 'POST', `${groupBase}/assignmentScheduleRequests`, {
        accessId: 'member',
        principalId: steve.id,
        groupId: group.body.id,
        action,
        justification: 'Release night',
        ...(action === 'selfActivate'
          ? { scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } } }
          : {}),
      });
    expect((await request('selfActivate')).status).toBe(201);
    t.clock.advanceMinutes(30);
    const off = await request('selfDeactivate');
    expect(off.status, JSON.stringify(off.body)).toBe(201);

    const events = await published();
    expect(events.map((e) => e.type)).toEqual([
      'elevate.assignment.added',
      'elevate.activation.granted',
      'elevate.activation.ended',
    ]);
    for (const e of events)
      expect(e.data.target).toMatchObject({
        targetKind: 'group',
        roleDefinitionId: 'member',
        scopeId: group.body.id,
        displayName: 'PAG-RELEASE',
        scopeDisplayName: 'PAG-RELEASE',
      });
    expect(events[2]).toMatchObject({ subject: events[1]!.subject, data: { reason: 'deactivated' } });
  });
});
