import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoSubscriptions } from '../../src/app/setup/setup-service.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { auth, contributor, mgPath, owner, pim, rgPath, roleDefinitionId, subPath } from '../support/arm.js';
import { describeEachDatabase } from '../support/db.js';

const password = 'demo-password-123456';
const MG = mgPath('mg-contoso');
const DEV = subPath(demoSubscriptions.dev);

describeEachDatabase(
  'The demo tenant’s Azure resources',
  (ctx) => {
    let t: TestApp;
    const signIn = async (upn: string): Promise<TestUser> => {
      const res = await t.graph(null, 'POST', '/api/auth/token', { username: upn, password });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const me = await t.graph(
        { id: '', upn, token: res.body.access_token, mfaToken: '' },
        'GET',
        '/v1.0/me',
      );
      return { id: me.body.id, upn, token: res.body.access_token, mfaToken: '' };
    };

    beforeAll(async () => {
      t = await createTestApp(ctx.db);
      await t.services.setup.seedDemoTenant(password);
    });
    afterAll(() => t.close());

    it('holds the tree, Grace as standing Owner of mg-contoso, and the seed guide’s Owner row there', async () => {
      const grace = await signIn('grace@elevate.example');
      const group = await t.graph(grace, 'GET', `${MG}?api-version=2020-05-01&$expand=children`);
      expect(group.status, JSON.stringify(group.body)).toBe(200);
      expect(group.body.properties.children.map((c: any) => c.displayName).sort()).toEqual([
        'sub-dev',
        'sub-prod',
      ]);
      const vm = `${rgPath(demoSubscriptions.prod, 'rg-web')}/providers/Microsoft.Compute/virtualMachines/vm-web-01`;
      expect((await t.graph(grace, 'GET', `${vm}?api-version=2024-03-01`)).status).toBe(200);
      const policies = await t.graph(
        grace,
        'GET',
        `${auth(MG, 'roleManagementPolicyAssignments')}?${pim}&$filter=roleDefinitionId eq '${owner}'`,
      );
      const rules = policies.body.value[0].properties.effectiveRules;
      const rule = (id: string) => rules.find((r: any) => r.id === id);
      expect(rule('Expiration_EndUser_Assignment').maximumDuration).toBe('PT1H');
      expect(rule('Enablement_EndUser_Assignment').enabledRules).toEqual([
        'MultiFactorAuthentication',
        'Justification',
        'Ticketing',
      ]);
      expect(rule('AuthenticationContext_EndUser_Assignment')).toMatchObject({
        isEnabled: true,
        claimValue: 'c1',
      });
      expect(rule('Expiration_Admin_Eligibility')).toMatchObject({
        isExpirationRequired: true,
        maximumDuration: 'P90D',
      });
      expect(rule('Approval_EndUser_Assignment').setting).toMatchObject({
        isApprovalRequired: true,
        approvalStages: [
          expect.objectContaining({
            primaryApprovers: [expect.objectContaining({ id: grace.id, userType: 'User' })],
          }),
        ],
      });
      const owners = await t.graph(
        grace,
        'GET',
        `${auth(MG, 'roleAssignmentScheduleInstances')}?${pim}&$filter=atScope()`,
      );
      expect(owners.body.value).toEqual([
        expect.objectContaining({
          properties: expect.objectContaining({ principalId: grace.id, assignmentType: 'Assigned' }),
        }),
      ]);
    });

    it('lets Stan activate Contributor on sub-dev with a justification alone, and asks Pat for MFA on Owner', async () => {
      const stan = await signIn('stan@elevate.example');
      const mine = await t.graph(
        stan,
        'GET',
        `${auth(DEV, 'roleEligibilityScheduleInstances')}?${pim}&$filter=asTarget()`,
      );
      expect(mine.body.value).toEqual([
        expect.objectContaining({
          properties: expect.objectContaining({ scope: DEV, principalId: stan.id }),
        }),
      ]);
      const activated = await t.graph(
        stan,
        'PUT',
        `${auth(DEV, `roleAssignmentScheduleRequests/${randomUUID()}`)}?${pim}`,
        {
          properties: {
            principalId: stan.id,
            roleDefinitionId: `${DEV}${roleDefinitionId(contributor)}`,
            requestType: 'SelfActivate',
            justification: 'Deploy the release candidate',
            scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT4H' } },
          },
        },
      );
      expect(activated.status, JSON.stringify(activated.body)).toBe(201);
      expect(activated.body.properties.status).toBe('Provisioned');

      // Pat's Owner activation at the management group needs a step-up made for it, then Grace's approval
      const pat = await signIn('pat@elevate.example');
      const activation = {
        properties: {
          principalId: pat.id,
          roleDefinitionId: `${MG}${roleDefinitionId(owner)}`,
          requestType: 'SelfActivate',
          justification: 'Subscription clean-up',
          ticketInfo: { ticketNumber: 'CHG-1', ticketSystem: 'ServiceNow' },
          scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } },
        },
      };
      const url = () => `${auth(MG, `roleAssignmentScheduleRequests/${randomUUID()}`)}?${pim}`;
      const refused = await t.graph(pat, 'PUT', url(), activation);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toMatch(/RoleAssignmentRequest(Policy|Acrs)ValidationFailed/);
      expect(refused.headers['www-authenticate']).toContain('insufficient_user_authentication');
      const stepUp = await t.graph(pat, 'POST', '/api/v1/me/step-up', {
        roleDefinitionId: `${MG}${roleDefinitionId(owner)}`,
        scope: MG,
        totp: await t.nextTotp(pat),
      });
      expect(stepUp.status, JSON.stringify(stepUp.body)).toBe(201);
      const pending = await t.graph(pat, 'PUT', url(), activation, {
        'x-elevate-step-up': stepUp.body.proof,
      });
      expect(pending.status, JSON.stringify(pending.body)).toBe(201);
      expect(pending.body.properties.status).toBe('PendingApproval');
      const grace = await signIn('grace@elevate.example');
      const stage = (
        await t.graph(
          grace,
          'GET',
          `/providers/Microsoft.Authorization/roleAssignmentApprovals/${pending.body.name}?api-version=2021-01-01-preview`,
        )
      ).body.properties.stages[0];
      const approved = await t.graph(grace, 'PATCH', `${stage.id}?api-version=2021-01-01-preview`, {
        properties: { reviewResult: 'Approve', justification: 'Planned change CHG-1' },
      });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      const rg = rgPath(demoSubscriptions.prod, 'rg-data');
      const inherited = await t.graph(
        pat,
        'GET',
        `${auth(rg, 'roleAssignmentScheduleInstances')}?${pim}&$filter=asTarget()`,
      );
      expect(inherited.body.value).toEqual([
        expect.objectContaining({
          properties: expect.objectContaining({
            scope: MG,
            memberType: 'Inherited',
            assignmentType: 'Activated',
          }),
        }),
      ]);
    });
  },
  { shared: true },
);
