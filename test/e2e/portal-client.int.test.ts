import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElevateClient, type ElevateClient } from '../../src/contracts/browser.js';
import { directoryRoles } from '../../src/core/catalog/directory-roles.js';
import type { Database } from '../../src/db/connect.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';

const groupPim = '/v1.0/identityGovernance/privilegedAccess/group';

/** The calls the portal's request and approval pages make, against the real server on loopback. */
describe("the portal's request calls: pages, next links, group requests and approvals", () => {
  let database: Database;
  let t: TestApp;
  let rita: TestUser;
  let alex: TestUser;
  let asRita: ElevateClient;
  let asAlex: ElevateClient;
  let groupId: string;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    t = await createTestApp(database);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    rita = await t.givenUser('Rita');
    alex = await t.givenUser('Alex');
    asRita = createElevateClient({ baseUrl, token: rita.token });
    asAlex = createElevateClient({ baseUrl, token: alex.token });
    const admin = { ...t.admin, token: t.admin.mfaToken };
    const group = await t.graph(admin, 'POST', '/v1.0/groups', {
      displayName: 'Release team',
      mailNickname: 'release',
      securityEnabled: true,
      mailEnabled: false,
    });
    groupId = group.body.id;
    const eligible = await t.graph(admin, 'POST', `${groupPim}/eligibilityScheduleRequests`, {
      accessId: 'member',
      principalId: rita.id,
      groupId,
      action: 'adminAssign',
      justification: 'Rota',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
    });
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
    const assignments = await t.graph(
      admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${groupId}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`,
    );
    const policyId = assignments.body.value[0].policyId;
    for (const rule of [
      {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
        id: 'Enablement_EndUser_Assignment',
        enabledRules: ['Justification'],
      },
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
              primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: alex.id }],
              escalationApprovers: [],
            },
          ],
        },
      },
    ]) {
      const res = await t.graph(
        admin,
        'PATCH',
        `/v1.0/policies/roleManagementPolicies/${policyId}/rules/${rule.id}`,
        rule,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(204);
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await database?.close();
  });

  it('pages my requests newest first through @odata.nextLink, with the count and a status filter', async () => {
    // Given 25 requests with Rita as principal: an administrator makes her eligible for 25 roles.
    for (const [i, role] of directoryRoles.slice(0, 25).entries()) {
      t.clock.advance(1000);
      const res = await t.graph(
        { ...t.admin, token: t.admin.mfaToken },
        'POST',
        '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
        {
          action: 'adminAssign',
          principalId: rita.id,
          roleDefinitionId: role.id,
          directoryScopeId: '/',
          justification: `Attempt ${i}`,
          scheduleInfo: { expiration: { type: 'noExpiration' } },
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const asked = { on: 'principal', orderBy: 'createdDateTime desc', top: 10, count: true } as const;
    const first = await asRita.pageScheduleRequests('eligibility', asked);
    expect(first.items).toHaveLength(10);
    expect(first.count).toBe(25);
    expect(first.items[0]).toMatchObject({ status: 'Provisioned', justification: 'Attempt 24' });
    expect(first.nextLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/.*\$skiptoken=/);
    const second = await asRita.nextPage<{ justification: string }>(first.nextLink!);
    const third = await asRita.nextPage<{ justification: string }>(second.nextLink!);
    expect(second.items.map((r) => r.justification)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Attempt ${14 - i}`),
    );
    expect(third.items).toHaveLength(5);
    expect(third.nextLink).toBeNull();

    const none = await asRita.pageScheduleRequests('eligibility', {
      on: 'principal',
      filter: "status in ('Denied', 'Canceled')",
    });
    expect(none).toEqual({ items: [], nextLink: null, count: null });
    const decided = await asRita.pageScheduleRequests('eligibility', {
      on: 'principal',
      filter: "status ne 'PendingApproval'",
      top: 50,
    });
    expect(decided.items).toHaveLength(25);
  });

  it('sends, lists, approves and cancels group requests, and reads the group settings', async () => {
    const settings = await asRita.getGroupActivationSettings(groupId, 'member');
    expect(settings).toMatchObject({
      requiresJustification: true,
      requiresMfa: false,
      requiresApproval: true,
      approverJustificationRequired: false,
    });
    const ask = () =>
      asRita.createGroupScheduleRequest('assignment', {
        action: 'selfActivate',
        accessId: 'member',
        principalId: rita.id,
        groupId,
        justification: 'Release night',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
      });
    const pending = await ask();
    expect(pending.status).toBe('PendingApproval');

    const queue = await asAlex.pageGroupScheduleRequests('assignment', {
      on: 'approver',
      filter: "status eq 'PendingApproval'",
      expand: 'principal,group',
    });
    expect(queue.items).toEqual([
      expect.objectContaining({
        id: pending.id,
        justification: 'Release night',
        principal: expect.objectContaining({ displayName: 'Rita' }),
        group: expect.objectContaining({ displayName: 'Release team' }),
      }),
    ]);
    const approval = await asAlex.getGroupApproval(pending.approvalId!);
    expect(approval.steps).toEqual([expect.objectContaining({ status: 'InProgress', assignedToMe: true })]);
    await asAlex.decideGroupApprovalStage(approval.id, approval.steps[0]!.id, { reviewResult: 'Approve' });
    await expect(
      asAlex.decideGroupApprovalStage(approval.id, approval.steps[0]!.id, { reviewResult: 'Deny' }),
    ).rejects.toMatchObject({ status: 409 });
    const mine = await asRita.pageGroupScheduleRequests('assignment', { on: 'principal' });
    expect(mine.items.map((r) => r.status)).toEqual(['Provisioned']);

    // Deactivate, ask again, and take the new request back.
    t.clock.advanceMinutes(6);
    await asRita.createGroupScheduleRequest('assignment', {
      action: 'selfDeactivate',
      accessId: 'member',
      principalId: rita.id,
      groupId,
    });
    const again = await ask();
    await asRita.cancelGroupScheduleRequest('assignment', again.id);
    const canceled = await asRita.pageGroupScheduleRequests('assignment', {
      on: 'principal',
      filter: "status eq 'Canceled'",
    });
    expect(canceled.items.map((r) => r.id)).toEqual([again.id]);
  });
});
