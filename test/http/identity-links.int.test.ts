import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const issuer = 'https://idp.example/';

describeEachDatabase('unlinking an identity-provider account', (ctx) => {
  let t: TestApp;
  let adam: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    adam = await t.givenUser('Adam');
    // As a first single sign-on leaves it (oidc-identities.ts).
    await ctx.db.db
      .insertInto('user_identities')
      .values({
        issuer,
        subject: 'adam-at-idp',
        user_id: adam.id,
        created_at: t.clock.now(),
        last_sign_in_at: t.clock.now(),
      })
      .execute();
  });
  afterEach(() => t.close());

  it('lists and unlinks a user’s linked account, audited; needs an authentication administrator', async () => {
    const helpdesk = await t.givenUser('Helen', { roles: [roles.helpdeskAdministrator] });
    const url = `/api/v1/users/${adam.id}/identities`;
    expect((await t.graph(helpdesk, 'GET', url)).status).toBe(403);
    expect((await t.graph(helpdesk, 'DELETE', `${url}?issuer=${encodeURIComponent(issuer)}`)).status).toBe(
      403,
    );

    const listed = await t.graph(t.admin, 'GET', url);
    expect(listed.body.value).toEqual([
      {
        issuer,
        subject: 'adam-at-idp',
        createdDateTime: t.clock.now().toISOString(),
        lastSignInDateTime: t.clock.now().toISOString(),
      },
    ]);
    const other = await t.graph(
      t.admin,
      'DELETE',
      `${url}?issuer=${encodeURIComponent('https://other.example/')}`,
    );
    expect(other.status).toBe(404);
    const unlinked = await t.graph(t.admin, 'DELETE', `${url}?issuer=${encodeURIComponent(issuer)}`);
    expect(unlinked.status, JSON.stringify(unlinked.body)).toBe(204);
    expect((await t.graph(t.admin, 'GET', url)).body.value).toEqual([]);
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'additional_details'])
      .where('activity_display_name', '=', 'Admin unlinked identity provider account')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.additional_details)).toContain('adam-at-idp');
  });
});
