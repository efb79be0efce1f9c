import { afterEach, beforeEach, expect, it } from 'vitest';
import { azureRoleIds } from '../../src/core/catalog/azure-roles.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const groupRequests = '/v1.0/identityGovernance/privilegedAccess/group';
const roleRequests = '/v1.0/roleManagement/directory';
const resetPassword = 'microsoft.directory/users/password/update';
const demoPassword = 'demo-password-for-access-tests';

describeEachDatabase('effective access: POST /api/v1/access/check, GET /api/v1/access/explain', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx.db);
  });
  afterEach(() => t.close());

  const check = (user: TestUser, body: unknown, path = '/api/v1/access/check') =>
    t.graph(user, 'POST', path, body);
  const explain = (user: TestUser, q: Record<string, string>, path = '/api/v1/access/explain') =>
    t.graph(user, 'GET', `${path}?${new URLSearchParams(q).toString()}`);
  const ms = (d: Date, delta: number) => new Date(d.getTime() + delta).toISOString();

  async function signIn(upn: string): Promise<TestUser> {
    const res = await t.graph(null, 'POST', '/api/auth/token', { username: upn, password: demoPassword });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const token = res.body.access_token as string;
    const me = await t.graph({ id: '', upn, token, mfaToken: '' }, 'GET', '/v1.0/me');
    return { id: me.body.id, upn, token, mfaToken: '' };
  }

  /** An administrator's request on a directory role (admin actions may need an MFA sign-in). */
  async function adminRole(kind: 'roleAssignment' | 'roleEligibility', body: Record<string, unknown>) {
    const res = await t.graph(
      { ...t.admin, token: t.admin.mfaToken },
      'POST',
      `${roleRequests}/${kind}ScheduleRequests`,
      {
        action: 'adminAssign',
        directoryScopeId: '/',
        justification: 'Access tests',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
        ...body,
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  it("in the demo tenant, Adam's activated PAG-SERVICE-DESK membership gives its roles until the window ends, and not at the end", async () => {
    // Given the seed guide's tenant: Adam is an eligible member of PAG-SERVICE-DESK (Helpdesk and Password
    // Administrator); its Member row needs MFA, so he steps up for the membership
    await t.services.setup.seedDemoTenant(demoPassword);
    const adam = await signIn('adam@elevate.example');
    const grace = await signIn('grace@elevate.example');
    const groups = await t.graph(grace, 'GET', "/v1.0/groups?$filter=displayName eq 'PAG-SERVICE-DESK'");
    const pag = groups.body.value[0] as { id: string };
    const before = await check(adam, {
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      scope: '/',
    });
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.results[0]).toMatchObject({ allowed: false });
    expect(before.body.results[0].reason).toContain('eligible');

    // When he activates the membership for two hours
    const activated = await t.graph(
      adam,
      'POST',
      `${groupRequests}/assignmentScheduleRequests`,
      {
        accessId: 'member',
        principalId: adam.id,
        groupId: pag.id,
        action: 'selfActivate',
        justification: 'Password reset queue',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
      },
      await t.steppedUp(adam, { groupId: pag.id, accessId: 'member' }),
    );
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    const start = t.clock.now();
    const end = new Date(start.getTime() + 2 * 3_600_000);

    // Then access check allows both of the group's roles and a real action of Helpdesk Administrator, up to
    // the last millisecond of the window, and denies at its exact end and after
    const at = (instant: string) => [
      { principalId: adam.id, roleDefinitionId: roles.helpdeskAdministrator, scope: '/', at: instant },
      { principalId: adam.id, roleDefinitionId: roles.passwordAdministrator, scope: '/', at: instant },
      { principalId: adam.id, action: resetPassword, scope: '/', at: instant },
    ];
    const answers = await check(grace, {
      queries: [
        ...at(start.toISOString()),
        ...at(ms(end, -1)),
        ...at(end.toISOString()),
        ...at(ms(end, 3_600_000)),
        { principalId: adam.id, action: 'microsoft.directory/users/delete', scope: '/' },
      ],
    });
    expect(answers.status, JSON.stringify(answers.body)).toBe(200);
    expect(answers.body.results.map((r: { allowed: boolean }) => r.allowed)).toEqual([
      ...[true, true, true],
      ...[true, true, true],
      ...[false, false, false],
      ...[false, false, false],
      false,
    ]);
    expect(answers.body.results[2].via).toMatchObject({
      state: 'active',
      roleDisplayName: expect.stringMatching(/^(Helpdesk|Password) Administrator$/),
      memberType: 'Group',
      scope: '/',
      inheritedFrom: null,
      endDateTime: end.toISOString(),
      group: {
        id: pag.id,
        displayName: 'PAG-SERVICE-DESK',
        membership: 'activated',
        createdUsing: activated.body.id,
        scheduleId: activated.body.targetScheduleId,
        endDateTime: end.toISOString(),
      },
    });
    expect(answers.body.results[2].reason).toContain(
      "through activated membership of group 'PAG-SERVICE-DESK'",
    );

    // and explain shows the path: the group, the activated membership, its window and request; and his direct
    // eligibilities as eligible
    const explained = await explain(adam, { principalId: adam.id, scope: '/' });
    expect(explained.status, JSON.stringify(explained.body)).toBe(200);
    expect(explained.body).toMatchObject({
      principal: { id: adam.id, type: 'user', displayName: 'Adam' },
      scope: '/',
      at: start.toISOString(),
    });
    const summary = explained.body.grants.map(
      (g: { state: string; roleDisplayName: string; memberType: string }) =>
        `${g.state} ${g.roleDisplayName} ${g.memberType}`,
    );
    expect(summary).toEqual([
      'active Helpdesk Administrator Group',
      'active Password Administrator Group',
      'eligible Global Administrator Direct',
      'eligible Helpdesk Administrator Direct',
    ]);
    expect(explained.body.grants[0]).toMatchObject({
      kind: 'assignment',
      assignmentType: 'Assigned',
      startDateTime: start.toISOString(),
      endDateTime: end.toISOString(),
      scheduleEndDateTime: null,
      group: { membership: 'activated', createdUsing: activated.body.id },
    });

    // After the window (the scheduler having ended it), the past is still answered exactly
    t.clock.advanceHours(3);
    await t.services.scheduler.tick();
    const later = await check(grace, {
      queries: [
        { principalId: adam.id, action: resetPassword, scope: '/' },
        { principalId: adam.id, action: resetPassword, scope: '/', at: ms(end, -1) },
        { principalId: adam.id, action: resetPassword, scope: '/', at: end.toISOString() },
      ],
    });
    expect(later.body.results.map((r: { allowed: boolean }) => r.allowed)).toEqual([false, true, false]);
  });

  it('inherits a grant at / in an administrative unit, not the other way round; the alias route answers the same', async () => {
    // Given Hana holds Helpdesk Administrator at / and Uma holds it in one administrative unit
    const unit = await t.graph(t.admin, 'POST', '/v1.0/directory/administrativeUnits', {
      displayName: 'Berlin',
    });
    expect(unit.status, JSON.stringify(unit.body)).toBe(201);
    const au = `/administrativeUnits/${unit.body.id}`;
    const hana = await t.givenUser('Hana', { roles: [roles.helpdeskAdministrator] });
    const uma = await t.givenUser('Uma');
    await adminRole('roleAssignment', {
      principalId: uma.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: au,
    });

    // When the reader asks at the unit and at /
    const res = await check(
      t.admin,
      {
        queries: [
          { principalId: hana.id, action: resetPassword, scope: au },
          { principalId: uma.id, action: resetPassword, scope: au },
          { principalId: uma.id, action: resetPassword, scope: '/' },
          {
            principalId: hana.id,
            roleDefinitionId: roles.helpdeskAdministrator,
            scope: '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333',
          },
        ],
      },
      '/api/access/check',
    );

    // Then / covers the unit (inherited from /), the unit does not cover /, and no directory role reaches a subscription
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results.map((r: { allowed: boolean }) => r.allowed)).toEqual([true, true, false, false]);
    expect(res.body.results[0].via).toMatchObject({ scope: '/', inheritedFrom: '/', memberType: 'Direct' });
    expect(res.body.results[1].via).toMatchObject({ scope: au, inheritedFrom: null });
    const explained = await explain(t.admin, { principalId: hana.id, scope: au }, '/api/access/explain');
    expect(explained.status).toBe(200);
    expect(explained.body.grants).toEqual([
      expect.objectContaining({ roleDisplayName: 'Helpdesk Administrator', scope: '/', inheritedFrom: '/' }),
    ]);
  });

  it('follows the resource tree: Owner at a management group reaches a resource group of a subscription placed under it, not a sibling', async () => {
    // Given a tree (root group → platform → subscription A → rg-web; root → subscription B → rg-web) and
    // Rita's activated Owner at the platform management group, written as the resource-role API would
    const now = t.clock.now();
    const mg = (name: string) => `/providers/Microsoft.Management/managementGroups/${name}`;
    const subA = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
    const subB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-444455556666';
    const tree: [string, 'managementGroup' | 'subscription' | 'resourceGroup', string | null][] = [
      [mg('root'), 'managementGroup', null],
      [mg('platform'), 'managementGroup', mg('root')],
      [subA, 'subscription', mg('platform')],
      [`${subA}/resourceGroups/rg-web`, 'resourceGroup', subA],
      [subB, 'subscription', mg('root')],
      [`${subB}/resourceGroups/rg-web`, 'resourceGroup', subB],
    ];
    for (const [path, type, parent] of tree) {
      await ctx.db.db
        .insertInto('resource_scopes')
        .values({
          id: path.toLowerCase(),
          path,
          type,
          name: path.split('/').pop()!,
          display_name: path.split('/').pop()!,
          parent_id: parent?.toLowerCase() ?? null,
          resource_type: null,
          location: null,
          tags: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const rita = await t.givenUser('Rita');
    const id = t.services.ids.newId();
    const end = new Date(now.getTime() + 3_600_000);
    await ctx.db.db
      .insertInto('schedules')
      .values({
        id,
        kind: 'assignment',
        principal_id: rita.id,
        principal_type: 'user',
        target_kind: 'resourceRole',
        role_definition_id: azureRoleIds.owner,
        scope_id: mg('platform').toLowerCase(),
        assignment_type: 'Activated',
        start_at: now,
        end_at: end,
        status: 'Provisioned',
        created_using: id,
        activated_using: null,
        created_at: now,
        modified_at: now,
      })
      .execute();

    const start = 'Microsoft.Compute/virtualMachines/start/action';
    const res = await check(t.admin, {
      queries: [
        { principalId: rita.id, action: start, scope: `${subA}/resourceGroups/rg-web` },
        { principalId: rita.id, action: start, scope: `${subB}/resourceGroups/rg-web` },
        {
          principalId: rita.id,
          roleDefinitionId: azureRoleIds.owner,
          scope: `${subA}/resourceGroups/RG-WEB/providers/Microsoft.Compute/virtualMachines/vm1`,
        },
        {
          principalId: rita.id,
          action: start,
          scope: `${subA}/resourceGroups/rg-web`,
          at: end.toISOString(),
        },
        { principalId: rita.id, action: resetPassword, scope: '/' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results.map((r: { allowed: boolean }) => r.allowed)).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(res.body.results[0].via).toMatchObject({
      roleDisplayName: 'Owner',
      targetKind: 'resourceRole',
      scope: mg('platform').toLowerCase(),
      inheritedFrom: mg('platform').toLowerCase(),
    });
    const explained = await explain(rita, { principalId: rita.id, scope: subA });
    expect(explained.body.grants).toEqual([
      expect.objectContaining({ roleDisplayName: 'Owner', state: 'active' }),
    ]);
  });

  it('denies on an eligibility alone and explains it as eligible, with its schedule and request', async () => {
    const eve = await t.givenUser('Eve');
    const eligible = await adminRole('roleEligibility', {
      principalId: eve.id,
      roleDefinitionId: roles.passwordAdministrator,
    });
    const res = await check(eve, { principalId: eve.id, action: resetPassword, scope: '/' });
    expect(res.status).toBe(200);
    expect(res.body.results[0].allowed).toBe(false);
    expect(res.body.results[0].via).toBeUndefined();
    expect(res.body.results[0].reason).toContain("eligible for 'Password Administrator' directly at '/'");
    const explained = await explain(eve, { principalId: eve.id, scope: '/' });
    expect(explained.body.grants).toEqual([
      expect.objectContaining({
        state: 'eligible',
        kind: 'eligibility',
        roleDefinitionId: roles.passwordAdministrator,
        scheduleId: eligible.targetScheduleId,
        createdUsing: eligible.id,
        group: null,
      }),
    ]);
  });

  it('lets anyone ask about themselves, readers and reader service principals about anyone, and nobody else', async () => {
    const plain = await t.givenUser('Plain');
    const other = await t.givenUser('Other', { roles: [roles.helpdeskAdministrator] });
    const reader = await t.givenUser('Reader', { roles: [roles.globalReader] });
    const about = (id: string) => ({
      principalId: id,
      roleDefinitionId: roles.helpdeskAdministrator,
      scope: '/',
    });

    const self = await check(plain, about(plain.id));
    expect(self.status).toBe(200);
    expect(self.body.results[0].allowed).toBe(false);
    const nosy = await check(plain, { queries: [about(plain.id), about(other.id)] });
    expect(nosy.status).toBe(403);
    expect(nosy.body.error).toMatchObject({
      code: 'auth.forbidden',
      message: expect.stringContaining('Global Reader'),
    });
    expect((await explain(plain, { principalId: other.id, scope: '/' })).status).toBe(403);
    expect((await check(reader, about(other.id))).body.results[0].allowed).toBe(true);

    // a service principal holding Global Reader (time-bound, as service principals must)
    const sp = await t.graph(t.admin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Gatekeeper' });
    expect(sp.status, JSON.stringify(sp.body)).toBe(201);
    await adminRole('roleAssignment', { principalId: sp.body.id, roleDefinitionId: roles.globalReader });
    const robot = {
      id: sp.body.id,
      upn: '',
      token: (await t.services.auth.issueToken({ id: sp.body.id, type: 'servicePrincipal', mfa: false }))
        .accessToken,
      mfaToken: '',
    };
    const bySp = await check(robot, about(other.id));
    expect(bySp.status, JSON.stringify(bySp.body)).toBe(200);
    expect(bySp.body.results[0].allowed).toBe(true);

    const anonymous = await t.graph(null, 'POST', '/api/v1/access/check', about(other.id));
    expect(anonymous.status).toBe(401);
  });

  it('denies an unknown principal in a check and answers 404 to explain', async () => {
    const ghost = '0a0a0a0a-0000-4000-8000-000000000000';
    const res = await check(t.admin, {
      principalId: ghost,
      roleDefinitionId: roles.globalAdministrator,
      scope: '/',
    });
    expect(res.body.results).toEqual([{ allowed: false, reason: `No principal has the id '${ghost}'.` }]);
    const explained = await explain(t.admin, { principalId: ghost, scope: '/' });
    expect(explained.status).toBe(404);
    expect(explained.body.error.code).toBe('resource.not_found');
  });

  it.each([
    [
      'both roleDefinitionId and action',
      { roleDefinitionId: roles.globalAdministrator, action: resetPassword },
      'exactly one',
    ],
    ['neither roleDefinitionId nor action', {}, 'exactly one'],
    [
      'a principal id that is not a GUID',
      { principalId: 'adam', action: resetPassword },
      'principalId: must be a GUID',
    ],
    [
      'a role id that is not a GUID',
      { roleDefinitionId: 'Global Administrator' },
      'roleDefinitionId: must be a GUID',
    ],
    ['an unknown field', { action: resetPassword, tenant: 'x' }, 'tenant'],
    [
      'an instant without a zone',
      { action: resetPassword, at: '2026-01-05T09:00:00' },
      'at: must be an ISO 8601',
    ],
    ['a scope that is not a path', { action: resetPassword, scope: 'tenant' }, 'scope: must be a scope path'],
    [
      'a malformed subscription scope',
      { action: resetPassword, scope: '/subscriptions/not-a-guid' },
      'subscription id is a GUID',
    ],
    ['no scope', { action: resetPassword, scope: undefined }, 'scope: required'],
  ])('refuses %s with 400 in the native envelope', async (_, fields, message) => {
    const body = { principalId: t.admin.id, scope: '/', ...fields };
    const res = await check(t.admin, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'request.invalid',
        message: expect.stringContaining(message),
        requestId: expect.any(String),
      },
    });
  });

  it('refuses more than 1000 queries, an empty batch, and a batch mixed with single fields; explain without a principal', async () => {
    const one = { principalId: t.admin.id, roleDefinitionId: roles.globalAdministrator, scope: '/' };
    const tooMany = await check(t.admin, { queries: Array.from({ length: 1001 }, () => one) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('at most 1000 queries');
    expect((await check(t.admin, { queries: [] })).status).toBe(400);
    const mixed = await check(t.admin, { queries: [one], principalId: t.admin.id });
    expect(mixed.body.error.message).toContain('not both');
    const nested = await check(t.admin, { queries: [one, { ...one, roleDefinitionId: 'x' }] });
    expect(nested.body.error.message).toContain('queries.1.roleDefinitionId: must be a GUID');
    const noPrincipal = await t.graph(t.admin, 'GET', '/api/v1/access/explain?scope=/');
    expect(noPrincipal.status).toBe(400);
    expect(noPrincipal.body.error.code).toBe('request.invalid');

    // exactly 1000 are answered, in order
    const full = await check(t.admin, { queries: Array.from({ length: 1000 }, () => one) });
    expect(full.status).toBe(200);
    expect(full.body.results).toHaveLength(1000);
    expect(full.body.results.every((r: { allowed: boolean }) => r.allowed)).toBe(true);
  });
});
