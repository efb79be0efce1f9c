import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import {
  type ArmKit,
  armKit,
  auth,
  contributor,
  mgPath,
  owner,
  pim,
  reader,
  rgPath,
  roleDefinitionId,
  subPath,
} from '../support/arm.js';
import { describeEachDatabase } from '../support/db.js';

const PROD = '33333333-cccc-4ccc-8ccc-000000000001';
const SUB = subPath(PROD);
const RG = rgPath(PROD, 'rg-web');

describeEachDatabase('ARM schedule requests, role definitions and role settings', (ctx) => {
  let t: TestApp;
  let arm: ArmKit;
  let stan: TestUser;
  let grace: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    arm = armKit(t);
    stan = await t.givenUser('Stan');
    grace = await t.givenUser('Grace');
    await arm.elevate(t.admin);
    await arm.putGroup(t.admin, 'mg-contoso');
    await arm.putSubscription(t.admin, PROD, 'mg-contoso', 'sub-prod');
    await arm.putResourceGroup(t.admin, PROD, 'rg-web');
  });
  afterEach(() => t.close());

  const counts = async () => {
    const n = async (
      table: 'schedules' | 'schedule_requests' | 'resource_scopes' | 'role_management_policies' | 'approvals',
    ) =>
      Number(
        (
          await ctx.db.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      schedules: await n('schedules'),
      requests: await n('schedule_requests'),
      scopes: await n('resource_scopes'),
      policies: await n('role_management_policies'),
      approvals: await n('approvals'),
    };
  };

  const eligibleBody = (over: Record<string, unknown> = {}) => ({
    principalId: stan.id,
    roleDefinitionId: `${SUB}${roleDefinitionId(contributor)}`,
    requestType: 'AdminAssign',
    justification: 'On-call rota',
    scheduleInfo: {
      startDateTime: null,
      expiration: { type: 'AfterDuration', endDateTime: null, duration: 'P90D' },
    },
    ...over,
  });

  it('serves the five built-in roles with their real ids and permissions, at any scope', async () => {
    const list = await arm.ok(
      'role definitions',
      arm.call(stan, 'GET', `${auth(SUB, 'roleDefinitions')}?api-version=2022-04-01`),
      200,
    );
    expect(list.value.map((r: any) => [r.properties.roleName, r.name])).toEqual([
      ['Owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'],
      ['Contributor', 'b24988ac-6180-42a0-ab88-20f7382dd24c'],
      ['Reader', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'],
      ['User Access Administrator', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'],
      ['Role Based Access Control Administrator', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'],
    ]);
    const one = await arm.ok(
      'Contributor',
      arm.call(stan, 'GET', `${auth('/', `roleDefinitions/${contributor}`)}?api-version=2022-04-01`),
      200,
    );
    expect(one).toMatchObject({
      id: `/providers/Microsoft.Authorization/roleDefinitions/${contributor}`,
      type: 'Microsoft.Authorization/roleDefinitions',
      properties: {
        roleName: 'Contributor',
        type: 'BuiltInRole',
        assignableScopes: ['/'],
        permissions: [
          {
            actions: ['*'],
            notActions: expect.arrayContaining([
              'Microsoft.Authorization/*/Write',
              'Microsoft.Authorization/elevateAccess/Action',
            ]),
            dataActions: [],
            notDataActions: [],
          },
        ],
      },
    });
    const byName = await arm.ok(
      'by name',
      arm.call(
        stan,
        'GET',
        `${auth(RG, 'roleDefinitions')}?api-version=2022-04-01&$filter=roleName eq 'reader'`,
      ),
      200,
    );
    expect(byName.value).toEqual([
      expect.objectContaining({
        name: reader,
        id: `${RG}/providers/Microsoft.Authorization/roleDefinitions/${reader}`,
      }),
    ]);
    expect(
      (await arm.call(stan, 'GET', `${auth(SUB, `roleDefinitions/${randomUUID()}`)}?api-version=2022-04-01`))
        .status,
    ).toBe(404);
  });

  it('requires a known api-version on every route', async () => {
    const urls = [
      auth(SUB, 'roleAssignmentScheduleRequests'),
      auth(SUB, 'roleEligibilitySchedules'),
      auth(SUB, 'roleManagementPolicies'),
      auth(SUB, 'roleDefinitions'),
      mgPath('mg-contoso'),
      SUB,
      RG,
    ];
    for (const url of urls) {
      const missing = await arm.call(t.admin, 'GET', url);
      expect(missing.status, url).toBe(400);
      expect(missing.body.error.code, url).toBe('MissingApiVersionParameter');
      const wrong = await arm.call(t.admin, 'GET', `${url}?api-version=2019-01-01`);
      expect(wrong.status, url).toBe(400);
      expect(wrong.body.error.code, url).toBe('InvalidApiVersionParameter');
      expect(wrong.body.error.message).toContain('2019-01-01');
    }
    const before = await counts();
    const put = await arm.call(
      t.admin,
      'PUT',
      `${auth(SUB, `roleEligibilityScheduleRequests/${randomUUID()}`)}?api-version=2022-04-01`,
      {
        properties: eligibleBody(),
      },
    );
    expect(put.status).toBe(400);
    expect(put.body.error.code).toBe('InvalidApiVersionParameter');
    expect(await counts()).toEqual(before);
    const anonymous = await t.graph(null, 'GET', `${auth(SUB, 'roleDefinitions')}?api-version=2022-04-01`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('AuthenticationFailed');
  });

  it('makes a PUT idempotent: the same name and request answers the stored request (200), another request under that name is a 409', async () => {
    const name = randomUUID();
    const first = await arm.request(t.admin, SUB, 'eligibility', eligibleBody(), name);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await arm.request(t.admin, SUB, 'eligibility', eligibleBody(), name.toUpperCase());
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const before = await counts();
    const other = await arm.request(
      t.admin,
      SUB,
      'eligibility',
      eligibleBody({ roleDefinitionId: roleDefinitionId(owner) }),
      name,
    );
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('Conflict');
    expect(await counts()).toEqual(before);
    // a refused request leaves its name free: nothing was stored
    const refusedName = randomUUID();
    const refused = await arm.request(
      t.admin,
      SUB,
      'eligibility',
      eligibleBody({
        principalId: grace.id,
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P400D' } },
      }),
      refusedName,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    expect(refused.body.error.details).toEqual([expect.objectContaining({ code: 'ExpirationRule' })]);
    expect(await counts()).toEqual(before);
    // … and it takes the corrected request
    expect(
      (await arm.request(t.admin, SUB, 'eligibility', eligibleBody({ principalId: grace.id }), refusedName))
        .status,
    ).toBe(201);
    // a second eligibility for the same window is RoleAssignmentExists
    const duplicate = await arm.request(t.admin, SUB, 'eligibility', eligibleBody());
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.code).toBe('RoleAssignmentExists');
    // GET reads it back at its scope only
    expect(
      (await arm.call(t.admin, 'GET', `${auth(SUB, `roleEligibilityScheduleRequests/${name}`)}?${pim}`)).body,
    ).toEqual(first.body);
    expect(
      (await arm.call(t.admin, 'GET', `${auth(RG, `roleEligibilityScheduleRequests/${name}`)}?${pim}`))
        .status,
    ).toBe(404);
  });

  it('refuses bad input on every route with a 4xx ARM envelope and no state change', async () => {
    const put = (url: string, body: unknown) => arm.call(t.admin, 'PUT', url, body);
    const request = (scope: string, body: unknown, name: string = randomUUID()) =>
      put(`${auth(scope, `roleEligibilityScheduleRequests/${name}`)}?${pim}`, body);
    const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
      [
        'unknown property',
        () => request(SUB, { properties: { ...eligibleBody(), colour: 'red' } }),
        400,
        'InvalidRequestContent',
      ],
      [
        'unknown top-level property',
        () => request(SUB, { properties: eligibleBody(), extra: 1 }),
        400,
        'InvalidRequestContent',
      ],
      [
        'read-only property',
        () => request(SUB, { properties: { ...eligibleBody(), status: 'Provisioned' } }),
        400,
        'InvalidRequestContent',
      ],
      [
        'bad principal GUID',
        () => request(SUB, { properties: eligibleBody({ principalId: 'stan' }) }),
        400,
        'InvalidRequestContent',
      ],
      [
        'unknown principal',
        () => request(SUB, { properties: eligibleBody({ principalId: randomUUID() }) }),
        400,
        'InvalidRequestContent',
      ],
      [
        'bad role id',
        () => request(SUB, { properties: eligibleBody({ roleDefinitionId: 'Owner' }) }),
        400,
        'InvalidRequestContent',
      ],
      [
        'unknown role',
        () =>
          request(SUB, { properties: eligibleBody({ roleDefinitionId: roleDefinitionId(randomUUID()) }) }),
        400,
        'InvalidRequestContent',
      ],
      [
        'wrong requestType',
        () => request(SUB, { properties: eligibleBody({ requestType: 'AdminGrant' }) }),
        400,
        'InvalidRequestContent',
      ],
      [
        'SelfActivate of an eligibility',
        () =>
          request(SUB, {
            properties: eligibleBody({ requestType: 'SelfActivate', principalId: t.admin.id }),
          }),
        400,
        'InvalidRequestContent',
      ],
      [
        'bad expiration type',
        () => request(SUB, { properties: eligibleBody({ scheduleInfo: { expiration: { type: 'Soon' } } }) }),
        400,
        'InvalidRequestContent',
      ],
      [
        'bad start date',
        () => request(SUB, { properties: eligibleBody({ scheduleInfo: { startDateTime: 'tomorrow' } }) }),
        400,
        'InvalidRequestContent',
      ],
      [
        'bad duration',
        () =>
          request(SUB, {
            properties: eligibleBody({
              scheduleInfo: { expiration: { type: 'AfterDuration', duration: '90 days' } },
            }),
          }),
        400,
        'InvalidRequestContent',
      ],
      [
        'condition',
        () => request(SUB, { properties: eligibleBody({ condition: "@Resource[x] StringEquals 'y'" }) }),
        400,
        'InvalidRequestContent',
      ],
      [
        'not JSON',
        () =>
          t.graph(
            t.admin,
            'PUT',
            `${auth(SUB, `roleEligibilityScheduleRequests/${randomUUID()}`)}?${pim}`,
            '{"properties":',
            {
              'content-type': 'application/json',
            },
          ),
        400,
        'InvalidRequestContent',
      ],
      [
        'not JSON at all',
        () => put(`${auth(SUB, `roleEligibilityScheduleRequests/${randomUUID()}`)}?${pim}`, 'properties'),
        415,
        'UnsupportedMediaType',
      ],
      [
        'no body',
        () => put(`${auth(SUB, `roleEligibilityScheduleRequests/${randomUUID()}`)}?${pim}`, undefined),
        400,
        'InvalidRequestContent',
      ],
      [
        'bad request name',
        () => request(SUB, { properties: eligibleBody() }, 'request-1'),
        400,
        'InvalidRequestContent',
      ],
      [
        'unknown scope',
        () => request(rgPath(PROD, 'rg-missing'), { properties: eligibleBody() }),
        404,
        'ResourceNotFound',
      ],
      [
        'malformed scope',
        () => request('/subscriptions/not-a-guid', { properties: eligibleBody() }),
        400,
        'InvalidRequestUri',
      ],
      [
        'unknown collection',
        () => put(`${auth(SUB, `roleAssignments/${randomUUID()}`)}?${pim}`, {}),
        400,
        'InvalidRequestUri',
      ],
      [
        'PUT on a list',
        () => put(`${auth(SUB, 'roleEligibilityScheduleRequests')}?${pim}`, {}),
        405,
        'MethodNotAllowed',
      ],
      [
        'PUT on schedules',
        () => put(`${auth(SUB, `roleEligibilitySchedules/${randomUUID()}`)}?${pim}`, {}),
        405,
        'MethodNotAllowed',
      ],
      [
        'bad filter',
        () =>
          arm.call(
            t.admin,
            'GET',
            `${auth(SUB, 'roleEligibilityScheduleRequests')}?${pim}&$filter=everything()`,
          ),
        400,
        'InvalidFilter',
      ],
      [
        'request filter on schedules',
        () =>
          arm.call(t.admin, 'GET', `${auth(SUB, 'roleEligibilitySchedules')}?${pim}&$filter=asApprover()`),
        400,
        'InvalidFilter',
      ],
      [
        'bad $top',
        () => arm.call(t.admin, 'GET', `${auth(SUB, 'roleEligibilitySchedules')}?${pim}&$top=0`),
        400,
        'InvalidRequestContent',
      ],
      [
        'forged $skiptoken',
        () => arm.call(t.admin, 'GET', `${auth(SUB, 'roleEligibilitySchedules')}?${pim}&$skiptoken=abc`),
        400,
        'InvalidRequestContent',
      ],
      [
        'cancel of an unknown request',
        () =>
          arm.call(
            t.admin,
            'POST',
            `${auth(SUB, `roleEligibilityScheduleRequests/${randomUUID()}/cancel`)}?${pim}`,
          ),
        404,
        'ResourceNotFound',
      ],
      [
        'unknown management group property',
        () =>
          put(`${mgPath('mg-x')}?api-version=2020-05-01`, { properties: { displayName: 'x', colour: 1 } }),
        400,
        'InvalidRequestContent',
      ],
      [
        'bad management group id',
        () => put(`${mgPath('mg x')}?api-version=2020-05-01`, {}),
        400,
        'InvalidRequestUri',
      ],
      [
        'subscription under a missing group',
        () => put(`${subPath(randomUUID())}?api-version=2020-01-01`, { managementGroupId: 'mg-missing' }),
        400,
        'InvalidRequestContent',
      ],
      [
        'subscription with a bad group id',
        () =>
          put(`${subPath(randomUUID())}?api-version=2020-01-01`, { managementGroupId: '/subscriptions/x' }),
        400,
        'InvalidRequestContent',
      ],
      [
        'resource group unknown property',
        () => put(`${rgPath(PROD, 'rg-x')}?api-version=2021-04-01`, { location: 'westeurope', sku: 'x' }),
        400,
        'InvalidRequestContent',
      ],
      [
        'resource group bad location',
        () => put(`${rgPath(PROD, 'rg-x')}?api-version=2021-04-01`, { location: 'west/europe' }),
        400,
        'InvalidRequestContent',
      ],
      [
        'resource group in an unknown subscription',
        () => put(`${rgPath(randomUUID(), 'rg-x')}?api-version=2021-04-01`, {}),
        404,
        'ResourceNotFound',
      ],
      [
        'PATCH of a scope',
        () => arm.call(t.admin, 'PATCH', `${SUB}?api-version=2020-01-01`, {}),
        405,
        'MethodNotAllowed',
      ],
      [
        'policy PATCH of an unknown policy',
        () =>
          arm.call(t.admin, 'PATCH', `${auth(SUB, `roleManagementPolicies/${randomUUID()}`)}?${pim}`, {
            properties: { rules: [] },
          }),
        404,
        'ResourceNotFound',
      ],
      [
        'policy assignment filter',
        () =>
          arm.call(
            t.admin,
            'GET',
            `${auth(SUB, 'roleManagementPolicyAssignments')}?${pim}&$filter=scope eq '/'`,
          ),
        400,
        'InvalidFilter',
      ],
      [
        'approval of an unknown request',
        () =>
          arm.call(
            t.admin,
            'GET',
            `/providers/Microsoft.Authorization/roleAssignmentApprovals/${randomUUID()}?api-version=2021-01-01-preview`,
          ),
        404,
        'ResourceNotFound',
      ],
    ];
    // every role's settings at the subscription exist from the first look, so nothing below creates them
    await arm.ok('policies', arm.call(t.admin, 'GET', `${auth(SUB, 'roleManagementPolicies')}?${pim}`), 200);
    const before = await counts();
    for (const [what, run, status, code] of cases) {
      const res = await run();
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body?.error?.code, what).toBe(code);
      expect(typeof res.body.error.message, what).toBe('string');
      expect(Object.keys(res.body), what).toEqual(['error']);
    }
    expect(await counts()).toEqual(before);
  });

  it('validates a request without storing it, cancels a pending one, and routes approval through ARM’s approvals', async () => {
    // Owner at the resource group needs approval by Grace, and a justification only
    await arm.justificationOnly(t.admin, RG, owner);
    const policyId = await arm.policyOf(t.admin, RG, owner);
    const approvalOn = (approvers: unknown[]) =>
      arm.call(t.admin, 'PATCH', `${auth(RG, `roleManagementPolicies/${policyId}`)}?${pim}`, {
        properties: {
          rules: [
            {
              id: 'Approval_EndUser_Assignment',
              ruleType: 'RoleManagementPolicyApprovalRule',
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
                    primaryApprovers: approvers,
                    escalationApprovers: null,
                  },
                ],
              },
              target: {
                caller: 'EndUser',
                operations: ['All'],
                level: 'Assignment',
                targetObjects: null,
                inheritableSettings: null,
                enforcedSettings: null,
              },
            },
          ],
        },
      });
    // Azure resource roles have no default approvers: approval without one is refused
    const none = await approvalOn([]);
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('no default approvers');
    const withGrace = await approvalOn([
      { id: grace.id, description: 'x', isBackup: false, userType: 'User' },
    ]);
    expect(withGrace.status, JSON.stringify(withGrace.body)).toBe(200);
    expect(withGrace.body.properties.rules).toContainEqual(
      expect.objectContaining({
        id: 'Approval_EndUser_Assignment',
        ruleType: 'RoleManagementPolicyApprovalRule',
        setting: expect.objectContaining({
          approvalStages: [
            expect.objectContaining({
              primaryApprovers: [{ id: grace.id, description: 'Grace', isBackup: false, userType: 'User' }],
            }),
          ],
        }),
      }),
    );
    const eligibility = await arm.assign(t.admin, RG, 'eligibility', stan.id, owner);
    const activation = {
      principalId: stan.id,
      roleDefinitionId: `${RG}${roleDefinitionId(owner)}`,
      requestType: 'SelfActivate',
      justification: 'Fix the load balancer',
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT2H' } },
    };
    // validate answers the would-be request and stores nothing
    const before = await counts();
    const checked = await arm.ok(
      'validate',
      arm.call(
        stan,
        'POST',
        `${auth(RG, `roleAssignmentScheduleRequests/${randomUUID()}/validate`)}?${pim}`,
        { properties: activation },
      ),
      200,
    );
    expect(checked.properties).toMatchObject({ requestType: 'SelfActivate', status: 'PendingApproval' });
    expect(await counts()).toEqual(before);
    // the activation waits for Grace; she finds it with asApprover()
    const name = randomUUID();
    const pending = await arm.request(stan, RG, 'assignment', activation, name);
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect(pending.body.properties).toMatchObject({
      status: 'PendingApproval',
      approvalId: `/providers/Microsoft.Authorization/roleAssignmentApprovals/${name}`,
      linkedRoleEligibilityScheduleId: eligibility.properties.targetRoleEligibilityScheduleId,
    });
    const forGrace = await arm.ok(
      'asApprover',
      arm.call(grace, 'GET', `${auth(RG, 'roleAssignmentScheduleRequests')}?${pim}&$filter=asApprover()`),
      200,
    );
    expect(forGrace.value.map((r: any) => r.name)).toEqual([name]);
    expect(
      (
        await arm.call(
          stan,
          'GET',
          `${auth(RG, 'roleAssignmentScheduleRequests')}?${pim}&$filter=asApprover()`,
        )
      ).body.value,
    ).toEqual([]);
    const approval = await arm.ok(
      'approval',
      arm.call(
        grace,
        'GET',
        `/providers/Microsoft.Authorization/roleAssignmentApprovals/${name}?api-version=2021-01-01-preview`,
      ),
      200,
    );
    const stage = approval.properties.stages[0];
    expect(stage.properties).toMatchObject({
      status: 'InProgress',
      assignedToMe: true,
      reviewResult: 'NotReviewed',
    });
    // Stan cannot approve his own, Grace can
    const self = await arm.call(stan, 'PATCH', `${stage.id}?api-version=2021-01-01-preview`, {
      properties: { reviewResult: 'Approve', justification: 'me' },
    });
    expect(self.status).toBe(403);
    const approved = await arm.ok(
      'approve',
      arm.call(grace, 'PATCH', `${stage.id}?api-version=2021-01-01-preview`, {
        properties: { reviewResult: 'Approve', justification: 'Go ahead' },
      }),
      200,
    );
    expect(approved.properties).toMatchObject({ status: 'Completed', reviewResult: 'Approved' });
    const granted = await arm.ok(
      'get',
      arm.call(stan, 'GET', `${auth(RG, `roleAssignmentScheduleRequests/${name}`)}?${pim}`),
      200,
    );
    expect(granted.properties.status).toBe('Provisioned');
    expect(granted.properties.targetRoleAssignmentScheduleId).toBe(name);
    // a second activation request, then canceled while pending
    t.clock.advanceHours(3);
    const second = randomUUID();
    expect((await arm.request(stan, RG, 'assignment', activation, second)).body.properties.status).toBe(
      'PendingApproval',
    );
    const canceled = await arm.call(
      stan,
      'POST',
      `${auth(RG, `roleAssignmentScheduleRequests/${second}/cancel`)}?${pim}`,
    );
    expect(canceled.status).toBe(200);
    expect(canceled.body).toBeUndefined();
    expect(
      (await arm.call(stan, 'GET', `${auth(RG, `roleAssignmentScheduleRequests/${second}`)}?${pim}`)).body
        .properties.status,
    ).toBe('Canceled');
    const again = await arm.call(
      stan,
      'POST',
      `${auth(RG, `roleAssignmentScheduleRequests/${second}/cancel`)}?${pim}`,
    );
    expect(again.status).toBe(400);
    expect(eligibility.properties.status).toBe('Provisioned');
  });

  it('serves one policy per role at each scope, not inherited, changed only by an Owner or User Access Administrator there', async () => {
    const policies = await arm.ok(
      'policies',
      arm.call(stan, 'GET', `${auth(SUB, 'roleManagementPolicies')}?${pim}`),
      200,
    );
    expect(policies.value).toHaveLength(5);
    const ownerPolicy = await arm.policyOf(stan, SUB, owner);
    const one = await arm.ok(
      'policy',
      arm.call(stan, 'GET', `${auth(SUB, `roleManagementPolicies/${ownerPolicy}`)}?${pim}`),
      200,
    );
    expect(one).toMatchObject({
      name: ownerPolicy,
      id: `${SUB}/providers/Microsoft.Authorization/roleManagementPolicies/${ownerPolicy}`,
      type: 'Microsoft.Authorization/RoleManagementPolicies',
      properties: { scope: SUB, isOrganizationDefault: false },
    });
    const rule = (id: string) => one.properties.rules.find((r: any) => r.id === id);
    expect(one.properties.rules).toHaveLength(17);
    expect(rule('Expiration_EndUser_Assignment')).toEqual({
      id: 'Expiration_EndUser_Assignment',
      ruleType: 'RoleManagementPolicyExpirationRule',
      isExpirationRequired: true,
      maximumDuration: 'PT8H',
      target: {
        caller: 'EndUser',
        operations: ['All'],
        level: 'Assignment',
        targetObjects: null,
        inheritableSettings: null,
        enforcedSettings: null,
      },
    });
    expect(rule('Expiration_Admin_Eligibility')).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: 'P365D',
    });
    expect(rule('Enablement_EndUser_Assignment').enabledRules).toEqual([
      'MultiFactorAuthentication',
      'Justification',
    ]);
    const assignment = await arm.ok(
      'assignment',
      arm.call(stan, 'GET', `${auth(SUB, `roleManagementPolicyAssignments/${ownerPolicy}_${owner}`)}?${pim}`),
      200,
    );
    expect(assignment).toMatchObject({
      name: `${ownerPolicy}_${owner}`,
      type: 'Microsoft.Authorization/RoleManagementPolicyAssignment',
      properties: {
        roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${owner}`,
        policyId: `${SUB}/providers/Microsoft.Authorization/roleManagementPolicies/${ownerPolicy}`,
        policyAssignmentProperties: { roleDefinition: { displayName: 'Owner', type: 'BuiltInRole' } },
      },
    });
    const patch = (user: TestUser, rules: unknown[], id = ownerPolicy) =>
      arm.call(user, 'PATCH', `${auth(SUB, `roleManagementPolicies/${id}`)}?${pim}`, {
        properties: { rules },
      });
    const maxFour = {
      id: 'Expiration_EndUser_Assignment',
      ruleType: 'RoleManagementPolicyExpirationRule',
      isExpirationRequired: true,
      maximumDuration: 'PT4H',
    };
    await arm.assign(t.admin, SUB, 'assignment', stan.id, contributor, 'P1D');
    // validation: every problem named, nothing saved
    const before = await counts();
    for (const [rules, text] of [
      [[{ ...maxFour, maximumDuration: 'PT30H' }], 'maximumDuration'],
      [[{ ...maxFour, ruleType: 'RoleManagementPolicyEnablementRule' }], 'ruleType'],
      [[{ ...maxFour, id: 'Expiration_Nobody' }], 'Expiration_Nobody'],
      [[{ ...maxFour, colour: 'red' }], 'colour'],
      [[maxFour, maxFour], 'more than once'],
      [[{ ...maxFour, exceptionMembers: [{ id: stan.id }] }], 'exceptionMembers'],
      [
        [
          {
            id: 'Enablement_EndUser_Assignment',
            ruleType: 'RoleManagementPolicyEnablementRule',
            enabledRules: ['Prayer'],
          },
        ],
        'Prayer',
      ],
    ] as const) {
      const bad = await patch(t.admin, rules as unknown as unknown[]);
      expect(bad.status, text).toBe(400);
      expect(bad.body.error.code).toBe('InvalidRequestContent');
      expect(bad.body.error.message, text).toContain(text);
    }
    const readOnly = await arm.call(
      t.admin,
      'PATCH',
      `${auth(SUB, `roleManagementPolicies/${ownerPolicy}`)}?${pim}`,
      { properties: { scope: '/', rules: [maxFour] } },
    );
    expect(readOnly.status).toBe(400);
    const wrongScope = await arm.call(
      t.admin,
      'PATCH',
      `${auth(RG, `roleManagementPolicies/${ownerPolicy}`)}?${pim}`,
      { properties: { rules: [maxFour] } },
    );
    expect(wrongScope.status).toBe(404);
    // a Contributor at the subscription cannot change it
    const byContributor = await patch(stan, [maxFour]);
    expect(byContributor.status).toBe(403);
    expect(byContributor.body.error.code).toBe('AuthorizationFailed');
    expect(await counts()).toEqual(before);
    // the elevated administrator can; the resource group below keeps its own settings
    const saved = await patch(t.admin, [maxFour]);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.properties.lastModifiedBy).toMatchObject({ id: t.admin.id, displayName: 'Admin' });
    const below = await arm.policyOf(t.admin, RG, owner);
    const rgPolicy = await arm.ok(
      'rg policy',
      arm.call(t.admin, 'GET', `${auth(RG, `roleManagementPolicies/${below}`)}?${pim}`),
      200,
    );
    expect(
      rgPolicy.properties.rules.find((r: any) => r.id === 'Expiration_EndUser_Assignment').maximumDuration,
    ).toBe('PT8H');
    const audited = await ctx.db.db
      .selectFrom('audit_log')
      .select(['category', 'additional_details'])
      .where('activity_display_name', '=', 'Update role setting in PIM')
      .execute();
    expect(audited).toEqual([
      expect.objectContaining({
        category: 'ResourceManagement',
        additional_details: expect.arrayContaining([{ key: 'Scope', value: SUB }]),
      }),
    ]);
    // Graph does not serve (nor change) resource-role policies
    expect(
      (await t.graph(t.admin, 'GET', `/v1.0/policies/roleManagementPolicies/${ownerPolicy}`)).status,
    ).toBe(404);
  });
});
