import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const resetPassword = 'microsoft.directory/users/password/update';
const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';

describeEachDatabase('POST /api/v1/access/decide: allow or deny from the in-memory index', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx.db);
  });
  afterEach(() => t.close());

  it('answers as /access/check does, in order, and sees an assignment the moment it is committed', async () => {
    const reader = await t.givenUser('Reader', { roles: [roles.globalReader] });
    const helpdesk = await t.givenUser('Helen', { roles: [roles.helpdeskAdministrator] });
    const other = await t.givenUser('Otto');
    const questions = [helpdesk, other].flatMap((u) =>
      ['/', au].flatMap((scope) => [
        { principalId: u.id, action: resetPassword, scope },
        { principalId: u.id, roleDefinitionId: roles.helpdeskAdministrator, scope },
        { principalId: u.id, roleDefinitionId: roles.globalAdministrator, scope },
      ]),
    );
    const decided = await t.graph(reader, 'POST', '/api/v1/access/decide', { queries: questions });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const checked = await t.graph(reader, 'POST', '/api/v1/access/check', { queries: questions });
    expect(decided.body.allowed).toEqual(checked.body.results.map((r: { allowed: boolean }) => r.allowed));
    expect(decided.body.allowed).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);

    // An administrator assigns Otto Helpdesk Administrator: the very next decide allows it.
    const assigned = await t.graph(
      { ...t.admin, token: t.admin.mfaToken },
      'POST',
      '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
      {
        action: 'adminAssign',
        principalId: other.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'decide test',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
      },
    );
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    const after = await t.graph(reader, 'POST', '/api/v1/access/decide', {
      queries: [{ principalId: other.id, action: resetPassword, scope: au }],
    });
    expect(after.body).toEqual({ allowed: [true] });
    // …and not from the instant its window ends (no scheduler run in between).
    const end = new Date(t.clock.now().getTime() + 30 * 86_400_000);
    const atEnd = await t.graph(reader, 'POST', '/api/v1/access/decide', {
      queries: [
        {
          principalId: other.id,
          action: resetPassword,
          scope: '/',
          at: new Date(end.getTime() - 60_000).toISOString(),
        },
        {
          principalId: other.id,
          action: resetPassword,
          scope: '/',
          at: new Date(end.getTime() + 60_000).toISOString(),
        },
      ],
    });
    expect(atEnd.body).toEqual({ allowed: [true, false] });
  });

  it('lets anyone ask about themselves only, denies an unknown principal, and refuses bad batches naming the field', async () => {
    const alice = await t.givenUser('Alice');
    const bob = await t.givenUser('Bob');
    const mine = await t.graph(alice, 'POST', '/api/v1/access/decide', {
      queries: [{ principalId: alice.id, action: resetPassword, scope: '/' }],
    });
    expect(mine.body).toEqual({ allowed: [false] });
    const theirs = await t.graph(alice, 'POST', '/api/v1/access/decide', {
      queries: [{ principalId: bob.id, action: resetPassword, scope: '/' }],
    });
    expect(theirs.status).toBe(403);
    const unknown = await t.graph(t.admin, 'POST', '/api/v1/access/decide', {
      queries: [
        {
          principalId: '00000000-0000-4000-8000-00000000dead',
          roleDefinitionId: roles.globalAdministrator,
          scope: '/',
        },
      ],
    });
    expect(unknown.body).toEqual({ allowed: [false] });
    const tooMany = await t.graph(t.admin, 'POST', '/api/v1/access/decide', {
      queries: Array.from({ length: 2001 }, () => ({
        principalId: alice.id,
        action: resetPassword,
        scope: '/',
      })),
    });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toMatch(/at most 2000 queries/);
    const badScope = await t.graph(t.admin, 'POST', '/api/v1/access/decide', {
      queries: [{ principalId: alice.id, action: resetPassword, scope: 'subscriptions' }],
    });
    expect(badScope.status).toBe(400);
    expect(JSON.stringify(badScope.body)).toMatch(/scope/);
  });
});
