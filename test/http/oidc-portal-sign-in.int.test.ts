import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/app/context.js';
import { createTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { createOidcTestApp, type OidcTestApp } from '../support/oidc.js';
import {
  type IdpLogin,
  startTestIdentityProvider,
  type TestIdentityProvider,
} from '../support/oidc-provider.js';

const password = 'correct horse battery staple';
const origin = 'http://localhost';

interface BrowserResponse {
  readonly status: number;
  readonly location: string;
  readonly setCookie: string[];
  readonly body: string;
}

/**
 * The portal's "Sign in with your identity provider": `GET /api/auth/oidc/login?portal=true` sends the browser to
 * a real OpenID provider, and the callback starts a portal cookie session (as POST /api/auth/session does) and
 * redirects into the portal, or back to the sign-in page with the reason. The flow completes only in the browser
 * that started it (a binding cookie), and what a state was started for decides what its callback does.
 */
describeEachDatabase('portal sign-in through the OpenID provider', (ctx) => {
  let idp: TestIdentityProvider;
  let t: OidcTestApp;

  beforeAll(async () => {
    idp = await startTestIdentityProvider();
  });
  afterAll(() => idp.stop());

  beforeEach(async () => {
    await idp.start();
    idp.accounts.clear();
    idp.accounts.set('idp-adam', { sub: 'idp-adam', claims: { email: 'adam@elevate.test' } });
    idp.accounts.set('idp-nora', { sub: 'idp-nora', claims: { email: 'nora@elevate.test' } });
    t = await createOidcTestApp(ctx.db, idp);
    await t.givenUser('Adam', { password });
  });
  afterEach(() => t.close());

  const get = async (url: string, cookie?: string): Promise<BrowserResponse> => {
    const res = await t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    const raw = res.headers['set-cookie'];
    return {
      status: res.statusCode,
      location: String(res.headers.location ?? ''),
      setCookie: raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)],
      body: res.body,
    };
  };

  const cookieValue = (res: BrowserResponse, name: string): string | undefined => {
    const line = res.setCookie.find((c) => c.startsWith(`${name}=`));
    return line?.slice(name.length + 1).split(';')[0];
  };

  /** Starts a portal sign-in: the provider's URL and the binding cookie the browser was given. */
  async function start(query = '') {
    const res = await get(`/api/auth/oidc/login?portal=true${query}`);
    expect(res.status, res.body).toBe(302);
    expect(res.location.startsWith(idp.issuer)).toBe(true);
    const binding = cookieValue(res, 'elevate_oidc');
    if (!binding) throw new Error('no binding cookie');
    return { providerUrl: res.location, binding, res };
  }

  /** The person signs in at the provider as `login`; answers the URL it sends the browser back to. */
  async function atProvider(providerUrl: string, login: IdpLogin): Promise<string> {
    idp.nextLogin = login;
    const back = await idp.authorize(providerUrl);
    return `${back.pathname}${back.search}`;
  }

  const signInError = (location: string) => {
    const url = new URL(location, 'http://elevate.test');
    expect(url.pathname).toBe('/sign-in');
    return url.searchParams.get('error');
  };

  it('says whether single sign-on is configured, with the provider’s name', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/providers' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ oidc: { label: new URL(idp.issuer).host } });
  });

  it('starts a portal session: the same cookie as a password sign-in, whose CSRF token GET /api/auth/session answers', async () => {
    const { providerUrl, binding, res: started } = await start();
    expect(started.setCookie).toEqual([
      expect.stringMatching(
        /^elevate_oidc=[\w-]{43}; Max-Age=600; Path=\/api\/auth\/oidc\/callback; HttpOnly; SameSite=Lax$/,
      ),
    ]);
    const callback = await atProvider(providerUrl, { sub: 'idp-adam', amr: ['pwd', 'mfa'] });
    const done = await get(callback, `elevate_oidc=${binding}`);
    expect(done.status, done.body).toBe(302);
    expect(done.location).toBe('/');
    const sessionCookie = done.setCookie.find((c) => c.startsWith('elevate_session='));
    expect(sessionCookie).toMatch(
      /^elevate_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    // The binding is spent: the browser forgets it.
    expect(done.setCookie.find((c) => c.startsWith('elevate_oidc='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    const session = `elevate_session=${cookieValue(done, 'elevate_session')}`;

    const current = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: session },
    });
    expect(current.statusCode, current.body).toBe(200);
    const adam = await ctx.db.db
      .selectFrom('users')
      .select('id')
      .where('user_principal_name', '=', 'adam@elevate.test')
      .executeTakeFirstOrThrow();
    expect(current.json()).toMatchObject({
      userId: adam.id,
      csrfToken: expect.stringMatching(/^[\w-]{43}$/),
    });
    const csrf = current.json().csrfToken as string;

    const me = await t.app.inject({ method: 'GET', url: '/v1.0/me', headers: { cookie: session } });
    expect(me.json().userPrincipalName).toBe('adam@elevate.test');
    // A change needs the CSRF token and the portal's origin, as with every cookie session.
    const body = { name: 'script', expiresInDays: 7 };
    const withoutCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: session, origin },
      payload: body,
    });
    expect(withoutCsrf.statusCode).toBe(403);
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: session, origin, 'x-elevate-csrf': csrf },
      payload: body,
    });
    expect(withCsrf.statusCode, withCsrf.body).toBe(201);

    // The session carries how the provider authenticated the person, and when.
    const row = await ctx.db.db
      .selectFrom('portal_sessions')
      .select(['amr', 'auth_time'])
      .where('user_id', '=', adam.id)
      .executeTakeFirstOrThrow();
    expect(row.amr).toEqual(['pwd', 'mfa']);
    expect(Math.abs(row.auth_time.getTime() - Date.now())).toBeLessThan(60_000);
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name as activity', 'result'])
      .where('category', '=', 'Authentication')
      .where('activity_display_name', 'like', 'User sign%')
      .orderBy('sequence')
      .execute();
    expect(audit).toEqual([{ activity: 'User signed in', result: 'success' }]);
  });

  it('returns to a portal page given as return_to, and refuses any other target', async () => {
    const { providerUrl, binding } = await start(`&return_to=${encodeURIComponent('/approvals?tab=mine')}`);
    const done = await get(await atProvider(providerUrl, { sub: 'idp-adam' }), `elevate_oidc=${binding}`);
    expect(done.status).toBe(302);
    expect(done.location).toBe('/approvals?tab=mine');

    for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'evil', '/a\nb']) {
      const refused = await get(`/api/auth/oidc/login?portal=true&return_to=${encodeURIComponent(bad)}`);
      expect(refused.status, bad).toBe(302);
      expect(signInError(refused.location), bad).toContain('return_to must be a path of the portal');
      expect(refused.setCookie, bad).toEqual([]);
    }
    const both = await get(
      `/api/auth/oidc/login?portal=true&redirect_uri=${encodeURIComponent('http://127.0.0.1:5000/cb')}`,
    );
    expect(both.status).toBe(400);
  });

  it('sends a refusal back to the sign-in page with the reason, without a session', async () => {
    const nobody = await start(`&return_to=${encodeURIComponent('/my-roles')}`);
    const refused = await get(
      await atProvider(nobody.providerUrl, { sub: 'idp-nora' }),
      `elevate_oidc=${nobody.binding}`,
    );
    expect(refused.status).toBe(302);
    expect(signInError(refused.location)).toBe(
      "No Elevate user matches email 'nora@elevate.test'. An administrator must create your user first.",
    );
    expect(new URL(refused.location, 'http://x').searchParams.get('redirect')).toBe('/my-roles');
    expect(cookieValue(refused, 'elevate_session')).toBeUndefined();

    // The provider's own refusal (the person cancelled), and a replayed callback, end on the page too.
    const cancelled = await start();
    const state = new URL(cancelled.providerUrl).searchParams.get('state')!;
    const denied = await get(
      `/api/auth/oidc/callback?error=access_denied&error_description=cancelled&state=${state}&iss=${encodeURIComponent(idp.issuer)}`,
      `elevate_oidc=${cancelled.binding}`,
    );
    expect(denied.status).toBe(302);
    expect(signInError(denied.location)).toBeTruthy();
    expect(cookieValue(denied, 'elevate_session')).toBeUndefined();

    const first = await start();
    const callback = await atProvider(first.providerUrl, { sub: 'idp-adam' });
    expect((await get(callback, `elevate_oidc=${first.binding}`)).location).toBe('/');
    const replay = await get(callback, `elevate_oidc=${first.binding}`);
    expect(signInError(replay.location)).toContain('unknown, was already completed');
    expect(cookieValue(replay, 'elevate_session')).toBeUndefined();

    // The provider is down: the button lands on the sign-in page with the reason.
    await idp.stop();
    const down = await get('/api/auth/oidc/login?portal=true');
    expect(down.status).toBe(302);
    expect(signInError(down.location)).toContain(`The identity provider ${idp.issuer} cannot be reached`);
  });

  it('refuses an emergency-access account through the provider', async () => {
    await t.services.users.createUnchecked(
      { actor: systemActor, requestId: t.services.ids.newId() },
      { userPrincipalName: 'glass@elevate.test', displayName: 'Glass', password, isEmergencyAccess: true },
    );
    idp.accounts.set('idp-glass', { sub: 'idp-glass', claims: { email: 'glass@elevate.test' } });
    const { providerUrl, binding } = await start();
    const refused = await get(
      await atProvider(providerUrl, { sub: 'idp-glass', amr: ['mfa'] }),
      `elevate_oidc=${binding}`,
    );
    expect(signInError(refused.location)).toContain('signs in with its local password only');
    expect(cookieValue(refused, 'elevate_session')).toBeUndefined();
  });

  it('completes a portal sign-in only in the browser that started it (no login CSRF)', async () => {
    // Someone finishes a sign-in of their own and sends the link to another browser: refused there.
    const mallory = await start();
    const link = await atProvider(mallory.providerUrl, { sub: 'idp-adam' });
    const elsewhere = await get(link);
    expect(elsewhere.status).toBe(302);
    expect(signInError(elsewhere.location)).toContain('started in another browser');
    expect(cookieValue(elsewhere, 'elevate_session')).toBeUndefined();

    // A browser holding its own binding cannot complete another sign-in's state either.
    const victim = await start();
    const other = await start();
    const crossed = await get(
      await atProvider(other.providerUrl, { sub: 'idp-adam' }),
      `elevate_oidc=${victim.binding}`,
    );
    expect(signInError(crossed.location)).toContain('started in another browser');
    expect(cookieValue(crossed, 'elevate_session')).toBeUndefined();
  });

  it('decides by what the state was started for: a CLI sign-in never becomes a session, nor a portal one a token', async () => {
    // Started for an API client (JSON), completed by a browser carrying a portal binding: a token, no cookie.
    const portal = await start();
    const api = await get('/api/auth/oidc/login');
    const apiCallback = await atProvider(api.location, { sub: 'idp-adam' });
    const answered = await get(apiCallback, `elevate_oidc=${portal.binding}`);
    expect(answered.status, answered.body).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ token_type: 'Bearer' });
    expect(cookieValue(answered, 'elevate_session')).toBeUndefined();

    // Started for the CLI's loopback address: the token goes there, never into a session.
    const loopback = 'http://127.0.0.1:53682/cb';
    const cli = await get(`/api/auth/oidc/login?redirect_uri=${encodeURIComponent(loopback)}`);
    const cliDone = await get(
      await atProvider(cli.location, { sub: 'idp-adam' }),
      `elevate_oidc=${portal.binding}`,
    );
    expect(cliDone.location.startsWith(`${loopback}#access_token=`)).toBe(true);
    expect(cookieValue(cliDone, 'elevate_session')).toBeUndefined();

    // Started for the portal, completed as the CLI would (no browser cookie): no token, no session.
    const fresh = await start();
    const viaCli = await get(await atProvider(fresh.providerUrl, { sub: 'idp-adam' }));
    expect(viaCli.status).toBe(302);
    expect(viaCli.body).not.toContain('access_token');
    expect(signInError(viaCli.location)).toContain('started in another browser');
  });
});

describeEachDatabase('sign-in providers without single sign-on', (ctx) => {
  it('answers that there is none, so the portal shows no button', async () => {
    const t = await createTestApp(ctx.db);
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/providers' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ oidc: null });
      const login = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/login?portal=true' });
      expect(login.statusCode).toBe(302);
      expect(new URL(String(login.headers.location), 'http://x').searchParams.get('error')).toContain(
        'Single sign-on is not configured',
      );
    } finally {
      await t.close();
    }
  });
});
