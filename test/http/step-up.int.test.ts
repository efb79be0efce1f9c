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
const challenge = (acr?: string) =>
  acr
    ? `Bearer error="insufficient_user_authentication", error_description="A step-up for this request satisfying the authentication context '${acr}' is required", acr_values="${acr}", max_age=300`
    : 'Bearer error="insufficient_user_authentication", error_description="A multi-factor step-up for this request is required", max_age=300';

describeEachDatabase('step-up at activation: a fresh MFA bound to the request', (ctx) => {
  let t: TestApp;
  let adam: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    adam = await t.givenUser('Adam', { password: 'correct horse battery staple' });
    for (const roleId of [roles.helpdeskAdministrator, roles.exchangeAdministrator]) {
      const res = await t.graph(t.admin, 'POST', eligibilityRequests, {
        action: 'adminAssign',
        principalId: adam.id,
        roleDefinitionId: roleId,
        directoryScopeId: '/',
        justification: 'Service desk rota',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });
  afterEach(() => t.close());

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

  const activate = (
    user: TestUser,
    proof: string | undefined,
    body: Record<string, unknown> = {},
    roleId: string = roles.helpdeskAdministrator,
  ) =>
    t.graph(
      user,
      'POST',
      requests,
      {
        action: 'selfActivate',
        principalId: user.id,
        roleDefinitionId: roleId,
        directoryScopeId: '/',
        justification: 'Ticket queue',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
        ...body,
      },
      proof ? { 'x-elevate-step-up': proof } : {},
    );

  const proofRows = () =>
    ctx.db.db
      .selectFrom('step_up_proofs')
      .select(['user_id', 'target_id', 'target_scope', 'consumed_at', 'consumed_by'])
      .execute();

  it('refuses an MFA-required activation without a step-up (400 MfaRule + RFC 9470 challenge), even with sign-in MFA', async () => {
    // Given Adam's token says he did MFA at sign-in (Entra would let that count).
    const res = await activate({ ...adam, token: adam.mfaToken }, undefined);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ code: 'MfaRule', target: 'Enablement_EndUser_Assignment' }),
    ]);
    expect(res.body.error.message).toContain('MFA done earlier in the session does not count');
    expect(res.body.error.message).toContain('x-elevate-step-up');
    expect(res.headers['www-authenticate']).toBe(challenge());
    const failed = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'result'])
      .where('result', '=', 'failure')
      .execute();
    expect(failed).toEqual([
      { activity_display_name: 'Add member to role requested (PIM activation)', result: 'failure' },
    ]);
  });

  it('activates with a proof made for the request, spending it in the same transaction; the same proof again is refused', async () => {
    await setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Approval_EndUser_Assignment: {
        ...r.Approval_EndUser_Assignment,
        setting: { ...r.Approval_EndUser_Assignment.setting, isApprovalRequired: true },
      },
    }));
    const proof = await t.stepUp(adam, roles.helpdeskAdministrator);
    expect(proof).toMatch(/^elv_su_[A-Za-z0-9_-]{43}$/);

    // A validation-only request checks the proof without spending it.
    const dry = await activate(adam, proof, { isValidationOnly: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(201);
    expect((await proofRows())[0]!.consumed_at).toBeNull();

    const pending = await activate(adam, proof);
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect(pending.body.status).toBe('PendingApproval');
    expect(await proofRows()).toEqual([
      {
        user_id: adam.id,
        target_id: roles.helpdeskAdministrator,
        target_scope: '/',
        consumed_at: t.clock.now(),
        consumed_by: pending.body.id,
      },
    ]);

    // Adam cancels, then replays the spent proof.
    expect((await t.graph(adam, 'POST', `${requests}/${pending.body.id}/cancel`)).status).toBe(204);
    const replay = await activate(adam, proof);
    expect(replay.status).toBe(400);
    expect(replay.body.error.details).toEqual([expect.objectContaining({ code: 'MfaRule' })]);
    expect(replay.body.error.message).toContain('the step-up proof was already used');
    expect(replay.headers['www-authenticate']).toBe(challenge());

    const steps = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'additional_details'])
      .where('activity_display_name', '=', 'User completed step-up authentication')
      .execute();
    expect(steps).toHaveLength(1);
    expect(steps[0]!.additional_details).toEqual(
      expect.arrayContaining([
        { key: 'RoleDefinitionId', value: roles.helpdeskAdministrator },
        { key: 'DirectoryScopeId', value: '/' },
      ]),
    );
  });

  it('refuses a proof made for another role, at another scope, by another user, or older than the maximum age', async () => {
    const forExchange = await t.stepUp(adam, roles.exchangeAdministrator);
    const other = await activate(adam, forExchange);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toContain(
      `the step-up proof was made for role ${roles.exchangeAdministrator} at '/', not for role ${roles.helpdeskAdministrator} at '/'`,
    );

    const atUnit = await t.stepUp(adam, {
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/administrativeUnits/0a0a0a0a-0000-4000-8000-000000000001',
    });
    expect((await activate(adam, atUnit)).status).toBe(400);

    const bob = await t.givenUser('Bob');
    const bobs = await t.stepUp(bob, roles.helpdeskAdministrator);
    const stolen = await activate(adam, bobs);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.message).toContain('the step-up proof is unknown');

    const old = await t.stepUp(adam, roles.helpdeskAdministrator);
    t.clock.advance(301_000);
    const stale = await activate(adam, old);
    expect(stale.status).toBe(400);
    expect(stale.body.error.message).toMatch(/the step-up proof is 30\d s old; it must be at most 300 s old/);
    // Within the maximum age it works (the exchange proof is still unspent, but for another role).
    const fresh = await activate(adam, await t.stepUp(adam, roles.helpdeskAdministrator));
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
    expect((await proofRows()).filter((p) => p.consumed_at !== null)).toHaveLength(1);
  });

  it('asks for the authentication context with RoleAssignmentRequestAcrsValidationFailed and acr_values, satisfied by a step-up', async () => {
    await setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Enablement_EndUser_Assignment: { ...r.Enablement_EndUser_Assignment, enabledRules: ['Justification'] },
      AuthenticationContext_EndUser_Assignment: {
        ...r.AuthenticationContext_EndUser_Assignment,
        isEnabled: true,
        claimValue: 'c1',
      },
    }));
    const refused = await activate(adam, undefined);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('RoleAssignmentRequestAcrsValidationFailed');
    expect(refused.headers['www-authenticate']).toBe(challenge('c1'));
    const ok = await activate(adam, await t.stepUp(adam, roles.helpdeskAdministrator));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('needs no step-up where the settings ask for no MFA, and keeps admin MFA rules satisfied by a recent MFA sign-in', async () => {
    await setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Enablement_EndUser_Assignment: { ...r.Enablement_EndUser_Assignment, enabledRules: ['Justification'] },
      Enablement_Admin_Eligibility: {
        ...r.Enablement_Admin_Eligibility,
        enabledRules: ['MultiFactorAuthentication', 'Justification'],
      },
    }));
    expect((await activate(adam, undefined)).status).toBe(201);

    const assign = (token: string, principalId: string) =>
      t.graph({ ...t.admin, token }, 'POST', eligibilityRequests, {
        action: 'adminAssign',
        principalId,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'New starter',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
    const stan = await t.givenUser('Stan');
    const sam = await t.givenUser('Sam');
    const noMfa = await assign(t.admin.token, stan.id);
    expect(noMfa.status).toBe(400);
    expect(noMfa.body.error.details).toEqual([expect.objectContaining({ code: 'MfaRule' })]);
    expect(noMfa.headers['www-authenticate']).toBe(challenge());
    // A sign-in with a code five minutes ago is fresh enough; a minute later it no longer is.
    const mfa = (await t.services.auth.issueToken({ id: t.admin.id, type: 'user', mfa: true })).accessToken;
    t.clock.advance(300_000);
    expect((await assign(mfa, stan.id)).status).toBe(201);
    t.clock.advance(60_000);
    expect((await assign(mfa, sam.id)).status).toBe(400);
  });

  it('refuses step-up without an enrolled authenticator, and for service principals', async () => {
    const res = await t.graph(adam, 'POST', '/api/v1/me/step-up', {
      roleDefinitionId: roles.helpdeskAdministrator,
      totp: '123456',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('no authenticator app');

    const sp = await t.graph(t.admin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Deploy bot' });
    const secret = await t.graph(t.admin, 'POST', `/v1.0/servicePrincipals/${sp.body.id}/addPassword`, {});
    const grant = await t.app.inject({
      method: 'POST',
      url: '/oauth2/v2.0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sp.body.appId,
        client_secret: secret.body.secretText,
      }).toString(),
    });
    const bot = { id: sp.body.id, upn: '', token: grant.json().access_token, mfaToken: '' };
    const bySp = await t.graph(bot, 'POST', '/api/v1/me/step-up', {
      roleDefinitionId: roles.helpdeskAdministrator,
      totp: '123456',
    });
    expect(bySp.status).toBe(400);
    expect(bySp.body.error.message).toContain('service principals have no second factor');
  });

  it("binds a step-up to a group's membership for PIM for Groups", async () => {
    const group = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: 'Release team',
      mailNickname: 'release',
      securityEnabled: true,
      mailEnabled: false,
    });
    const groups = '/v1.0/identityGovernance/privilegedAccess/group';
    const eligible = await t.graph(t.admin, 'POST', `${groups}/eligibilityScheduleRequests`, {
      accessId: 'member',
      principalId: adam.id,
      groupId: group.body.id,
      action: 'adminAssign',
      justification: 'Rota',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
    });
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
    const policies = await t.graph(
      t.admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${group.body.id}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`,
    );
    expect(policies.status, JSON.stringify(policies.body)).toBe(200);
    const patched = await t.graph(
      t.admin,
      'PATCH',
      `/v1.0/policies/roleManagementPolicies/${policies.body.value[0].policyId}/rules/Enablement_EndUser_Assignment`,
      {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
        id: 'Enablement_EndUser_Assignment',
        enabledRules: ['MultiFactorAuthentication', 'Justification'],
      },
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(204);
    const activate = (headers: Record<string, string>) =>
      t.graph(
        adam,
        'POST',
        `${groups}/assignmentScheduleRequests`,
        {
          accessId: 'member',
          principalId: adam.id,
          groupId: group.body.id,
          action: 'selfActivate',
          justification: 'Release night',
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
        },
        headers,
      );
    const without = await activate({});
    expect(without.status).toBe(400);
    expect(without.headers['www-authenticate']).toBe(challenge());
    const forOwner = await activate(await t.steppedUp(adam, { groupId: group.body.id, accessId: 'owner' }));
    expect(forOwner.status).toBe(400);
    expect(forOwner.body.error.message).toContain(`made for owner of group ${group.body.id}`);
    const ok = await activate(await t.steppedUp(adam, { groupId: group.body.id, accessId: 'member' }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it("activates the demo tenant's Global Administrator (MFA + authentication context c1 + ticket + approval) end to end with a step-up", async () => {
    const demoPassword = 'demo-password-for-tests';
    await t.services.setup.seedDemoTenant(demoPassword);
    const signIn = async (upn: string): Promise<TestUser> => {
      const res = await t.graph(null, 'POST', '/api/auth/token', { username: upn, password: demoPassword });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const me = await t.graph(
        { id: '', upn, token: res.body.access_token, mfaToken: '' },
        'GET',
        '/v1.0/me',
      );
      return { id: me.body.id, upn, token: res.body.access_token, mfaToken: '' };
    };
    const demoAdam = await signIn('adam@elevate.example');
    const grace = await signIn('grace@elevate.example');
    const body = {
      ticketInfo: { ticketNumber: 'INC-4711', ticketSystem: 'ServiceNow' },
      justification: 'Tenant-wide incident',
    };

    const without = await activate(demoAdam, undefined, body, roles.globalAdministrator);
    expect(without.status).toBe(400);
    expect(without.body.error.details.map((d: { code: string }) => d.code)).toEqual(['MfaRule', 'AcrsRule']);
    expect(without.headers['www-authenticate']).toBe(challenge('c1'));

    // A proof for another role does not open Global Administrator.
    const wrongRole = await activate(
      demoAdam,
      await t.stepUp(demoAdam, roles.helpdeskAdministrator),
      body,
      roles.globalAdministrator,
    );
    expect(wrongRole.status).toBe(400);

    const pending = await activate(
      demoAdam,
      await t.stepUp(demoAdam, roles.globalAdministrator),
      body,
      roles.globalAdministrator,
    );
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect(pending.body.status).toBe('PendingApproval');

    const approval = await t.graph(
      grace,
      'GET',
      `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.approvalId}`,
    );
    const stepUrl = `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.approvalId}/steps/${approval.body.steps[0].id}`;
    const approved = await t.graph(grace, 'PATCH', stepUrl, {
      reviewResult: 'Approve',
      justification: 'Incident bridge',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(204);
    const mine = await t.graph(demoAdam, 'GET', `${instances}/filterByCurrentUser(on='principal')`);
    expect(mine.body.value).toContainEqual(
      expect.objectContaining({ roleDefinitionId: roles.globalAdministrator, assignmentType: 'Activated' }),
    );
  });
});
