import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const assignments = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';

/**
 * Authentication takes the caller's roles from the access index and remembers accounts between changes: a
 * request must still see, at once, a role removed, a role whose window ended, and an account disabled.
 */
describeEachDatabase('the authenticated caller', (ctx) => {
  let t: TestApp;
  let rita: TestUser;
  let other: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    rita = await t.givenUser('Rita');
    other = await t.givenUser('Otto');
  });
  afterEach(() => t.close());

  /** Asking about someone else needs a reader role held now. */
  const askAboutOther = (user: TestUser = rita) =>
    t.graph(user, 'POST', '/api/v1/access/check', {
      principalId: other.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      scope: '/',
    });
  const assignReader = (body: object) =>
    t.graph(t.admin, 'POST', assignments, {
      principalId: rita.id,
      roleDefinitionId: roles.globalReader,
      directoryScopeId: '/',
      justification: 'Audit',
      ...body,
    });

  it('holds a role from its assignment, loses it at removal and at the end of its window, with the same token', async () => {
    expect((await askAboutOther()).status).toBe(403);
    const assigned = await assignReader({
      action: 'adminAssign',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    expect((await askAboutOther()).status).toBe(200);

    const removed = await assignReader({ action: 'adminRemove' });
    expect(removed.status, JSON.stringify(removed.body)).toBe(201);
    expect((await askAboutOther()).status).toBe(403);

    expect(
      (
        await assignReader({
          action: 'adminAssign',
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
        })
      ).status,
    ).toBe(201);
    expect((await askAboutOther()).status).toBe(200);
    // No scheduler runs: the window is compared when the request is authenticated.
    t.clock.advance(3_600_000 - 1);
    expect((await askAboutOther()).status).toBe(200);
    t.clock.advance(1);
    expect((await askAboutOther()).status).toBe(403);
  });

  it('refuses a disabled account at its next request and accepts it again once enabled', async () => {
    const me = () => t.graph(rita, 'GET', '/v1.0/me');
    expect((await me()).status).toBe(200);
    expect((await me()).status).toBe(200);
    const patch = (accountEnabled: boolean) =>
      t.graph(t.admin, 'PATCH', `/v1.0/users/${rita.id}`, { accountEnabled });
    expect((await patch(false)).status).toBe(204);
    const refused = await me();
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/no longer exists or is disabled/);
    expect((await patch(true)).status).toBe(204);
    expect((await me()).status).toBe(200);
  });

  it('refuses a deleted account at its next request', async () => {
    expect((await t.graph(rita, 'GET', '/v1.0/me')).status).toBe(200);
    expect((await t.graph(t.admin, 'DELETE', `/v1.0/users/${rita.id}`)).status).toBe(204);
    expect((await t.graph(rita, 'GET', '/v1.0/me')).status).toBe(401);
  });
});
