import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

describeEachDatabase('personal access tokens', (ctx) => {
  let t: TestApp;
  let adam: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    adam = await t.givenUser('Adam');
  });
  afterEach(() => t.close());

  const create = (body: object, user: TestUser = adam) => t.graph(user, 'POST', '/api/v1/me/tokens', body);
  const as = (token: string): TestUser => ({ ...adam, token });

  it('creates a token shown once and stored hashed, usable as a bearer on /v1.0 and /api, listed without its secret', async () => {
    const created = await create({ name: 'nightly export', expiresInDays: 30 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^elv_pat_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      name: 'nightly export',
      scopes: ['read', 'write'],
      hint: `${token.slice(0, 12)}…`,
      expiresDateTime: new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString(),
      revokedDateTime: null,
    });

    const [row] = await ctx.db.db.selectFrom('personal_access_tokens').selectAll().execute();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const me = await t.graph(as(token), 'GET', '/v1.0/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(adam.id);
    const listed = await t.graph(as(token), 'GET', '/api/v1/me/tokens');
    expect(listed.status).toBe(200);
    expect(listed.body.value).toEqual([
      expect.objectContaining({ id: created.body.id, lastUsedDateTime: t.clock.now().toISOString() }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.value[0]).not.toHaveProperty('token');

    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('activity_display_name', '=', 'Add personal access token')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('answers 401 once a token is revoked or expired', async () => {
    const created = await create({ name: 'ci', expiresInDays: 1 });
    const other = await create({ name: 'laptop', expiresInDays: 2 });
    const token: string = created.body.token;
    expect((await t.graph(as(token), 'GET', '/v1.0/me')).status).toBe(200);

    const revoked = await t.graph(adam, 'DELETE', `/api/v1/me/tokens/${created.body.id}`);
    expect(revoked.status).toBe(204);
    const after = await t.graph(as(token), 'GET', '/v1.0/me');
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe('The personal access token was revoked.');
    expect((await t.graph(as(`${token}x`), 'GET', '/v1.0/me')).status).toBe(401);
    expect((await t.graph(adam, 'DELETE', `/api/v1/me/tokens/${created.body.id}`)).status).toBe(204);
    expect((await t.graph(t.admin, 'DELETE', `/api/v1/me/tokens/${other.body.id}`)).status).toBe(404);

    t.clock.advanceDays(2); // the instant it expires
    const expired = await t.graph(as(other.body.token), 'GET', '/api/v1/me/tokens');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain('expired');
    expect(
      (
        await ctx.db.db
          .selectFrom('audit_log')
          .select('activity_display_name')
          .where('activity_display_name', '=', 'Revoke personal access token')
          .execute()
      ).length,
    ).toBe(1);
  });

  it('keeps a read-only token to reads, and lets no token mint tokens, step up or count as MFA', async () => {
    const readOnly = (await create({ name: 'dashboard', expiresInDays: 7, scopes: ['read'] })).body.token;
    expect((await t.graph(as(readOnly), 'GET', '/v1.0/me')).status).toBe(200);
    const write = await t.graph(as(readOnly), 'POST', '/api/v1/me/tokens', { name: 'x', expiresInDays: 1 });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('read-only');

    const full = (await create({ name: 'scripts', expiresInDays: 7 })).body.token;
    const mint = await t.graph(as(full), 'POST', '/api/v1/me/tokens', { name: 'x', expiresInDays: 1 });
    expect(mint.status).toBe(403);
    await t.enrolTotp(adam);
    const stepUp = await t.graph(as(full), 'POST', '/api/v1/me/step-up', {
      roleDefinitionId: roles.helpdeskAdministrator,
      totp: await t.nextTotp(adam),
    });
    expect(stepUp.status).toBe(403);
    expect(stepUp.body.error.message).toContain('cannot step up');

    // A Global Administrator's token does not satisfy an admin rule that asks for MFA.
    const adminToken = (await create({ name: 'admin scripts', expiresInDays: 7 }, t.admin)).body.token;
    const policy = await t.graph(
      t.admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roles.helpdeskAdministrator}'`,
    );
    const patched = await t.graph(
      t.admin,
      'PATCH',
      `/v1.0/policies/roleManagementPolicies/${policy.body.value[0].policyId}/rules/Enablement_Admin_Eligibility`,
      {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
        id: 'Enablement_Admin_Eligibility',
        enabledRules: ['MultiFactorAuthentication'],
      },
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(204);
    const assign = await t.graph(
      { ...t.admin, token: adminToken },
      'POST',
      '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
      {
        action: 'adminAssign',
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    );
    expect(assign.status).toBe(400);
    expect(assign.body.error.details).toEqual([expect.objectContaining({ code: 'MfaRule' })]);
  });

  it('validates the request: a name, 1 to 365 days, known scopes', async () => {
    for (const body of [
      { name: '', expiresInDays: 1 },
      { name: 'x', expiresInDays: 0 },
      { name: 'x', expiresInDays: 366 },
      { name: 'x', expiresInDays: 1, scopes: ['admin'] },
      { name: 'x', expiresInDays: 1, secret: 'chosen' },
    ]) {
      expect((await create(body)).status, JSON.stringify(body)).toBe(400);
    }
  });
});
