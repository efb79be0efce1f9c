import {
  type AuthenticationProvider,
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import type {
  DirectoryAudit,
  UnifiedRoleAssignmentScheduleInstance,
  UnifiedRoleAssignmentScheduleRequest,
  UnifiedRoleEligibilityScheduleRequest,
  UnifiedRoleManagementPolicyAssignment,
  UnifiedRoleManagementPolicyExpirationRule,
} from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { Database } from '../../src/db/connect.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';

/** Sends the bearer token on plain http (the SDK's own handler only does so for https Graph hosts). */
class BearerAuth implements Middleware {
  private next?: Middleware;
  constructor(private readonly provider: AuthenticationProvider) {}
  async execute(context: Context): Promise<void> {
    const token = await this.provider.getAccessToken();
    const headers = (context.options?.headers ?? {}) as Record<string, string>;
    context.options = { ...context.options, headers: { ...headers, Authorization: `Bearer ${token}` } };
    return this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

function graphClient(baseUrl: string, user: TestUser, mfa = false): Client {
  const auth = new BearerAuth({ getAccessToken: async () => (mfa ? user.mfaToken : user.token) });
  const retry = new RetryHandler(new RetryHandlerOptions(1, 1));
  auth.setNext(retry);
  retry.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ middleware: auth, baseUrl: `${baseUrl}/`, defaultVersion: 'v1.0' });
}

describe('the official Microsoft Graph client against Elevate', () => {
  let database: Database;
  let t: TestApp;
  let baseUrl: string;
  let adam: TestUser;
  let grace: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    t = await createTestApp(database);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    adam = await t.givenUser('Adam');
    grace = await t.givenUser('Grace', { roles: [roles.globalAdministrator] });
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });

  it('drives assign → change a rule → activate → approve → instances → audit', async () => {
    const admin = graphClient(baseUrl, t.admin, true);

    // 1. An administrator makes Adam eligible for Exchange Administrator.
    const eligibility: UnifiedRoleEligibilityScheduleRequest = {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: roles.exchangeAdministrator,
      directoryScopeId: '/',
      justification: 'Mail migration project',
      scheduleInfo: {
        startDateTime: t.clock.now().toISOString(),
        expiration: { type: 'afterDuration', duration: 'P90D' },
      },
    };
    const created: UnifiedRoleEligibilityScheduleRequest = await admin
      .api('/roleManagement/directory/roleEligibilityScheduleRequests')
      .post(eligibility);
    expect(created.status).toBe('Provisioned');

    // 2. Change rules: at most 2 hours, and approval by Grace.
    const assignments = await admin
      .api('/policies/roleManagementPolicyAssignments')
      .filter(
        `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roles.exchangeAdministrator}'`,
      )
      .get();
    const policyId = (assignments.value as UnifiedRoleManagementPolicyAssignment[])[0]!.policyId!;
    const expiration: UnifiedRoleManagementPolicyExpirationRule & { '@odata.type': string } = {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      id: 'Expiration_EndUser_Assignment',
      isExpirationRequired: true,
      maximumDuration: 'PT2H',
      target: {
        caller: 'EndUser',
        operations: ['all'],
        level: 'Assignment',
        inheritableSettings: [],
        enforcedSettings: [],
      },
    };
    await admin
      .api(`/policies/roleManagementPolicies/${policyId}/rules/Expiration_EndUser_Assignment`)
      .patch(expiration);
    await admin.api(`/policies/roleManagementPolicies/${policyId}/rules/Approval_EndUser_Assignment`).patch({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
      id: 'Approval_EndUser_Assignment',
      target: {
        caller: 'EndUser',
        operations: ['all'],
        level: 'Assignment',
        inheritableSettings: [],
        enforcedSettings: [],
      },
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
            primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: grace.id }],
            escalationApprovers: [],
          },
        ],
      },
    });

    // 3. Adam steps up with his authenticator app and activates: a 3-hour request breaks the new rule (and
    // leaves the proof unspent), a 2-hour one with the same proof waits for approval. The proof rides in a
    // header, since Graph's body has no field for it.
    const asAdam = graphClient(baseUrl, adam);
    const proof = await t.stepUp(adam, roles.exchangeAdministrator);
    const activation: UnifiedRoleAssignmentScheduleRequest = {
      action: 'selfActivate',
      principalId: adam.id,
      roleDefinitionId: roles.exchangeAdministrator,
      directoryScopeId: '/',
      justification: 'Fix a stuck mailbox move',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT3H' } },
    };
    await expect(
      asAdam
        .api('/roleManagement/directory/roleAssignmentScheduleRequests')
        .header('x-elevate-step-up', proof)
        .post(activation),
    ).rejects.toMatchObject({ statusCode: 400, code: 'RoleAssignmentRequestPolicyValidationFailed' });
    const pending: UnifiedRoleAssignmentScheduleRequest = await asAdam
      .api('/roleManagement/directory/roleAssignmentScheduleRequests')
      .header('x-elevate-step-up', proof)
      .post({ ...activation, scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } } });
    expect(pending.status).toBe('PendingApproval');

    // 4. Grace approves through the beta approval API.
    const asGrace = graphClient(baseUrl, grace, true);
    const queue = await asGrace
      .api("/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')")
      .filter("status eq 'PendingApproval'")
      .get();
    expect(queue.value.map((r: UnifiedRoleAssignmentScheduleRequest) => r.id)).toEqual([pending.id]);
    const approval = await asGrace
      .api(`/roleManagement/directory/roleAssignmentApprovals/${pending.approvalId}`)
      .version('beta')
      .get();
    const step = approval.steps.find((s: { assignedToMe: boolean }) => s.assignedToMe);
    await asGrace
      .api(`/roleManagement/directory/roleAssignmentApprovals/${pending.approvalId}/steps/${step.id}`)
      .version('beta')
      .patch({ reviewResult: 'Approve', justification: 'Known incident' });

    // 5. Adam's instance is active now, for two hours.
    const instances = await asAdam
      .api("/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')")
      .get();
    const active = instances.value as UnifiedRoleAssignmentScheduleInstance[];
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      roleDefinitionId: roles.exchangeAdministrator,
      assignmentType: 'Activated',
    });
    expect(new Date(active[0]!.endDateTime!).getTime() - new Date(active[0]!.startDateTime!).getTime()).toBe(
      2 * 3_600_000,
    );

    // 6. The audit log tells the story.
    const audits = await admin
      .api('/auditLogs/directoryAudits')
      .filter("loggedByService eq 'PIM'")
      .top(50)
      .get();
    const names = (audits.value as DirectoryAudit[]).map((a) => a.activityDisplayName);
    expect(names).toEqual(
      expect.arrayContaining([
        'Update role setting in PIM',
        'Add member to role approval requested (PIM activation)',
        'Add member to role request approved (PIM activation)',
        'Add member to role completed (PIM activation)',
      ]),
    );
  });

  it('follows @odata.nextLink pages and maps errors to GraphError', async () => {
    const admin = graphClient(baseUrl, t.admin);
    for (let i = 0; i < 5; i++) await t.givenUser(`Paged ${i}`);
    const first = await admin.api('/users').top(2).get();
    expect(first.value).toHaveLength(2);
    const seen = [...first.value];
    let next: string | undefined = first['@odata.nextLink'];
    while (next) {
      const url = new URL(next);
      const page = await admin.api(`${url.pathname.replace(/^\/v1\.0/, '')}${url.search}`).get();
      seen.push(...page.value);
      next = page['@odata.nextLink'];
    }
    const all = await admin.api('/users').top(999).get();
    expect(seen.map((u) => u.id).sort()).toEqual(all.value.map((u: { id: string }) => u.id).sort());
    await expect(admin.api('/users/00000000-0000-0000-0000-00000000abcd').get()).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
