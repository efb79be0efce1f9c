import { decodeJwt } from 'jose';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { totpCode } from '../../src/app/auth/totp.js';
import { systemActor } from '../../src/app/context.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const password = 'correct horse battery staple';
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';

describeEachDatabase('local sign-in with a second factor, lockout, and emergency access', (ctx) => {
  let t: TestApp;
  let adam: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    adam = await t.givenUser('Adam', { password });
  });
  afterEach(() => t.close());

  const signIn = (body: Record<string, string>) =>
    t.graph(null, 'POST', '/api/auth/token', { username: adam.upn, password, ...body });

  const auditOf = async (userId: string) =>
    (
      await ctx.db.db
        .selectFrom('audit_log')
        .select(['activity_display_name', 'result', 'result_reason', 'additional_details'])
        .where(sql<boolean>`${userId} = any(target_ids)`)
        .orderBy('sequence')
        .execute()
    ).map((r) => ({ activity: r.activity_display_name, result: r.result, reason: r.result_reason }));

  it('enrols an authenticator app (seed shown once, stored encrypted), then requires its code at sign-in', async () => {
    // Given Adam starts enrolment: the seed and the otpauth URI come back this once.
    const started = await t.graph(adam, 'POST', '/api/v1/me/mfa/totp');
    expect(started.status).toBe(201);
    const secret: string = started.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.body.otpauthUri).toBe(
      `otpauth://totp/Elevate:adam%40elevate.test?secret=${secret}&issuer=Elevate`,
    );
    const row = await ctx.db.db
      .selectFrom('user_totp')
      .selectAll()
      .where('user_id', '=', adam.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_ciphertext).not.toContain(secret);
    expect(row.confirmed_at).toBeNull();
    expect((await t.graph(adam, 'GET', '/api/v1/me/mfa')).body).toEqual({
      totp: 'pending',
      confirmedDateTime: null,
      recoveryCodesLeft: 0,
      passkeys: 0,
    });
    // Until confirmed, the password alone still signs in.
    expect((await signIn({})).status).toBe(200);

    // When he confirms with a wrong code, then with the right one.
    const wrong = await t.graph(adam, 'POST', '/api/v1/me/mfa/totp/verify', { code: '000000' });
    expect(wrong.status).toBe(403);
    const code = await totpCode(secret, t.clock.now());
    const confirmed = await t.graph(adam, 'POST', '/api/v1/me/mfa/totp/verify', { code });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
    expect((await t.graph(adam, 'GET', '/api/v1/me/mfa')).body).toMatchObject({
      totp: 'confirmed',
      recoveryCodesLeft: 10,
    });
    const restart = await t.graph(adam, 'POST', '/api/v1/me/mfa/totp');
    expect(restart.status).toBe(409);

    // Then the password alone is not enough: 401 auth.mfa_required, which counts as no failure.
    const noCode = await signIn({});
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe('auth.mfa_required');
    // The confirming code is spent: it cannot sign in.
    const reused = await signIn({ totp: code });
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toContain('already used');

    // And the next code signs in with amr pwd + otp and the time of the sign-in.
    t.clock.advance(30_000);
    const ok = await signIn({ totp: await totpCode(secret, t.clock.now()) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const claims = decodeJwt(ok.body.access_token);
    expect(claims.amr).toEqual(['pwd', 'otp']);
    expect(claims.auth_time).toBe(t.clock.now().getTime() / 1000);

    expect(await auditOf(adam.id)).toEqual(
      expect.arrayContaining([
        { activity: 'User started security info registration', result: 'success', reason: null },
        { activity: 'User registered security info', result: 'success', reason: null },
        { activity: 'User sign-in failed', result: 'failure', reason: 'Code already used' },
        { activity: 'User signed in', result: 'success', reason: null },
      ]),
    );
  });

  it('accepts a TOTP code once: a replay within its window is refused for sign-in and for step-up', async () => {
    const { secret } = await t.enrolTotp(adam);
    t.clock.advance(60_000);
    const code = await totpCode(secret, t.clock.now());
    expect((await signIn({ totp: code })).status).toBe(200);
    const again = await signIn({ totp: code });
    expect(again.status).toBe(401);
    expect(again.body.error.message).toBe(
      'This code was already used; wait for the next code from your authenticator app.',
    );
    const stepUp = await t.graph(adam, 'POST', '/api/v1/me/step-up', {
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      totp: code,
    });
    expect(stepUp.status).toBe(403);
    expect(stepUp.body.error.code).toBe('auth.mfa_failed');
    expect(await ctx.db.db.selectFrom('step_up_proofs').selectAll().execute()).toEqual([]);
  });

  it('locks the account after five failures in a row (passwords and codes alike) with 429 and Retry-After, longer each time; a success clears it', async () => {
    const { secret } = await t.enrolTotp(adam);
    for (let i = 0; i < 3; i++) expect((await signIn({ password: 'wrong password!' })).status).toBe(401);
    expect((await signIn({ totp: '123456' })).status).toBe(401);
    // The fifth failure (a wrong code) locks the account for a minute.
    const fifth = await signIn({ totp: '654321' });
    expect(fifth.status).toBe(429);
    expect(fifth.headers['retry-after']).toBe('60');
    expect(fifth.body.error.code).toBe('auth.locked');

    // While locked even the right password and code are refused, without being checked.
    const locked = await signIn({ totp: await totpCode(secret, t.clock.now()) });
    expect(locked.status).toBe(429);
    t.clock.advance(20_000);
    expect((await signIn({})).headers['retry-after']).toBe('40');

    // After the minute, five more failures lock it for five minutes.
    t.clock.advance(40_000);
    for (let i = 0; i < 4; i++) expect((await signIn({ password: 'wrong again!!' })).status).toBe(401);
    const second = await signIn({ password: 'wrong again!!' });
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('300');

    // Once it ends, the right password and code sign in and clear the counter.
    t.clock.advance(300_000);
    const ok = await signIn({ totp: await totpCode(secret, t.clock.now()) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await ctx.db.db.selectFrom('sign_in_throttle').selectAll().execute()).toEqual([]);

    const audit = await auditOf(adam.id);
    expect(audit.filter((a) => a.activity === 'User account locked')).toHaveLength(2);
    expect(audit).toContainEqual({
      activity: 'User sign-in failed',
      result: 'failure',
      reason: 'Account locked',
    });
    expect(audit).toContainEqual({
      activity: 'User sign-in failed',
      result: 'failure',
      reason: 'Invalid second factor',
    });
    expect(audit.at(-1)).toEqual({ activity: 'User signed in', result: 'success', reason: null });
  });

  it('counts wrong step-up codes toward the same lockout', async () => {
    await t.enrolTotp(adam);
    for (let i = 0; i < 4; i++) {
      const res = await t.graph(adam, 'POST', '/api/v1/me/step-up', {
        roleDefinitionId: roles.helpdeskAdministrator,
        totp: '000000',
      });
      expect(res.status).toBe(403);
    }
    const fifth = await t.graph(adam, 'POST', '/api/v1/me/step-up', {
      roleDefinitionId: roles.helpdeskAdministrator,
      totp: '000000',
    });
    expect(fifth.status).toBe(429);
    expect(fifth.headers['retry-after']).toBe('60');
    expect((await signIn({ totp: await t.nextTotp(adam) })).status).toBe(429);
  });

  it('signs in with a recovery code once; each code works a single time', async () => {
    const { recoveryCodes } = await t.enrolTotp(adam);
    const [first, second] = recoveryCodes;
    const ok = await signIn({ recoveryCode: first!.toUpperCase() });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    // A recovery code is a fallback, not a second factor for admin rules: amr pwd + kba, no otp.
    expect(decodeJwt(ok.body.access_token).amr).toEqual(['pwd', 'kba']);
    const again = await signIn({ recoveryCode: first! });
    expect(again.status).toBe(401);
    expect((await signIn({ recoveryCode: second! })).status).toBe(200);
    expect((await t.graph(adam, 'GET', '/api/v1/me/mfa')).body.recoveryCodesLeft).toBe(8);
    const stored = await ctx.db.db
      .selectFrom('user_recovery_codes')
      .select(['code_hash', 'used_at'])
      .where('user_id', '=', adam.id)
      .execute();
    expect(stored).toHaveLength(10);
    expect(stored.filter((r) => r.used_at !== null)).toHaveLength(2);
    for (const code of recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code);
  });

  it('removes my authenticator only with a current code, then signs in with the password alone', async () => {
    await t.enrolTotp(adam);
    const noProof = await t.graph(adam, 'DELETE', '/api/v1/me/mfa/totp', {});
    expect(noProof.status).toBe(400);
    const wrong = await t.graph(adam, 'DELETE', '/api/v1/me/mfa/totp', { code: '000000' });
    expect(wrong.status).toBe(403);
    const removed = await t.graph(adam, 'DELETE', '/api/v1/me/mfa/totp', { code: await t.nextTotp(adam) });
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    expect((await t.graph(adam, 'GET', '/api/v1/me/mfa')).body).toEqual({
      totp: 'none',
      confirmedDateTime: null,
      recoveryCodesLeft: 0,
      passkeys: 0,
    });
    expect((await signIn({})).status).toBe(200);
    expect((await auditOf(adam.id)).map((a) => a.activity)).toContain('User deleted security info');
  });

  it("lets authentication administrators reset a user's factors, audited; privileged users need a privileged administrator", async () => {
    await t.enrolTotp(adam);
    const helen = await t.givenUser('Helen', { roles: [roles.authenticationAdministrator] });
    const pam = await t.givenUser('Pam', { roles: [roles.privilegedAuthenticationAdministrator] });
    const stan = await t.givenUser('Stan');

    const byStan = await t.graph(stan, 'POST', `/api/v1/users/${adam.id}/mfa/reset`);
    expect(byStan.status).toBe(403);
    expect((await t.graph(stan, 'GET', `/api/v1/users/${adam.id}/mfa`)).status).toBe(403);
    expect((await t.graph(helen, 'GET', `/api/v1/users/${adam.id}/mfa`)).body.totp).toBe('confirmed');

    const reset = await t.graph(helen, 'POST', `/api/v1/users/${adam.id}/mfa/reset`);
    expect(reset.status, JSON.stringify(reset.body)).toBe(204);
    expect((await signIn({})).status).toBe(200);
    const [record] = await ctx.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('activity_display_name', '=', 'Admin deleted security info')
      .execute();
    expect(record).toMatchObject({ result: 'success', target_ids: expect.arrayContaining([adam.id]) });
    expect(record!.initiated_by).toMatchObject({ user: { id: helen.id } });

    // Once Adam is eligible for a role, only a privileged authentication administrator may reset him.
    const eligible = await t.graph(t.admin, 'POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification: 'Rota',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    expect(eligible.status).toBe(201);
    const refused = await t.graph(helen, 'POST', `/api/v1/users/${adam.id}/mfa/reset`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('Privileged Authentication Administrator');
    expect((await t.graph(pam, 'POST', `/api/v1/users/${adam.id}/mfa/reset`)).status).toBe(204);
    expect((await t.graph(pam, 'POST', '/api/v1/users/not-a-user/mfa/reset')).status).toBe(404);
  });

  it('signs in emergency-access accounts locally, auditing every sign-in with its own activity', async () => {
    const glass = await t.services.users.createUnchecked(
      { actor: systemActor, requestId: t.services.ids.newId() },
      {
        userPrincipalName: 'breakglass@elevate.test',
        displayName: 'Breakglass',
        password,
        isEmergencyAccess: true,
      },
    );
    const ok = await t.graph(null, 'POST', '/api/auth/token', {
      username: glass.userPrincipalName,
      password,
    });
    expect(ok.status).toBe(200);
    const bad = await t.graph(null, 'POST', '/api/auth/token', {
      username: glass.userPrincipalName,
      password: 'not the password',
    });
    expect(bad.status).toBe(401);
    expect(await auditOf(glass.id)).toEqual(
      expect.arrayContaining([
        { activity: 'Emergency access account signed in', result: 'success', reason: null },
        {
          activity: 'Emergency access account sign-in failed',
          result: 'failure',
          reason: 'Invalid password',
        },
      ]),
    );
    const signIns = await ctx.db.db
      .selectFrom('audit_log')
      .select(['initiated_by', 'category', 'logged_by_service'])
      .where('activity_display_name', '=', 'Emergency access account signed in')
      .execute();
    expect(signIns).toEqual([
      {
        initiated_by: {
          user: { id: glass.id, displayName: 'Breakglass', userPrincipalName: 'breakglass@elevate.test' },
        },
        category: 'Authentication',
        logged_by_service: 'Authentication',
      },
    ]);
    // Only the successful sign-in is told (webhooks subscribe to elevate.signin.emergency).
    const events = await ctx.db.db
      .selectFrom('outbox_events')
      .select(['type', 'subject'])
      .where('type', '=', 'elevate.signin.emergency')
      .execute();
    expect(events).toEqual([{ type: 'elevate.signin.emergency', subject: glass.id }]);
  });

  it('answers an unknown user, a wrong password and a disabled account alike, and locks no unknown name', async () => {
    const unknown = await t.graph(null, 'POST', '/api/auth/token', {
      username: 'nobody@elevate.test',
      password,
    });
    const wrong = await signIn({ password: 'wrong password!' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.error).toMatchObject({
      code: 'auth.invalid_credentials',
      message: wrong.body.error.message,
    });
    for (let i = 0; i < 6; i++) {
      const again = await t.graph(null, 'POST', '/api/auth/token', {
        username: 'nobody@elevate.test',
        password,
      });
      expect(again.status).toBe(401);
    }
    expect(
      (await t.graph(t.admin, 'PATCH', `/v1.0/users/${adam.id}`, { accountEnabled: false })).status,
    ).toBe(204);
    const disabled = await signIn({});
    expect(disabled.status).toBe(401);
    expect(disabled.body.error.message).toBe(wrong.body.error.message);
    expect(await auditOf(adam.id)).toContainEqual({
      activity: 'User sign-in failed',
      result: 'failure',
      reason: 'Account disabled',
    });
    const both = await signIn({ totp: '123456', recoveryCode: 'abcd' });
    expect(both.status).toBe(400);
  });
});
