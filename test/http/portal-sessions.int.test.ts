import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const password = 'correct horse battery staple';
const origin = 'http://localhost';

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

/**
 * The portal's cookie sessions: HttpOnly, SameSite=Strict cookie backed by a server-side row (hash of the id),
 * CSRF token and Origin check on every change, idle and absolute timeouts on the injected clock, sign-out that
 * ends the session on the server, password change that ends the other sessions, rate limits on sign-in.
 */
describeEachDatabase('portal sessions: cookie, CSRF, timeouts, sign-out', (ctx) => {
  let t: TestApp;
  let adam: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    adam = await t.givenUser('Adam', { password });
  });
  afterEach(() => t.close());

  async function signIn(pw = password): Promise<Session> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/session',
      payload: { username: adam.upn, password: pw },
      headers: { origin },
    });
    expect(res.statusCode, res.body).toBe(201);
    const cookie = res.cookies.find((c) => c.name === 'elevate_session');
    if (!cookie) throw new Error('no session cookie');
    return { cookie: cookie.value, csrf: res.json().csrfToken };
  }

  const call = (
    session: Session | null,
    method: InjectOptions['method'],
    url: string,
    opts: { body?: unknown; csrf?: string | null; origin?: string | null } = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        ...(session ? { cookie: `elevate_session=${session.cookie}` } : {}),
        ...(opts.csrf === null ? {} : session ? { 'x-elevate-csrf': opts.csrf ?? session.csrf } : {}),
        ...(opts.origin === null ? {} : { origin: opts.origin ?? origin }),
      },
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });

  const createToken = (session: Session, opts: { csrf?: string | null; origin?: string | null } = {}) =>
    call(session, 'POST', '/api/v1/me/tokens', { body: { name: 'script', expiresInDays: 7 }, ...opts });

  it('sets an HttpOnly, SameSite=Strict cookie whose id is stored hashed; the body has the CSRF token only', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/session',
      payload: { username: adam.upn, password },
    });
    expect(res.statusCode, res.body).toBe(201);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^elevate_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const sessionId = res.cookies[0]!.value;
    expect(res.json()).toEqual({
      userId: adam.id,
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresDateTime: '2026-01-05T21:00:00.000Z',
      idleExpiresDateTime: '2026-01-05T09:30:00.000Z',
      idleTimeoutMinutes: 30,
    });
    expect(res.body).not.toContain(sessionId);
    const rows = await ctx.db.db.selectFrom('portal_sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(sessionId);

    const me = await call({ cookie: sessionId, csrf: '' }, 'GET', '/v1.0/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(adam.id);
    const again = await call({ cookie: sessionId, csrf: '' }, 'GET', '/api/auth/session');
    expect(again.json().csrfToken).toBe(res.json().csrfToken);
  });

  it('refuses a cookie-authenticated change without the CSRF token, with a wrong one, or from another origin', async () => {
    const session = await signIn();
    const missing = await createToken(session, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.message).toContain('x-elevate-csrf header is missing or does not match');
    const other = await signIn();
    const wrong = await createToken(session, { csrf: other.csrf });
    expect(wrong.statusCode).toBe(403);
    const crossSite = await createToken(session, { origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.message).toContain('Cross-origin request refused');
    const noOrigin = await createToken(session, { origin: null });
    expect(noOrigin.statusCode).toBe(403);
    // Graph routes are protected alike.
    const graph = await call(
      session,
      'POST',
      '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
      {
        body: {},
        csrf: null,
      },
    );
    expect(graph.statusCode).toBe(403);
    expect(await ctx.db.db.selectFrom('personal_access_tokens').selectAll().execute()).toEqual([]);

    const ok = await createToken(session);
    expect(ok.statusCode, ok.body).toBe(201);
    // A bearer token needs no CSRF token: it is never sent by a browser on its own.
    const bearer = await t.graph(adam, 'POST', '/api/v1/me/tokens', { name: 'cli', expiresInDays: 7 });
    expect(bearer.status).toBe(201);
  });

  it('ends a session idle for longer than the idle timeout; use keeps it alive', async () => {
    const session = await signIn();
    t.clock.advance(20 * 60_000);
    expect((await call(session, 'GET', '/v1.0/me')).statusCode).toBe(200);
    t.clock.advance(20 * 60_000);
    expect((await call(session, 'GET', '/v1.0/me')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const idle = await call(session, 'GET', '/v1.0/me');
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error.message).toContain('session has ended');
    expect(await ctx.db.db.selectFrom('portal_sessions').selectAll().execute()).toEqual([]);
  });

  it('ends a busy session at its absolute timeout', async () => {
    const session = await signIn();
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      t.clock.advance(25 * 60_000);
      expect((await call(session, 'GET', '/v1.0/me')).statusCode, `after ${minutes} min`).toBe(200);
    }
    t.clock.advance(25 * 60_000);
    expect((await call(session, 'GET', '/v1.0/me')).statusCode).toBe(401);
  });

  it('signs out on the server: the cookie no longer works anywhere, audited', async () => {
    const session = await signIn();
    const refused = await call(session, 'POST', '/api/auth/sign-out', { csrf: null });
    expect(refused.statusCode).toBe(403);
    const out = await call(session, 'POST', '/api/auth/sign-out');
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(
      /^elevate_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/,
    );
    expect((await call(session, 'GET', '/v1.0/me')).statusCode).toBe(401);
    expect((await call(session, 'GET', '/api/auth/session')).statusCode).toBe(401);
    expect(await ctx.db.db.selectFrom('portal_sessions').selectAll().execute()).toEqual([]);
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select('activity_display_name')
      .where('activity_display_name', '=', 'User signed out')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('changes the password: the current one is checked, the policy applies, other sessions end, audited', async () => {
    const here = await signIn();
    const elsewhere = await signIn();
    const change = (body: object, session = here) => call(session, 'POST', '/api/v1/me/password', { body });

    const wrong = await change({ currentPassword: 'not it', newPassword: 'a brand new passphrase' });
    expect(wrong.statusCode).toBe(401);
    const short = await change({ currentPassword: password, newPassword: 'too short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toContain('at least 12 characters');
    const same = await change({ currentPassword: password, newPassword: password });
    expect(same.statusCode).toBe(400);

    const changed = await change({ currentPassword: password, newPassword: 'a brand new passphrase' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toEqual({ endedSessions: 1 });
    expect((await call(here, 'GET', '/v1.0/me')).statusCode).toBe(200);
    expect((await call(elsewhere, 'GET', '/v1.0/me')).statusCode).toBe(401);

    const old = await t.graph(null, 'POST', '/api/auth/token', { username: adam.upn, password });
    expect(old.status).toBe(401);
    const fresh = await t.graph(null, 'POST', '/api/auth/token', {
      username: adam.upn,
      password: 'a brand new passphrase',
    });
    expect(fresh.status).toBe(200);
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select(['result', 'result_reason'])
      .where('activity_display_name', '=', 'Change user password')
      .orderBy('sequence')
      .execute();
    expect(audit).toEqual([
      { result: 'failure', result_reason: 'Invalid current password' },
      { result: 'success', result_reason: null },
    ]);
  });

  it('limits unauthenticated sign-in requests from one address (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/login' });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.json().error.message).toContain('Too many sign-in requests from this address');
      }
    }
    expect(statuses.slice(0, 30).every((s) => s !== 429)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describeEachDatabase('portal sessions over https', (ctx) => {
  it('prefixes the cookie with __Host- and marks it Secure', async () => {
    const t = await createTestApp(ctx.db, { publicUrl: 'https://elevate.example' });
    try {
      const adam = await t.givenUser('Adam', { password });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/session',
        payload: { username: adam.upn, password },
        headers: { origin: 'https://elevate.example' },
      });
      expect(String(res.headers['set-cookie'])).toMatch(
        /^__Host-elevate_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
      );
      // A sign-in posted from another site's page is refused (login CSRF).
      const forged = await t.app.inject({
        method: 'POST',
        url: '/api/auth/session',
        payload: { username: adam.upn, password },
        headers: { origin: 'https://evil.example' },
      });
      expect(forged.statusCode).toBe(403);
    } finally {
      await t.close();
    }
  });
});
