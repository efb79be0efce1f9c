import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/app/context.js';
import { createLogger } from '../../src/http/logger.js';
import { describeEachDatabase } from '../support/db.js';
import { createOidcTestApp, fragmentOf, jwtClaims, type OidcTestApp } from '../support/oidc.js';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider.js';

const password = 'correct horse battery staple';

describeEachDatabase('single sign-on against a real OpenID provider', (ctx) => {
  let idp: TestIdentityProvider;
  let t: OidcTestApp;
  const logLines: string[] = [];

  beforeAll(async () => {
    idp = await startTestIdentityProvider();
  });
  afterAll(() => idp.stop());

  /** The server with single sign-on, Adam as a local user with a password, and the provider's people. */
  async function open(options: { createUsers?: boolean } = {}) {
    t = await createOidcTestApp(ctx.db, idp, {
      ...options,
      logger: createLogger('trace', { write: (line: string) => void logLines.push(line) }),
    });
    await t.givenUser('Adam', { password });
  }

  beforeEach(async () => {
    logLines.length = 0;
    await idp.start();
    idp.accounts.clear();
    idp.accounts.set('idp-adam', {
      sub: 'idp-adam',
      claims: { email: 'Adam@Elevate.Test', email_verified: true, name: 'Adam from the IdP' },
    });
    idp.accounts.set('idp-nora', {
      sub: 'idp-nora',
      claims: { email: 'nora@elevate.test', email_verified: true, given_name: 'Nora', family_name: 'New' },
    });
  });
  afterEach(() => t.close());

  const audit = () =>
    ctx.db.db
      .selectFrom('audit_log')
      .select([
        'activity_display_name as activity',
        'result',
        'result_reason as reason',
        'additional_details',
        'target_ids',
      ])
      .where('category', '=', 'Authentication')
      .orderBy('sequence')
      .execute();

  it('signs in with the authorization code flow and PKCE: the user found by email, a token with amr, acr and auth_time', async () => {
    await open();
    const res = await t.browse('/api/auth/oidc/login', { sub: 'idp-adam', amr: ['pwd', 'mfa'], acr: 'c1' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 7_776_000,
    });
    expect(res.headers['cache-control']).toBe('no-store');

    const sent = idp.authorizationRequests.at(-1)!.searchParams;
    expect(sent.get('code_challenge_method')).toBe('S256');
    expect(sent.get('scope')).toBe('openid profile email');
    expect(sent.get('state')).toMatch(/^[\w-]{43}$/);
    expect(sent.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(sent.has('max_age')).toBe(false);

    const claims = jwtClaims(res.body.access_token);
    expect(claims).toMatchObject({ amr: ['pwd', 'mfa'], acr: 'c1', idp: idp.issuer, typ: 'user' });
    expect(Math.abs(Number(claims.auth_time) - Date.now() / 1000)).toBeLessThan(30);
    const me = await t.graph(
      { id: '', upn: '', token: res.body.access_token, mfaToken: '' },
      'GET',
      '/v1.0/me',
    );
    expect(me.status).toBe(200);
    expect(me.body.userPrincipalName).toBe('adam@elevate.test');

    expect((await audit()).map((a) => [a.activity, a.result])).toEqual([['User signed in', 'success']]);
    expect((await audit())[0]!.additional_details).toEqual([
      { key: 'AuthenticationMethods', value: 'Identity provider (OIDC)' },
      { key: 'IdentityProvider', value: idp.issuer },
      { key: 'AuthenticationMethodsReferences', value: 'pwd, mfa' },
      { key: 'AuthenticationContext', value: 'c1' },
    ]);

    // The subject is now linked: a later sign-in finds Adam even after his address changed at the provider.
    idp.accounts.set('idp-adam', { sub: 'idp-adam', claims: { email: 'adam.renamed@elevate.test' } });
    const again = await t.browse('/api/auth/oidc/login', { sub: 'idp-adam', amr: ['pwd'] });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(jwtClaims(again.body.access_token)).toMatchObject({ sub: claims.sub, amr: ['pwd'] });
  });

  it('refuses a person no user matches', async () => {
    await open();
    const refused = await t.browse('/api/auth/oidc/login', { sub: 'idp-nora', amr: ['pwd'] });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'auth.forbidden',
      message:
        "No Elevate user matches email 'nora@elevate.test'. An administrator must create your user first.",
    });
    expect(
      await ctx.db.db.selectFrom('users').select('id').where('mail', '=', 'nora@elevate.test').execute(),
    ).toEqual([]);
  });

  it('creates a person no user matches with ELEVATE_OIDC_CREATE_USERS, without a local password', async () => {
    await open({ createUsers: true });
    const created = await t.browse('/api/auth/oidc/login', { sub: 'idp-nora', amr: ['pwd'] });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const nora = await ctx.db.db
      .selectFrom('users')
      .select(['id', 'user_principal_name', 'display_name', 'mail', 'password_hash'])
      .where('user_principal_name', '=', 'nora@elevate.test')
      .executeTakeFirstOrThrow();
    expect(nora).toMatchObject({ display_name: 'Nora New', mail: 'nora@elevate.test', password_hash: null });
    expect(jwtClaims(created.body.access_token).sub).toBe(nora.id);
    const added = await ctx.db.db
      .selectFrom('audit_log')
      .select(['logged_by_service', 'initiated_by', 'target_ids'])
      .where('activity_display_name', '=', 'Add user')
      .execute();
    expect(added.filter((a) => a.target_ids.includes(nora.id))).toEqual([
      expect.objectContaining({ logged_by_service: 'Core Directory' }),
    ]);
    // No local password: the password sign-in knows no way in.
    const local = await t.graph(null, 'POST', '/api/auth/token', { username: 'nora@elevate.test', password });
    expect(local.status).toBe(401);
  });

  it('uses a state once: a replayed callback, and a code delivered with another sign-in’s state, are refused', async () => {
    await open();
    const first = await t.browse('/api/auth/oidc/login', { sub: 'idp-adam', amr: ['pwd'] });
    expect(first.status).toBe(200);
    const replay = await t.graph(null, 'GET', `${first.callback.pathname}${first.callback.search}`);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toMatchObject({ code: 'request.invalid' });
    expect(replay.body.error.message).toContain(
      'unknown, was already completed, or is older than 10 minutes',
    );

    // Two sign-ins: the code of one sent with the other's state fails validation (its verifier and nonce differ).
    const a = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/login' });
    const b = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/login' });
    idp.nextLogin = { sub: 'idp-adam', amr: ['pwd'] };
    const back = await idp.authorize(String(a.headers.location));
    const stateOfB = new URL(String(b.headers.location)).searchParams.get('state')!;
    back.searchParams.set('state', stateOfB);
    const crossed = await t.graph(null, 'GET', `${back.pathname}${back.search}`);
    expect(crossed.status).toBe(401);
    expect(crossed.body.error.code).toBe('auth.invalid_credentials');
    expect(crossed.body.error.message).toContain("The identity provider's sign-in was refused");
    const late = await t.graph(null, 'GET', '/api/auth/oidc/callback?state=made-up&code=x');
    expect(late.status).toBe(400);
  });

  it('sends the token to a loopback redirect_uri in the fragment, and refuses any other redirect_uri', async () => {
    await open();
    const loopback = 'http://127.0.0.1:53682/callback/abc';
    const res = await t.browse(`/api/auth/oidc/login?redirect_uri=${encodeURIComponent(loopback)}`, {
      sub: 'idp-adam',
      amr: ['pwd', 'otp'],
    });
    expect(res.status).toBe(302);
    expect(String(res.headers.location)).toMatch(/^http:\/\/127\.0\.0\.1:53682\/callback\/abc#access_token=/);
    expect(fragmentOf(res.headers.location)).toMatchObject({ token_type: 'Bearer', expires_in: '7776000' });

    for (const bad of ['https://evil.example/cb', 'http://evil.example:53682/cb', 'http://127.0.0.1/cb']) {
      const refused = await t.graph(
        null,
        'GET',
        `/api/auth/oidc/login?redirect_uri=${encodeURIComponent(bad)}`,
      );
      expect(refused.status, bad).toBe(400);
      expect(refused.body.error.code).toBe('request.invalid');
      expect(refused.body.error.message).toContain('redirect_uri must be a loopback address');
    }
    // A refusal after the provider goes to the loopback address too, so the CLI can say why.
    const nobody = await t.browse(`/api/auth/oidc/login?redirect_uri=${encodeURIComponent(loopback)}`, {
      sub: 'idp-nora',
    });
    expect(fragmentOf(nobody.headers.location)).toMatchObject({ error: 'auth.forbidden', status: '403' });
  });

  it('when the provider is down: SSO answers a clear 503, local and emergency-access accounts still sign in', async () => {
    await open();
    const glass = await t.services.users.createUnchecked(
      { actor: systemActor, requestId: t.services.ids.newId() },
      {
        userPrincipalName: 'breakglass@elevate.test',
        displayName: 'Breakglass',
        password,
        isEmergencyAccess: true,
      },
    );
    // Up: the emergency-access account cannot come in through the provider.
    idp.accounts.set('idp-glass', { sub: 'idp-glass', claims: { email: 'breakglass@elevate.test' } });
    const viaIdp = await t.browse('/api/auth/oidc/login', { sub: 'idp-glass', amr: ['pwd', 'mfa'] });
    expect(viaIdp.status).toBe(403);
    expect(viaIdp.body.error.message).toContain('signs in with its local password only');

    await idp.stop();
    const sso = await t.graph(null, 'GET', '/api/auth/oidc/login');
    expect(sso.status).toBe(503);
    expect(sso.body.error).toMatchObject({
      code: 'auth.provider_unavailable',
      requestId: expect.any(String),
    });
    expect(sso.body.error.message).toContain(`The identity provider ${idp.issuer} cannot be reached`);
    expect(sso.body.error.message).toContain(
      'local accounts (and emergency-access accounts) can still sign in',
    );

    const emergency = await t.graph(null, 'POST', '/api/auth/token', {
      username: 'breakglass@elevate.test',
      password,
    });
    expect(emergency.status).toBe(200);
    const adam = await t.graph(null, 'POST', '/api/auth/token', { username: 'adam@elevate.test', password });
    expect(adam.status).toBe(200);
    const glassAudit = (await audit()).filter((a) => a.target_ids.includes(glass.id));
    expect(glassAudit.map(({ activity, result, reason }) => ({ activity, result, reason }))).toEqual([
      {
        activity: 'Emergency access account sign-in failed',
        result: 'failure',
        reason: 'Emergency access accounts sign in locally only',
      },
      { activity: 'Emergency access account signed in', result: 'success', reason: null },
    ]);
  });

  it('keeps the client secret, codes, state and tokens out of responses (but the token), logs and audit', async () => {
    await open();
    const res = await t.browse('/api/auth/oidc/login', { sub: 'idp-adam', amr: ['pwd', 'mfa'] });
    expect(res.status).toBe(200);
    const code = res.callback.searchParams.get('code')!;
    const state = res.callback.searchParams.get('state')!;
    const token = res.body.access_token as string;
    const rows = JSON.stringify(await ctx.db.db.selectFrom('audit_log').selectAll().execute());
    const logs = logLines.join('\n');
    expect(logs).toContain('/api/auth/oidc/callback');
    for (const secret of [idp.clientSecret, code, state, token]) {
      expect(logs).not.toContain(secret);
      expect(rows).not.toContain(secret);
    }
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/login' });
    expect(start.body).not.toContain(idp.clientSecret);
    expect(String(start.headers.location)).not.toContain(idp.clientSecret);
  });
});
