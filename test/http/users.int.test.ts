import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

describeEachDatabase('Graph /users', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx.db);
  });
  afterEach(() => t.close());

  it('creates, reads, updates and deletes a user, auditing each change', async () => {
    const created = await t.graph(t.admin, 'POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'Adam',
      mailNickname: 'adam',
      userPrincipalName: 'adam@contoso.com',
      passwordProfile: { password: 'correct horse battery' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: 'Adam', userPrincipalName: 'adam@contoso.com' });
    expect(created.body['@odata.context']).toMatch(/\/v1\.0\/\$metadata#users\/\$entity$/);

    const byUpn = await t.graph(t.admin, 'GET', '/v1.0/users/adam@contoso.com');
    expect(byUpn.body.id).toBe(created.body.id);

    expect(
      (await t.graph(t.admin, 'PATCH', `/v1.0/users/${created.body.id}`, { jobTitle: 'Service desk' }))
        .status,
    ).toBe(204);
    expect((await t.graph(t.admin, 'GET', `/v1.0/users/${created.body.id}`)).body.jobTitle).toBe(
      'Service desk',
    );

    const list = await t.graph(
      t.admin,
      'GET',
      `/v1.0/users?$filter=userPrincipalName eq 'adam@contoso.com'&$select=displayName`,
    );
    expect(list.body.value).toEqual([{ id: created.body.id, displayName: 'Adam' }]);

    expect((await t.graph(t.admin, 'DELETE', `/v1.0/users/${created.body.id}`)).status).toBe(204);
    expect((await t.graph(t.admin, 'GET', `/v1.0/users/${created.body.id}`)).status).toBe(404);

    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select('activity_display_name')
      .orderBy('sequence')
      .execute();
    expect(audit.map((a) => a.activity_display_name)).toEqual(
      expect.arrayContaining(['Add user', 'Update user', 'Delete user']),
    );
  });

  it('refuses anonymous calls with 401 in the Graph envelope', async () => {
    const res = await t.graph(null, 'GET', '/v1.0/users');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('InvalidAuthenticationToken');
    expect(res.body.error.innerError['request-id']).toBeTruthy();
  });

  it('refuses a user without a directory role from creating users, and changes nothing', async () => {
    const plain = await t.givenUser('Plain');
    const before = await ctx.db.db.selectFrom('users').select('id').execute();
    const res = await t.graph(plain, 'POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'X',
      mailNickname: 'x',
      userPrincipalName: 'x@contoso.com',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('accessDenied');
    expect(await ctx.db.db.selectFrom('users').select('id').execute()).toHaveLength(before.length);
  });

  it('answers bad input with 400 naming the problem: malformed JSON, wrong types, unknown fields', async () => {
    const malformed = await t.graph(t.admin, 'POST', '/v1.0/users', '{"displayName":', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalidRequest');

    const wrongType = await t.graph(t.admin, 'POST', '/v1.0/users', {
      accountEnabled: 'yes',
      displayName: 'X',
      mailNickname: 'x',
      userPrincipalName: 'x@contoso.com',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain('accountEnabled');

    const unknown = await t.graph(t.admin, 'POST', '/v1.0/users', {
      '@odata.type': '#microsoft.graph.user',
      accountEnabled: true,
      displayName: 'X',
      mailNickname: 'x',
      userPrincipalName: 'x@contoso.com',
      favouriteColour: 'blue',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('favouriteColour');

    const huge = await t.graph(t.admin, 'POST', '/v1.0/users', { displayName: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('requestEntityTooLarge');
  });

  it('signs in with a password and uses the token', async () => {
    await t.givenUser('Stan', { password: 'a long password 1', roles: [directoryRoleIds.globalReader] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { username: 'stan@elevate.test', password: 'a long password 1' },
    });
    expect(res.statusCode).toBe(200);
    const token = res.json().access_token;
    const me = await t.app.inject({
      method: 'GET',
      url: '/v1.0/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json().userPrincipalName).toBe('stan@elevate.test');

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { username: 'stan@elevate.test', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('auth.invalid_credentials');
  });
});
