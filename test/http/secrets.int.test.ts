import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createLogger } from '../../src/http/logger.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { createSoftwareAuthenticator } from '../support/software-authenticator.js';

const bobPassword = 'Bob-has-a-long-secret-password';

/**
 * Reliability T13: no secret — password or its hash, TOTP seed, recovery code, step-up proof, personal access
 * token, client secret — appears in an API response (other than the one that creates it, once), an audit
 * record, or a log line, whatever the log level.
 */
describeEachDatabase('secrets stay secret', (ctx) => {
  let t: TestApp;
  const logLines: string[] = [];
  /** Every response body, labelled; `shows` names the one secret it may show (the answer that made it). */
  const responses: { label: string; text: string; shows?: string }[] = [];

  beforeEach(async () => {
    logLines.length = 0;
    responses.length = 0;
    t = await createTestApp(ctx.db, {
      logger: createLogger('trace', { write: (line: string) => void logLines.push(line) }),
    });
  });
  afterEach(() => t.close());

  async function call(
    label: string,
    user: TestUser | null,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
    shows?: string,
  ) {
    const res = await t.graph(user, method, url, body, headers);
    responses.push({ label, text: JSON.stringify(res.body ?? ''), ...(shows ? { shows } : {}) });
    return res;
  }

  it('never shows a secret again after the answer that creates it: not in responses, audit records or logs', async () => {
    const secrets: Record<string, string> = {};
    const keep = (name: string, value: unknown): string => {
      if (typeof value !== 'string') throw new Error(`${name} missing`);
      secrets[name] = value;
      return value;
    };

    // A user with a password, signing in, enrolling an authenticator and using its codes.
    const created = await call('create user', t.admin, 'POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'Bob',
      mailNickname: 'bob',
      userPrincipalName: 'bob@elevate.test',
      passwordProfile: { password: bobPassword },
    });
    expect(created.status).toBe(201);
    secrets.password = bobPassword;
    const signIn = async (label: string, extra: object = {}, password = bobPassword) =>
      call(label, null, 'POST', '/api/auth/token', { username: 'bob@elevate.test', password, ...extra });
    const first = await signIn('sign in', {});
    const bob: TestUser = {
      id: created.body.id,
      upn: 'bob@elevate.test',
      token: first.body.access_token,
      mfaToken: '',
    };

    // Enrolment answers the seed and the recovery codes, once (those two answers are not checked here).
    const { secret, recoveryCodes } = await t.enrolTotp(bob);
    secrets.totpSeed = secret;
    recoveryCodes.forEach((c, i) => {
      secrets[`recoveryCode${i}`] = c;
    });
    await call('my factors', bob, 'GET', '/api/v1/me/mfa');
    await signIn('sign in with a code', { totp: await t.nextTotp(bob) });
    await signIn('sign in with a recovery code', { recoveryCode: recoveryCodes[0] });
    await signIn('replayed recovery code', { recoveryCode: recoveryCodes[0] });
    await signIn('wrong password', {}, 'not the password at all');

    // A step-up and the activation it lets through; then a replay of the proof.
    const eligible = await call(
      'make eligible',
      t.admin,
      'POST',
      '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
      {
        action: 'adminAssign',
        principalId: bob.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'Rota',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    );
    expect(eligible.status).toBe(201);
    const stepUp = await call(
      'step up',
      bob,
      'POST',
      '/api/v1/me/step-up',
      { roleDefinitionId: roles.helpdeskAdministrator, totp: await t.nextTotp(bob) },
      undefined,
      'proof',
    );
    const proof = keep('proof', stepUp.body.proof);
    const activation = {
      action: 'selfActivate',
      principalId: bob.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification: 'Queue',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
    };
    const headers = { 'x-elevate-step-up': proof };
    const url = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
    expect((await call('activate', bob, 'POST', url, activation, headers)).status).toBe(201);
    expect(
      (await call('replay the proof', bob, 'POST', url, { ...activation, isValidationOnly: true }, headers))
        .status,
    ).toBe(400);

    // A personal access token, used and listed.
    const pat = await call(
      'create PAT',
      bob,
      'POST',
      '/api/v1/me/tokens',
      { name: 'ci', expiresInDays: 3 },
      undefined,
      'pat',
    );
    const patToken = keep('pat', pat.body.token);
    await call('use PAT', { ...bob, token: patToken }, 'GET', '/v1.0/me');
    await call('list PATs', bob, 'GET', '/api/v1/me/tokens');

    // A service principal's client secret and the client-credentials sign-in.
    const sp = await call('create SP', t.admin, 'POST', '/v1.0/servicePrincipals', {
      displayName: 'Deploy bot',
    });
    const password = await call(
      'add SP secret',
      t.admin,
      'POST',
      `/v1.0/servicePrincipals/${sp.body.id}/addPassword`,
      {},
      undefined,
      'clientSecret',
    );
    const clientSecret = keep('clientSecret', password.body.secretText);
    const grant = await t.app.inject({
      method: 'POST',
      url: '/oauth2/v2.0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sp.body.appId,
        client_secret: clientSecret,
      }).toString(),
    });
    expect(grant.statusCode).toBe(200);

    // Everything an administrator can read back.
    await call('users', t.admin, 'GET', '/v1.0/users');
    await call('bob', t.admin, 'GET', `/v1.0/users/${bob.id}`);
    await call('bob factors', t.admin, 'GET', `/api/v1/users/${bob.id}/mfa`);
    await call('service principal', t.admin, 'GET', `/v1.0/servicePrincipals/${sp.body.id}`);
    await call('audit', t.admin, 'GET', '/v1.0/auditLogs/directoryAudits?$top=999');
    await call('audit export', t.admin, 'GET', '/api/v1/audit/export?format=json');
    await call('audit export csv', t.admin, 'GET', '/api/v1/audit/export?format=csv');
    await call('reset', t.admin, 'POST', `/api/v1/users/${bob.id}/mfa/reset`);

    // What is stored is itself secret too: the password hash, the sealed seed, the hashes.
    const user = await ctx.db.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', bob.id)
      .executeTakeFirstOrThrow();
    secrets.passwordHash = user.password_hash!;
    const patRow = await ctx.db.db
      .selectFrom('personal_access_tokens')
      .select('token_hash')
      .executeTakeFirstOrThrow();
    secrets.patHash = patRow.token_hash;

    expect(Object.keys(secrets)).toHaveLength(17);
    const audit = JSON.stringify(await ctx.db.db.selectFrom('audit_log').selectAll().execute());
    const logs = logLines.join('');
    expect(logLines.length).toBeGreaterThan(20);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(10);
      expect(audit.includes(secret), `${name} in the audit log`).toBe(false);
      expect(logs.includes(secret), `${name} in a log line`).toBe(false);
      for (const r of responses) {
        const allowed = r.shows === name || (name.startsWith('recoveryCode') && r.shows === 'recoveryCodes');
        if (!allowed) expect(r.text.includes(secret), `${name} in the response to '${r.label}'`).toBe(false);
      }
    }
    // The log did see these calls (so the checks above looked at something).
    expect(logs).toContain('/api/v1/me/step-up');
    expect(logs).toContain('/api/auth/token');
  });

  it('keeps portal sessions, CSRF tokens, passkeys and changed passwords out of responses, audit records and logs', async () => {
    const secrets: Record<string, string> = {};
    const carol = await t.givenUser('Carol', { password: bobPassword });
    const origin = 'http://localhost';
    const session = async (label: string, extra: object = {}, password = bobPassword) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/session',
        payload: { username: carol.upn, password, ...extra },
        headers: { origin },
      });
      responses.push({ label, text: res.body, shows: 'csrf' });
      return res;
    };

    // A passkey, registered and used at sign-in and for a step-up.
    const key = createSoftwareAuthenticator();
    const options = await call('passkey options', carol, 'POST', '/api/v1/me/passkeys/options');
    const registered = await call('register passkey', carol, 'POST', '/api/v1/me/passkeys', {
      name: 'Key',
      response: key.register(options.body),
    });
    expect(registered.status).toBe(201);
    await call('list passkeys', carol, 'GET', '/api/v1/me/passkeys');
    const signInOptions = await call('sign-in options', null, 'POST', '/api/auth/passkey/options', {
      username: carol.upn,
      password: bobPassword,
    });
    const started = await session('portal sign-in with a passkey', {
      passkey: key.assert(signInOptions.body),
    });
    expect(started.statusCode, started.body).toBe(201);
    secrets.sessionId = started.cookies[0]!.value;
    secrets.csrf = started.json().csrfToken;
    const cookie = { cookie: `elevate_session=${secrets.sessionId}`, 'x-elevate-csrf': secrets.csrf, origin };

    const current = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: cookie });
    responses.push({ label: 'current session', text: current.body, shows: 'csrf' });
    const me = await t.app.inject({ method: 'GET', url: '/v1.0/me', headers: cookie });
    responses.push({ label: 'me by cookie', text: me.body });
    const factors = await t.app.inject({ method: 'GET', url: '/api/v1/me/mfa', headers: cookie });
    responses.push({ label: 'factors by cookie', text: factors.body });

    // A password change through the cookie session.
    const newPassword = 'Carol-picked-a-new-long-password';
    secrets.newPassword = newPassword;
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: cookie,
      payload: { currentPassword: bobPassword, newPassword },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    responses.push({ label: 'password change', text: changed.body });
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: cookie,
      payload: { currentPassword: 'not the current one', newPassword: 'Another-long-password-1' },
    });
    responses.push({ label: 'refused password change', text: refused.body });
    const signOut = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: cookie });
    expect(signOut.statusCode).toBe(204);

    const stored = await ctx.db.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', carol.id)
      .executeTakeFirstOrThrow();
    secrets.newPasswordHash = stored.password_hash!;
    const passkey = await ctx.db.db
      .selectFrom('user_passkeys')
      .select('public_key')
      .executeTakeFirstOrThrow();
    secrets.passkeyKeyMaterial = passkey.public_key;
    await call('audit', t.admin, 'GET', '/v1.0/auditLogs/directoryAudits?$top=999');
    await call('carol factors', t.admin, 'GET', `/api/v1/users/${carol.id}/mfa`);

    const audit = JSON.stringify(await ctx.db.db.selectFrom('audit_log').selectAll().execute());
    const logs = logLines.join('');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(10);
      expect(audit.includes(secret), `${name} in the audit log`).toBe(false);
      expect(logs.includes(secret), `${name} in a log line`).toBe(false);
      for (const r of responses) {
        if (r.shows !== name)
          expect(r.text.includes(secret), `${name} in the response to '${r.label}'`).toBe(false);
      }
    }
    // The stored session row holds a hash of the id, never the id.
    const rows = JSON.stringify(await ctx.db.db.selectFrom('portal_sessions').selectAll().execute());
    expect(rows.includes(secrets.sessionId)).toBe(false);
    expect(logs).toContain('/api/auth/session');
    expect(logs).toContain('/api/v1/me/password');
  });
});
