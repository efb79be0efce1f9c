import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { PolicyRules } from '../../src/core/model/policy.js';
import { defaultDirectoryRoleRules } from '../../src/core/policy/default-rules.js';
import type { AcrFallback } from '../../src/core/requests/decision.js';
import { getOrCreatePolicy, savePolicyRules } from '../../src/db/repositories/policy-repository.js';
import type { TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { createOidcTestApp, fragmentOf, type OidcTestApp } from '../support/oidc.js';
import {
  type IdpLogin,
  startTestIdentityProvider,
  type TestIdentityProvider,
} from '../support/oidc-provider.js';

const requests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';
const helpdesk = roles.helpdeskAdministrator;
const mfa: IdpLogin = { sub: 'idp-adam', amr: ['pwd', 'mfa'] };
const challenge = (acr?: string) =>
  acr
    ? `Bearer error="insufficient_user_authentication", error_description="A step-up for this request satisfying the authentication context '${acr}' is required", acr_values="${acr}", max_age=300`
    : 'Bearer error="insufficient_user_authentication", error_description="A multi-factor step-up for this request is required", max_age=300';

describeEachDatabase('step-up through an OIDC re-authentication (max_age, auth_time, amr, acr)', (ctx) => {
  let idp: TestIdentityProvider;
  let t: OidcTestApp;
  let adam: TestUser;

  beforeAll(async () => {
    idp = await startTestIdentityProvider();
    idp.accounts.set('idp-adam', { sub: 'idp-adam', claims: { email: 'adam@elevate.test' } });
    idp.accounts.set('idp-eve', { sub: 'idp-eve', claims: { email: 'eve@elevate.test' } });
  });
  afterAll(() => idp.stop());
  afterEach(() => t.close());

  /** The server (with `acrFallback`), and Adam eligible for Helpdesk Administrator (MFA on activation). */
  async function open(acrFallback: AcrFallback = 'mfa') {
    t = await createOidcTestApp(ctx.db, idp, { acrFallback });
    adam = await t.givenUser('Adam');
    await t.givenUser('Eve');
    const res = await t.graph(t.admin, 'POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: helpdesk,
      directoryScopeId: '/',
      justification: 'Service desk rota',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  beforeEach(() => idp.start());

  async function authenticationContext(claimValue: string | null) {
    const policy = await getOrCreatePolicy(
      ctx.db.db,
      { targetKind: 'directoryRole', scopeType: 'DirectoryRole', scopeId: '/', roleDefinitionId: helpdesk },
      { id: `DirectoryRole_test_${helpdesk}`, rules: defaultDirectoryRoleRules(), now: t.clock.now() },
    );
    const rules: PolicyRules = {
      ...policy.rules,
      AuthenticationContext_EndUser_Assignment: {
        ...policy.rules.AuthenticationContext_EndUser_Assignment,
        isEnabled: claimValue !== null,
        claimValue,
      },
    };
    await savePolicyRules(ctx.db.db, policy.id, rules, {
      at: t.clock.now(),
      by: { id: t.admin.id, displayName: 'Admin' },
    });
  }

  /** Starts a step-up for Helpdesk Administrator as Adam and completes it at the provider as `login`. */
  async function stepUp(login: IdpLogin, options: { redirectUri?: string; before?: () => void } = {}) {
    const start = await t.graph(adam, 'POST', '/api/v1/me/step-up/oidc', {
      roleDefinitionId: helpdesk,
      ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
    });
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    const done = await t.browse(start.body.authorizationUrl, login, options.before);
    return { start, done };
  }

  /** Elevate's clock moves past max_age after the provider's authentication (which happened at the real time). */
  const fiveMinutesLater = () => t.clock.set(new Date(Date.now() + 305_000));

  const activate = (proof?: string) =>
    t.graph(
      adam,
      'POST',
      requests,
      {
        action: 'selfActivate',
        principalId: adam.id,
        roleDefinitionId: helpdesk,
        directoryScopeId: '/',
        justification: 'Ticket queue',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      },
      proof ? { 'x-elevate-step-up': proof } : {},
    );

  it('asks the provider for max_age and prompt=login; a fresh MFA answers a single-use proof that activates the role', async () => {
    await open();
    const { start, done } = await stepUp(mfa);
    expect(start.body).toMatchObject({
      maxAgeSeconds: 300,
      acrValues: null,
      expiresDateTime: expect.any(String),
    });
    const sent = new URL(start.body.authorizationUrl).searchParams;
    expect(sent.get('max_age')).toBe('300');
    expect(sent.get('prompt')).toBe('login');
    expect(sent.has('acr_values')).toBe(false);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.proof).toMatch(/^elv_su_[\w-]{43}$/);

    const ok = await activate(done.body.proof);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.status).toBe('Provisioned');
    const proofs = await ctx.db.db
      .selectFrom('step_up_proofs')
      .select(['method', 'acr', 'consumed_by'])
      .execute();
    expect(proofs).toEqual([{ method: 'oidc', acr: null, consumed_by: ok.body.id }]);
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select(['additional_details'])
      .where('activity_display_name', '=', 'User completed step-up authentication')
      .execute();
    expect(audit[0]!.additional_details).toEqual(
      expect.arrayContaining([
        { key: 'AuthenticationMethod', value: 'Identity provider (OIDC)' },
        { key: 'AuthenticationMethodsReferences', value: 'pwd, mfa' },
        { key: 'RoleDefinitionId', value: helpdesk },
      ]),
    );
  });

  it('refuses a stale auth_time, an amr without MFA, and another person, with MfaRule and the RFC 9470 challenge', async () => {
    await open();
    const password = await stepUp({ sub: 'idp-adam', amr: ['pwd'] });
    expect(password.done.status).toBe(400);
    expect(password.done.body.error.message).toContain('shows no multi-factor method (amr: pwd)');

    const eve = await stepUp({ sub: 'idp-eve', amr: ['pwd', 'mfa'] });
    expect(eve.done.status).toBe(403);
    expect(eve.done.body.error.message).toContain('as eve@elevate.test, not as adam@elevate.test');

    // The provider authenticated Adam, but more than max_age passed before Elevate saw the answer.
    const stale = await stepUp(mfa, { before: fiveMinutesLater });
    expect(stale.done.status).toBe(400);
    expect(stale.done.body.error.code).toBe('policy.violation');
    expect(stale.done.body.error.details).toEqual([
      expect.objectContaining({ reason: 'MfaRule', ruleId: 'Enablement_EndUser_Assignment' }),
    ]);
    expect(stale.done.body.error.message).toMatch(
      /authentication is 30\d s old; a step-up needs one at most 300 s old/,
    );
    expect(stale.done.headers['www-authenticate']).toBe(challenge());

    expect(await ctx.db.db.selectFrom('step_up_proofs').select('id').execute()).toEqual([]);
    const failures = await ctx.db.db
      .selectFrom('audit_log')
      .select('result_reason')
      .where('activity_display_name', '=', 'User step-up authentication failed')
      .orderBy('sequence')
      .execute();
    expect(failures.map((f) => f.result_reason)).toEqual([
      'No multi-factor authentication',
      'Different account at the identity provider',
      'Authentication too old',
    ]);
  });

  it('asks for the authentication context with acr_values; a wrong acr is refused as RoleAssignmentRequestAcrsValidationFailed', async () => {
    await open();
    await authenticationContext('c1');
    const wrong = await stepUp({ ...mfa, acr: 'c2' });
    expect(new URL(wrong.start.body.authorizationUrl).searchParams.get('acr_values')).toBe('c1');
    expect(wrong.start.body.acrValues).toBe('c1');
    expect(wrong.done.status).toBe(400);
    expect(wrong.done.body.error.code).toBe('policy.acrs_required');
    expect(wrong.done.body.error.details).toEqual([expect.objectContaining({ reason: 'AcrsRule' })]);
    expect(wrong.done.body.error.message).toContain(
      "the identity provider asserted the authentication context 'c2'",
    );
    expect(wrong.done.headers['www-authenticate']).toBe(challenge('c1'));

    const right = await stepUp({ ...mfa, acr: 'c1' });
    expect(right.done.status, JSON.stringify(right.done.body)).toBe(200);

    // A proof made while the context was off carries its acr: once the context is on, Graph refuses it.
    await authenticationContext(null);
    const before = await stepUp({ ...mfa, acr: 'c2' });
    expect(before.done.status).toBe(200);
    await authenticationContext('c1');
    const refused = await activate(before.done.body.proof);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('RoleAssignmentRequestAcrsValidationFailed');
    expect(refused.body.error.message).toContain(
      "the identity provider asserted the authentication context 'c2'",
    );
    expect(refused.headers['www-authenticate']).toBe(challenge('c1'));
    expect((await activate(right.done.body.proof)).status).toBe(201);
  });

  it('accepts a step-up without acr under the mfa fallback', async () => {
    await open('mfa');
    await authenticationContext('c1');
    const noAcr = await stepUp(mfa);
    expect(noAcr.done.status, JSON.stringify(noAcr.done.body)).toBe(200);
    expect((await activate(noAcr.done.body.proof)).status).toBe(201);
  });

  it('refuses a step-up without acr under the deny fallback, at the callback and at activation', async () => {
    await open('deny');
    await authenticationContext('c1');
    const noAcr = await stepUp(mfa);
    expect(noAcr.done.status).toBe(400);
    expect(noAcr.done.body.error.code).toBe('policy.acrs_required');
    expect(noAcr.done.body.error.message).toContain('carried no authentication context (acr)');
    // A TOTP step-up carries no acr either.
    const totp = await activate(await t.stepUp(adam, helpdesk));
    expect(totp.status).toBe(400);
    expect(totp.body.error.code).toBe('RoleAssignmentRequestAcrsValidationFailed');
  });

  it('sends the proof (or the refusal) to a loopback redirectUri; refuses any other; 503 when the provider is down', async () => {
    await open();
    const loopback = 'http://127.0.0.1:53682/step-up';
    const ok = await stepUp(mfa, { redirectUri: loopback });
    expect(ok.done.status).toBe(302);
    const result = fragmentOf(ok.done.headers.location);
    expect(result).toMatchObject({ proof: expect.stringMatching(/^elv_su_/), max_age: '300' });
    expect((await activate(result.proof)).status).toBe(201);

    const stale = await stepUp(mfa, { redirectUri: loopback, before: fiveMinutesLater });
    expect(fragmentOf(stale.done.headers.location)).toMatchObject({
      error: 'policy.violation',
      status: '400',
      max_age: '300',
    });

    const evil = await t.graph(adam, 'POST', '/api/v1/me/step-up/oidc', {
      roleDefinitionId: helpdesk,
      redirectUri: 'https://evil.example/steal',
    });
    expect(evil.status).toBe(400);
    expect(evil.body.error.message).toContain('redirect_uri must be a loopback address');

    await idp.stop();
    const down = await t.graph(adam, 'POST', '/api/v1/me/step-up/oidc', { roleDefinitionId: helpdesk });
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('auth.provider_unavailable');
  });
});
