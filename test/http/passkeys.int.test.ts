import { decodeJwt } from 'jose';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import {
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from '../support/software-authenticator.js';

const password = 'correct horse battery staple';
const requests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';

/**
 * Passkeys (WebAuthn) against a software authenticator built from node:crypto: registration, second factor at
 * sign-in, step-up bound to one target; replays, clones and answers for another target are refused.
 */
describeEachDatabase('passkeys: registration, sign-in and step-up', (ctx) => {
  let t: TestApp;
  let adam: TestUser;
  let key: SoftwareAuthenticator;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    adam = await t.givenUser('Adam', { password });
    key = createSoftwareAuthenticator();
    // Helpdesk and Exchange Administrator both require MFA on activation by default.
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

  async function register(user: TestUser, authenticator: SoftwareAuthenticator, name = 'YubiKey') {
    const options = await t.graph(user, 'POST', '/api/v1/me/passkeys/options');
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    return t.graph(user, 'POST', '/api/v1/me/passkeys', {
      name,
      response: authenticator.register(options.body),
    });
  }

  const signInOptions = (pw = password) =>
    t.graph(null, 'POST', '/api/auth/passkey/options', { username: adam.upn, password: pw });

  const activate = (proof?: string, roleId: string = roles.helpdeskAdministrator) =>
    t.graph(
      adam,
      'POST',
      requests,
      {
        action: 'selfActivate',
        principalId: adam.id,
        roleDefinitionId: roleId,
        directoryScopeId: '/',
        justification: 'Ticket queue',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      },
      proof ? { 'x-elevate-step-up': proof } : {},
    );

  it('registers a passkey: its public key and counter are kept, the list shows no key material, audited', async () => {
    const options = await t.graph(adam, 'POST', '/api/v1/me/passkeys/options');
    expect(options.body).toMatchObject({ rp: { id: 'localhost', name: 'Elevate' }, attestation: 'none' });
    const created = await t.graph(adam, 'POST', '/api/v1/me/passkeys', {
      name: 'YubiKey 5C',
      response: key.register(options.body),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'YubiKey 5C',
      transports: ['usb'],
      deviceType: 'singleDevice',
      backedUp: false,
      createdDateTime: t.clock.now().toISOString(),
      lastUsedDateTime: null,
    });
    const row = await ctx.db.db.selectFrom('user_passkeys').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: adam.id, credential_id: key.credentialId, name: 'YubiKey 5C' });
    expect(Number(row.counter)).toBe(0);

    expect((await t.graph(adam, 'GET', '/api/v1/me/passkeys')).body.value).toEqual([created.body]);
    expect((await t.graph(adam, 'GET', '/api/v1/me/mfa')).body).toMatchObject({ totp: 'none', passkeys: 1 });

    // The challenge was single-use: the same answer again registers nothing.
    const again = await t.graph(adam, 'POST', '/api/v1/me/passkeys', {
      name: 'Copy',
      response: key.register(options.body),
    });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toContain('challenge is unknown, used or expired');

    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'additional_details'])
      .where('activity_display_name', 'like', '%security info%')
      .execute();
    expect(audit.map((a) => a.activity_display_name)).toEqual(['User registered security info']);
    expect(JSON.stringify(audit)).toContain('Passkey (WebAuthn)');
  });

  it('refuses a registration answered for another origin', async () => {
    const options = await t.graph(adam, 'POST', '/api/v1/me/passkeys/options');
    const evil = createSoftwareAuthenticator({ origin: 'https://evil.example' });
    const res = await t.graph(adam, 'POST', '/api/v1/me/passkeys', {
      name: 'Phished',
      response: evil.register(options.body),
    });
    expect(res.status).toBe(400);
    expect(await ctx.db.db.selectFrom('user_passkeys').selectAll().execute()).toEqual([]);
  });

  it('signs in with a password and a passkey; the same answer again, or a cloned key, is refused', async () => {
    expect((await register(adam, key)).status).toBe(201);

    const withoutFactor = await t.graph(null, 'POST', '/api/auth/token', { username: adam.upn, password });
    expect(withoutFactor.status).toBe(401);
    expect(withoutFactor.body.error.code).toBe('auth.mfa_required');
    expect(withoutFactor.body.error.message).toContain('passkey');

    const wrong = await signInOptions('not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('auth.invalid_credentials');

    const options = await signInOptions();
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    expect(options.body.allowCredentials).toEqual([
      { id: key.credentialId, type: 'public-key', transports: ['usb'] },
    ]);
    const answer = key.assert(options.body);
    const signedIn = await t.graph(null, 'POST', '/api/auth/token', {
      username: adam.upn,
      password,
      passkey: answer,
    });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(decodeJwt(signedIn.body.access_token).amr).toEqual(['pwd', 'hwk']);

    const replay = await t.graph(null, 'POST', '/api/auth/token', {
      username: adam.upn,
      password,
      passkey: answer,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toContain('already used or has expired');

    // A clone of the key answers a fresh challenge with a counter that does not move forward.
    const fresh = await signInOptions();
    const cloned = await t.graph(null, 'POST', '/api/auth/token', {
      username: adam.upn,
      password,
      passkey: key.assert(fresh.body, { counter: 1 }),
    });
    expect(cloned.status).toBe(401);

    const failures = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'result_reason'])
      .where('activity_display_name', 'like', 'User sign-in%')
      .orderBy('sequence')
      .execute();
    expect(failures.map((f) => f.result_reason)).toEqual([
      'Invalid password',
      'Code already used',
      'Code already used',
    ]);
  });

  it('steps up with a passkey for one activation; the answer again, or for another role, is refused', async () => {
    await register(adam, key);
    const target = { roleDefinitionId: roles.helpdeskAdministrator, directoryScopeId: '/' };
    const options = await t.graph(adam, 'POST', '/api/v1/me/step-up/passkey/options', target);
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    const answer = key.assert(options.body);
    const stepUp = await t.graph(adam, 'POST', '/api/v1/me/step-up', { ...target, passkey: answer });
    expect(stepUp.status, JSON.stringify(stepUp.body)).toBe(201);
    expect(stepUp.body.proof).toMatch(/^elv_su_/);

    const activated = await activate(stepUp.body.proof);
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    expect(activated.body.status).toBe('Provisioned');
    const proof = await ctx.db.db
      .selectFrom('step_up_proofs')
      .select(['method', 'consumed_by'])
      .executeTakeFirstOrThrow();
    expect(proof).toEqual({ method: 'webauthn', consumed_by: activated.body.id });

    const replay = await t.graph(adam, 'POST', '/api/v1/me/step-up', { ...target, passkey: answer });
    expect(replay.status).toBe(403);
    expect(replay.body.error.code).toBe('auth.mfa_failed');

    // Options made for Helpdesk Administrator; the answer presented for Exchange Administrator.
    const forHelpdesk = await t.graph(adam, 'POST', '/api/v1/me/step-up/passkey/options', target);
    const elsewhere = await t.graph(adam, 'POST', '/api/v1/me/step-up', {
      roleDefinitionId: roles.exchangeAdministrator,
      directoryScopeId: '/',
      passkey: key.assert(forHelpdesk.body),
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.message).toContain('made for another activation');
    expect((await activate(undefined, roles.exchangeAdministrator)).status).toBe(400);

    const both = await t.graph(adam, 'POST', '/api/v1/me/step-up', {
      ...target,
      totp: '123456',
      passkey: answer,
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('exactly one');
  });

  it('removes my own passkey only; an administrator’s factor reset removes them all, audited', async () => {
    const mine = await register(adam, key);
    const eve = await t.givenUser('Eve', { password });
    expect((await register(eve, createSoftwareAuthenticator())).status).toBe(201);

    const eveList = (await t.graph(eve, 'GET', '/api/v1/me/passkeys')).body.value;
    expect((await t.graph(adam, 'DELETE', `/api/v1/me/passkeys/${eveList[0].id}`)).status).toBe(404);
    expect((await t.graph(adam, 'DELETE', `/api/v1/me/passkeys/${mine.body.id}`)).status).toBe(204);
    expect((await t.graph(adam, 'GET', '/api/v1/me/passkeys')).body.value).toEqual([]);

    const reset = await t.graph(
      { ...t.admin, token: t.admin.mfaToken },
      'POST',
      `/api/v1/users/${eve.id}/mfa/reset`,
    );
    expect(reset.status, JSON.stringify(reset.body)).toBe(204);
    expect((await t.graph(eve, 'GET', '/api/v1/me/passkeys')).body.value).toEqual([]);
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select('activity_display_name')
      .where('activity_display_name', 'in', ['User deleted security info', 'Admin deleted security info'])
      .orderBy('sequence')
      .execute();
    expect(audit.map((a) => a.activity_display_name)).toEqual([
      'User deleted security info',
      'Admin deleted security info',
    ]);
  });
});
