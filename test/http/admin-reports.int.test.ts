import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/app/context.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const roleManagement = '/v1.0/roleManagement/directory';
const groupPim = '/v1.0/identityGovernance/privilegedAccess/group';
const graphUrl = 'https://graph.microsoft.com/v1.0';
const dayMs = 86_400_000;
/** Whether a bulk add assigned anyone. */
const held = (body: { assigned?: number }) => (body.assigned ?? 0) > 0;

describeEachDatabase('administrator read models and bulk add: /api/v1/admin/*', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    // Admin actions may need an MFA sign-in: the administrator's calls carry one.
    admin = { ...t.admin, token: t.admin.mfaToken };
  });
  afterEach(() => t.close());

  const get = (user: TestUser, path: string, q: Record<string, string> = {}) =>
    t.graph(user, 'GET', `${path}${Object.keys(q).length ? `?${new URLSearchParams(q)}` : ''}`);

  /** An administrator's adminAssign on a directory role at a scope, permanent unless `duration` is given. */
  async function assignRole(
    kind: 'roleAssignment' | 'roleEligibility',
    principalId: string,
    roleDefinitionId: string,
    opts: { scope?: string; duration?: string } = {},
  ) {
    const res = await t.graph(admin, 'POST', `${roleManagement}/${kind}ScheduleRequests`, {
      action: 'adminAssign',
      principalId,
      roleDefinitionId,
      directoryScopeId: opts.scope ?? '/',
      justification: 'Admin report tests',
      scheduleInfo: {
        expiration: opts.duration
          ? { type: 'afterDuration', duration: opts.duration }
          : { type: 'noExpiration' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function newGroup(name: string, isAssignableToRole = true): Promise<{ id: string }> {
    const res = await t.graph(admin, 'POST', '/v1.0/groups', {
      displayName: name,
      mailNickname: name.toLowerCase().replace(/[^a-z0-9]/g, ''),
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  const addMember = async (groupId: string, userId: string) => {
    const res = await t.graph(admin, 'POST', `/v1.0/groups/${groupId}/members/$ref`, {
      '@odata.id': `${graphUrl}/users/${userId}`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  };

  describe('authorization', () => {
    it('answers what the caller may do: nothing for a plain user, reading for a Global Reader, both for a role administrator', async () => {
      const plain = await t.givenUser('Plain');
      const reader = await t.givenUser('Reader', { roles: [roles.globalReader] });
      const pra = await t.givenUser('Pra', { roles: [roles.privilegedRoleAdministrator] });
      expect((await get(plain, '/api/v1/admin/me')).body).toEqual({ canRead: false, canManage: false });
      expect((await get(reader, '/api/v1/admin/me')).body).toEqual({ canRead: true, canManage: false });
      expect((await get(pra, '/api/v1/admin/me')).body).toEqual({ canRead: true, canManage: true });
    });

    it('refuses every read to a user who is no PIM reader, and the bulk add to a reader, changing nothing', async () => {
      const plain = await t.givenUser('Plain');
      const reader = await t.givenUser('Reader', { roles: [roles.securityReader] });
      for (const path of [
        '/api/v1/admin/dashboard',
        '/api/v1/admin/assignments',
        `/api/v1/admin/roles/${roles.globalAdministrator}/holders`,
        '/api/v1/admin/principals',
        '/api/v1/admin/scopes',
      ]) {
        const res = await get(plain, path);
        expect(res.status, path).toBe(403);
        expect(res.body.error.code).toBe('auth.forbidden');
        expect(res.body.error.message).toContain('Global Reader');
        expect((await get(reader, path)).status, path).toBe(200);
      }
      const bulk = await t.graph(reader, 'POST', '/api/v1/admin/assignments/bulk', {
        kind: 'eligibility',
        targetKind: 'directoryRole',
        roleDefinitionId: roles.helpdeskAdministrator,
        principals: [plain.upn],
      });
      expect(bulk.status).toBe(403);
      expect(bulk.body.error.message).toContain('Privileged Role Administrator');
      const listed = await get(admin, '/api/v1/admin/assignments', {
        roleDefinitionId: roles.helpdeskAdministrator,
      });
      expect(listed.body.total).toBe(0);
    });

    it('refuses an anonymous caller with 401', async () => {
      expect((await t.graph(null, 'GET', '/api/v1/admin/dashboard')).status).toBe(401);
    });
  });

  describe('bad input', () => {
    it.each([
      ['top=0', 'top'],
      ['top=101', 'top'],
      ['skip=-1', 'skip'],
      ['principalId=not-a-guid', 'principalId'],
      ['groupId=1234', 'groupId'],
      ['scope=no-slash', 'scope'],
      ['kind=active', 'kind'],
      ['permanent=yes', 'permanent'],
      ['expiringWithinDays=0', 'expiringWithinDays'],
      ['unknown=1', 'unknown'],
    ])('GET /admin/assignments?%s → 400 naming %s', async (query, field) => {
      const res = await t.graph(admin, 'GET', `/api/v1/admin/assignments?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('request.invalid');
      expect(res.body.error.message).toContain(field);
    });

    it('GET /admin/roles/{id}/holders: a malformed id is 400, an unknown role 404, a malformed scope 400', async () => {
      const bad = await get(admin, '/api/v1/admin/roles/not-a-guid/holders');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('roleDefinitionId');
      const unknown = await get(admin, '/api/v1/admin/roles/00000000-0000-4000-8000-000000000000/holders');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain("Role definition '00000000-0000-4000-8000-000000000000'");
      const scope = await get(admin, `/api/v1/admin/roles/${roles.globalAdministrator}/holders`, {
        scope: 'directory',
      });
      expect(scope.status).toBe(400);
      expect(scope.body.error.message).toContain('scope');
    });

    it.each([
      [{ targetKind: 'directoryRole', principals: ['a@b.c'] }, 'roleDefinitionId'],
      [{ targetKind: 'group', accessId: 'member', principals: ['a@b.c'] }, 'groupId'],
      [
        { targetKind: 'directoryRole', roleDefinitionId: roles.helpdeskAdministrator, principals: [] },
        'principals',
      ],
      [
        {
          targetKind: 'directoryRole',
          roleDefinitionId: roles.helpdeskAdministrator,
          principals: Array.from({ length: 201 }, (_, i) => `u${i}@b.c`),
        },
        'principals',
      ],
      [
        {
          targetKind: 'directoryRole',
          roleDefinitionId: roles.helpdeskAdministrator,
          principals: ['a@b.c'],
          endDateTime: '2026-02-01T00:00:00Z',
          duration: 'P1D',
        },
        'duration',
      ],
      [
        {
          targetKind: 'directoryRole',
          roleDefinitionId: roles.helpdeskAdministrator,
          principals: ['a@b.c'],
          duration: '1 day',
        },
        'duration',
      ],
      [
        {
          targetKind: 'directoryRole',
          roleDefinitionId: roles.helpdeskAdministrator,
          principals: ['a@b.c'],
          extra: 1,
        },
        'extra',
      ],
    ])('POST /admin/assignments/bulk → 400 naming the field (%#), nothing assigned', async (body, field) => {
      const res = await t.graph(admin, 'POST', '/api/v1/admin/assignments/bulk', {
        kind: 'eligibility',
        ...body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toContain(field);
      expect((await get(admin, '/api/v1/admin/assignments')).body.total).toBe(1); // the test's own Global Administrator
    });
  });

  describe('assignments', () => {
    it('lists live grants by role, principal, kind, scope and group, with names, paged with a total', async () => {
      const adam = await t.givenUser('Adam');
      const bea = await t.givenUser('Bea');
      const unit = await t.graph(admin, 'POST', '/v1.0/directory/administrativeUnits', {
        displayName: 'Paris',
      });
      expect(unit.status, JSON.stringify(unit.body)).toBe(201);
      await assignRole('roleEligibility', adam.id, roles.helpdeskAdministrator);
      await assignRole('roleAssignment', bea.id, roles.helpdeskAdministrator, { duration: 'P7D' });
      await assignRole('roleEligibility', bea.id, roles.userAdministrator, {
        scope: `/administrativeUnits/${unit.body.id}`,
      });
      const team = await newGroup('Team', false);
      const membership = await t.graph(admin, 'POST', `${groupPim}/eligibilityScheduleRequests`, {
        action: 'adminAssign',
        accessId: 'member',
        principalId: adam.id,
        groupId: team.id,
        justification: 'Rota',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      });
      expect(membership.status, JSON.stringify(membership.body)).toBe(201);

      const byRole = await get(admin, '/api/v1/admin/assignments', {
        roleDefinitionId: roles.helpdeskAdministrator,
      });
      expect(byRole.status, JSON.stringify(byRole.body)).toBe(200);
      expect(byRole.body.total).toBe(2);
      expect(byRole.body.items).toEqual([
        expect.objectContaining({
          kind: 'eligibility',
          targetKind: 'directoryRole',
          roleDisplayName: 'Helpdesk Administrator',
          isPrivileged: true,
          scopeId: '/',
          scopeDisplayName: 'Directory',
          principal: { id: adam.id, type: 'user', displayName: 'Adam', userPrincipalName: adam.upn },
          assignmentType: null,
          endDateTime: null,
        }),
        expect.objectContaining({
          kind: 'assignment',
          principal: expect.objectContaining({ displayName: 'Bea' }),
          assignmentType: 'Assigned',
          endDateTime: new Date(t.clock.now().getTime() + 7 * dayMs).toISOString(),
        }),
      ]);

      const beas = await get(admin, '/api/v1/admin/assignments', { principalId: bea.id });
      expect(beas.body.items.map((a: { roleDisplayName: string }) => a.roleDisplayName).sort()).toEqual([
        'Helpdesk Administrator',
        'User Administrator',
      ]);
      const eligible = await get(admin, '/api/v1/admin/assignments', {
        principalId: bea.id,
        kind: 'eligibility',
      });
      expect(eligible.body.items).toHaveLength(1);

      const atUnit = await get(admin, '/api/v1/admin/assignments', {
        scope: `/administrativeUnits/${unit.body.id}`,
      });
      expect(atUnit.body.items).toEqual([
        expect.objectContaining({
          scopeDisplayName: 'Administrative unit Paris',
          roleDisplayName: 'User Administrator',
        }),
      ]);

      const ofGroup = await get(admin, '/api/v1/admin/assignments', { groupId: team.id });
      expect(ofGroup.body.items).toEqual([
        expect.objectContaining({
          targetKind: 'group',
          roleDefinitionId: 'member',
          roleDisplayName: 'Member',
          scopeDisplayName: 'Team',
          principal: expect.objectContaining({ displayName: 'Adam' }),
        }),
      ]);

      const first = await get(admin, '/api/v1/admin/assignments', { top: '2' });
      const second = await get(admin, '/api/v1/admin/assignments', { top: '2', skip: '2' });
      expect(first.body.total).toBe(5); // four above and the test's own Global Administrator
      expect(first.body.items).toHaveLength(2);
      expect(second.body.items).toHaveLength(2);
      const ids = [...first.body.items, ...second.body.items].map((a: { id: string }) => a.id);
      expect(new Set(ids).size).toBe(4);
    });

    it('lists permanent ones, those ending within days, and recent activations, as the dashboard counts them', async () => {
      const adam = await t.givenUser('Adam');
      const bea = await t.givenUser('Bea');
      await assignRole('roleAssignment', adam.id, roles.exchangeAdministrator, { duration: 'P10D' });
      await assignRole('roleAssignment', bea.id, roles.exchangeAdministrator, { duration: 'P60D' });
      await assignRole('roleEligibility', bea.id, roles.helpdeskAdministrator);
      const activated = await t.graph(
        bea,
        'POST',
        `${roleManagement}/roleAssignmentScheduleRequests`,
        {
          action: 'selfActivate',
          principalId: bea.id,
          roleDefinitionId: roles.helpdeskAdministrator,
          directoryScopeId: '/',
          justification: 'Queue',
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
        },
        await t.steppedUp(bea, roles.helpdeskAdministrator),
      );
      expect(activated.status, JSON.stringify(activated.body)).toBe(201);

      const expiring = await get(admin, '/api/v1/admin/assignments', { expiringWithinDays: '14' });
      expect(
        expiring.body.items.map((a: { principal: { displayName: string } }) => a.principal.displayName),
      ).toEqual([
        'Adam',
        'Bea', // the two-hour activation
      ]);
      const permanent = await get(admin, '/api/v1/admin/assignments', { permanent: 'true' });
      expect(permanent.body.total).toBe(2); // Bea's eligibility and the test's Global Administrator
      const recent = await get(admin, '/api/v1/admin/assignments', { activatedWithinDays: '7' });
      expect(recent.body.items).toEqual([
        expect.objectContaining({ assignmentType: 'Activated', roleDisplayName: 'Helpdesk Administrator' }),
      ]);

      // Once the activation has ended it is no longer live, but still a recent activation.
      t.clock.advance(3 * 3600_000);
      expect((await get(admin, '/api/v1/admin/assignments', { expiringWithinDays: '14' })).body.total).toBe(
        1,
      );
      expect((await get(admin, '/api/v1/admin/assignments', { activatedWithinDays: '7' })).body.total).toBe(
        1,
      );
      t.clock.advance(8 * dayMs);
      expect((await get(admin, '/api/v1/admin/assignments', { activatedWithinDays: '7' })).body.total).toBe(
        0,
      );
    });
  });

  describe('bulk add', () => {
    it('assigns each listed principal on its own and answers each line: unknown, repeated and already assigned lines fail alone', async () => {
      const adam = await t.givenUser('Adam');
      const bea = await t.givenUser('Bea');
      const cy = await t.givenUser('Cy');
      await assignRole('roleEligibility', cy.id, roles.passwordAdministrator);

      const res = await t.graph(admin, 'POST', '/api/v1/admin/assignments/bulk', {
        kind: 'eligibility',
        targetKind: 'directoryRole',
        roleDefinitionId: roles.passwordAdministrator,
        principals: [adam.upn.toUpperCase(), bea.id, 'nobody@elevate.test', adam.id, cy.upn],
        justification: 'New service desk team',
        duration: 'P90D',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ assigned: 2, failed: 3 });
      const [a, b, nobody, again, c] = res.body.results;
      expect(a).toMatchObject({
        outcome: 'assigned',
        principal: { id: adam.id, displayName: 'Adam' },
        error: null,
      });
      expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(b).toMatchObject({ outcome: 'assigned', principal: { id: bea.id } });
      expect(nobody).toMatchObject({
        input: 'nobody@elevate.test',
        outcome: 'failed',
        principal: null,
        error: { code: 'resource.not_found' },
      });
      expect(again).toMatchObject({ outcome: 'failed', error: { code: 'request.invalid' } });
      expect(again.error.message).toContain('more than once');
      expect(c).toMatchObject({ outcome: 'failed', error: { code: 'schedule.exists' } });

      const listed = await get(admin, '/api/v1/admin/assignments', {
        roleDefinitionId: roles.passwordAdministrator,
      });
      expect(
        listed.body.items.map((x: { principal: { displayName: string } }) => x.principal.displayName),
      ).toEqual(['Adam', 'Bea', 'Cy']);
      expect(listed.body.items[0].endDateTime).toBe(
        new Date(t.clock.now().getTime() + 90 * dayMs).toISOString(),
      );

      // Each line was its own request, audited as any adminAssign.
      const audits = await ctx.db.db
        .selectFrom('audit_log')
        .select('activity_display_name')
        .where('activity_display_name', 'like', 'Add eligible member to role in PIM completed (timebound)')
        .execute();
      expect(audits).toHaveLength(2);
    });

    it('never answers 500 to random and near-miss bodies, and a refused body assigns nobody', async () => {
      const adam = await t.givenUser('Adam');
      const valid: Record<string, unknown> = {
        kind: 'eligibility',
        targetKind: 'directoryRole',
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        principals: [adam.upn],
        justification: 'x',
        duration: 'P1D',
      };
      const keys = Object.keys(valid);
      const nearMiss = fc
        .record({
          drop: fc.subarray(keys),
          retype: fc.dictionary(fc.constantFrom(...keys), fc.jsonValue()),
          extra: fc.dictionary(
            fc.string({ maxLength: 12 }).filter((k) => !keys.includes(k)),
            fc.jsonValue(),
          ),
        })
        .map(({ drop, retype, extra }) => {
          const body: Record<string, unknown> = { ...valid, ...retype, ...extra };
          for (const k of drop) delete body[k];
          return JSON.stringify(body);
        });
      const anyBody = fc.oneof(
        nearMiss,
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 200 }),
      );
      await fc.assert(
        fc.asyncProperty(anyBody, async (body) => {
          const res = await t.graph(admin, 'POST', '/api/v1/admin/assignments/bulk', body, {
            'content-type': 'application/json',
          });
          expect(res.status, `${body} → ${JSON.stringify(res.body)}`).not.toBe(500);
          if (res.status !== 200) {
            expect(res.body.error.code).toMatch(/^request\./);
            const held = await get(admin, '/api/v1/admin/assignments', { principalId: adam.id });
            expect(held.body.total).toBe(0);
          } else if (held(res.body)) {
            // A body that went through: undo it so the next run starts from nothing.
            await ctx.db.db.deleteFrom('schedules').where('principal_id', '=', adam.id).execute();
            await ctx.db.db.deleteFrom('schedule_requests').where('principal_id', '=', adam.id).execute();
          }
        }),
        { numRuns: 40 },
      );
    });

    it('gives group membership to many principals (PIM for Groups)', async () => {
      const adam = await t.givenUser('Adam');
      const bea = await t.givenUser('Bea');
      const team = await newGroup('Team', false);
      const res = await t.graph(admin, 'POST', '/api/v1/admin/assignments/bulk', {
        kind: 'assignment',
        targetKind: 'group',
        groupId: team.id,
        accessId: 'member',
        principals: [adam.upn, bea.upn],
        justification: 'Team',
        endDateTime: new Date(t.clock.now().getTime() + 5 * dayMs).toISOString(),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ assigned: 2, failed: 0 });
      const listed = await get(admin, '/api/v1/admin/assignments', { groupId: team.id, kind: 'assignment' });
      expect(listed.body.total).toBe(2);
    });
  });

  describe('who can do what', () => {
    it('lists active and eligible holders, directly, through a group, and inherited from the directory at an administrative unit', async () => {
      const adam = await t.givenUser('Adam');
      const bea = await t.givenUser('Bea');
      const cy = await t.givenUser('Cy');
      const unit = await t.graph(admin, 'POST', '/v1.0/directory/administrativeUnits', {
        displayName: 'Paris',
      });
      const pag = await newGroup('PAG-HELPDESK');
      await addMember(pag.id, bea.id);
      await assignRole('roleAssignment', pag.id, roles.helpdeskAdministrator);
      await assignRole('roleEligibility', adam.id, roles.helpdeskAdministrator);
      await assignRole('roleAssignment', cy.id, roles.helpdeskAdministrator, {
        scope: `/administrativeUnits/${unit.body.id}`,
        duration: 'P1D',
      });

      const atRoot = await get(admin, `/api/v1/admin/roles/${roles.helpdeskAdministrator}/holders`);
      expect(atRoot.status, JSON.stringify(atRoot.body)).toBe(200);
      expect(atRoot.body.role).toEqual({
        id: roles.helpdeskAdministrator,
        displayName: 'Helpdesk Administrator',
        isPrivileged: true,
      });
      const rows = (body: {
        items: { principal: { displayName: string }; state: string; memberType: string }[];
      }) => body.items.map((h) => `${h.principal.displayName} ${h.state} ${h.memberType}`);
      // Cy's grant is below the asked scope: not held at '/'.
      expect(rows(atRoot.body)).toEqual([
        'Adam eligible Direct',
        'Bea active Group',
        'PAG-HELPDESK active Direct',
      ]);
      expect(atRoot.body.items[1]).toMatchObject({
        group: { id: pag.id, displayName: 'PAG-HELPDESK', membership: 'static' },
        inheritedFrom: null,
      });

      const atUnit = await get(admin, `/api/v1/admin/roles/${roles.helpdeskAdministrator}/holders`, {
        scope: `/administrativeUnits/${unit.body.id}`,
      });
      expect(rows(atUnit.body)).toEqual([
        'Adam eligible Direct',
        'Bea active Group',
        'Cy active Direct',
        'PAG-HELPDESK active Direct',
      ]);
      expect(atUnit.body.items[0].inheritedFrom).toBe('/');
      expect(atUnit.body.items[2].inheritedFrom).toBeNull();
      expect(atUnit.body.summary).toEqual({
        principals: 4,
        active: 3,
        eligible: 1,
        direct: 3,
        group: 1,
        inherited: 3,
      });

      const eligibleOnly = await get(admin, `/api/v1/admin/roles/${roles.helpdeskAdministrator}/holders`, {
        state: 'eligible',
      });
      expect(rows(eligibleOnly.body)).toEqual(['Adam eligible Direct']);
      const paged = await get(admin, `/api/v1/admin/roles/${roles.helpdeskAdministrator}/holders`, {
        top: '1',
        skip: '1',
        memberType: 'Direct',
      });
      expect(paged.body).toMatchObject({ total: 2, top: 1, skip: 1 });
      expect(rows(paged.body)).toEqual(['PAG-HELPDESK active Direct']);

      // The view agrees with the access check: Bea holds the role; Adam, only eligible, does not.
      const check = await t.graph(admin, 'POST', '/api/v1/access/check', {
        queries: [
          { principalId: bea.id, roleDefinitionId: roles.helpdeskAdministrator, scope: '/' },
          { principalId: adam.id, roleDefinitionId: roles.helpdeskAdministrator, scope: '/' },
        ],
      });
      expect(check.body.results.map((r: { allowed: boolean }) => r.allowed)).toEqual([true, false]);
    });
  });

  describe('dashboard', () => {
    it('counts privileged grants, activations, pending approvals, what ends soon and the emergency accounts', async () => {
      const adam = await t.givenUser('Adam');
      const bea = await t.givenUser('Bea');
      const approver = await t.givenUser('Approver');
      await t.services.users.createUnchecked(
        { actor: systemActor, requestId: t.services.ids.newId() },
        {
          userPrincipalName: 'breakglass@elevate.test',
          displayName: 'Break Glass',
          password: null,
          isEmergencyAccess: true,
        },
      );
      await assignRole('roleEligibility', adam.id, roles.helpdeskAdministrator);
      await assignRole('roleEligibility', bea.id, roles.helpdeskAdministrator, { duration: 'P10D' });
      await assignRole('roleAssignment', adam.id, roles.userAdministrator, { duration: 'P90D' });
      await assignRole('roleAssignment', adam.id, roles.exchangeAdministrator, { duration: 'P90D' });

      const activate = async (user: TestUser, roleId: string) =>
        t.graph(
          user,
          'POST',
          `${roleManagement}/roleAssignmentScheduleRequests`,
          {
            action: 'selfActivate',
            principalId: user.id,
            roleDefinitionId: roleId,
            directoryScopeId: '/',
            justification: 'Queue',
            scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
          },
          await t.steppedUp(user, roleId),
        );
      expect((await activate(adam, roles.helpdeskAdministrator)).status).toBe(201);
      // Eight days later (the activation is older than a week), Bea's eligibility ends within two days.
      t.clock.advance(8 * dayMs);
      await assignRole('roleEligibility', bea.id, roles.passwordAdministrator);
      const policy = await get(
        admin,
        `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roles.passwordAdministrator}'`,
      );
      const patched = await t.graph(
        admin,
        'PATCH',
        `/v1.0/policies/roleManagementPolicies/${policy.body.value[0].policyId}/rules/Approval_EndUser_Assignment`,
        {
          '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
          id: 'Approval_EndUser_Assignment',
          setting: {
            isApprovalRequired: true,
            isApprovalRequiredForExtension: false,
            isRequestorJustificationRequired: true,
            approvalMode: 'SingleStage',
            approvalStages: [
              {
                approvalStageTimeOutInDays: 1,
                isApproverJustificationRequired: false,
                escalationTimeInMinutes: 0,
                isEscalationEnabled: false,
                primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: approver.id }],
                escalationApprovers: [],
              },
            ],
          },
        },
      );
      expect(patched.status, JSON.stringify(patched.body)).toBe(204);
      const pending = await activate(bea, roles.passwordAdministrator);
      expect(pending.body.status, JSON.stringify(pending.body)).toBe('PendingApproval');

      const res = await get(admin, '/api/v1/admin/dashboard');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const d = res.body;
      expect(d.at).toBe(t.clock.now().toISOString());
      const role = (name: string) =>
        d.privilegedRoles.find((r: { displayName: string }) => r.displayName === name);
      expect(role('Helpdesk Administrator')).toEqual({
        roleDefinitionId: roles.helpdeskAdministrator,
        displayName: 'Helpdesk Administrator',
        eligible: 2,
        active: 0, // the hour-long activation ended a week ago
        permanent: 1,
      });
      expect(role('Global Administrator')).toMatchObject({ eligible: 0, active: 1, permanent: 1 });
      expect(role('User Administrator')).toMatchObject({ eligible: 0, active: 1, permanent: 0 });
      // Exchange Administrator is not labelled privileged by Microsoft.
      expect(role('Exchange Administrator')).toBeUndefined();
      expect(d.privilegedRoles.map((r: { displayName: string }) => r.displayName)).toContain('Global Reader');
      expect(d.activations).toEqual({ last7Days: 0, last30Days: 1 });
      expect(d.pendingApprovals).toBe(1);
      expect(d.expiringSoon).toEqual({ withinDays: 14, count: 1 }); // Bea's Helpdesk eligibility
      expect(d.emergencyAccounts).toEqual([
        expect.objectContaining({
          displayName: 'Break Glass',
          accountEnabled: true,
          activeAssignments: 0,
          type: 'user',
        }),
      ]);
      expect(d.totals).toEqual({ eligible: 3, active: 2, permanent: 3 });

      // The lists the numbers link to hold the same rows.
      const expiring = await get(admin, '/api/v1/admin/assignments', { expiringWithinDays: '14' });
      expect(expiring.body.total).toBe(d.expiringSoon.count);
      const month = await get(admin, '/api/v1/admin/assignments', { activatedWithinDays: '30' });
      expect(month.body.total).toBe(d.activations.last30Days);
      const helpdeskEligible = await get(admin, '/api/v1/admin/assignments', {
        targetKind: 'directoryRole',
        roleDefinitionId: roles.helpdeskAdministrator,
        kind: 'eligibility',
      });
      expect(helpdeskEligible.body.total).toBe(2);
      const privilegedEligible = await get(admin, '/api/v1/admin/assignments', {
        privileged: 'true',
        kind: 'eligibility',
      });
      expect(privilegedEligible.body.total).toBe(d.totals.eligible);
      const privilegedActive = await get(admin, '/api/v1/admin/assignments', {
        privileged: 'true',
        kind: 'assignment',
      });
      expect(privilegedActive.body.total).toBe(d.totals.active);
      const privilegedPermanent = await get(admin, '/api/v1/admin/assignments', {
        privileged: 'true',
        permanent: 'true',
      });
      expect(privilegedPermanent.body.total).toBe(d.totals.permanent);
    });
  });

  describe('principals and scopes to pick from', () => {
    it('finds principals by the start of a name or UPN in any case, of one type when asked', async () => {
      await t.givenUser('Adam Smith');
      await t.givenUser('Adele');
      await newGroup('Admins of Paris');
      const found = await get(admin, '/api/v1/admin/principals', { search: 'ad' });
      expect(found.body.items.map((p: { displayName: string }) => p.displayName)).toEqual([
        'Adam Smith',
        'Adele',
        'Admin',
        'Admins of Paris',
      ]);
      const groups = await get(admin, '/api/v1/admin/principals', { search: 'AD', type: 'group' });
      expect(groups.body.items).toEqual([
        { id: expect.any(String), type: 'group', displayName: 'Admins of Paris', userPrincipalName: null },
      ]);
      const byUpn = await get(admin, '/api/v1/admin/principals', { search: 'adamsmith@' });
      expect(byUpn.body.items).toHaveLength(1);
      const literal = await get(admin, '/api/v1/admin/principals', { search: '%' });
      expect(literal.body.items).toEqual([]);
    });

    it('lists the directory and its administrative units as scopes', async () => {
      await t.graph(admin, 'POST', '/v1.0/directory/administrativeUnits', { displayName: 'Paris' });
      const res = await get(admin, '/api/v1/admin/scopes');
      expect(res.body.items).toEqual([
        { id: '/', displayName: 'Directory', plane: 'directory' },
        {
          id: expect.stringMatching(/^\/administrativeUnits\//),
          displayName: 'Administrative unit Paris',
          plane: 'directory',
        },
      ]);
    });
  });
});
