import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const path = '/v1.0/directory/administrativeUnits';

describeEachDatabase(
  'Graph /directory/administrativeUnits',
  (ctx) => {
    let t: TestApp;
    let roleAdmin: TestUser;
    let userAdmin: TestUser;
    beforeAll(async () => {
      t = await createTestApp(ctx.db);
      roleAdmin = await t.givenUser('Role Admin', { roles: [directoryRoleIds.privilegedRoleAdministrator] });
      userAdmin = await t.givenUser('User Admin', { roles: [directoryRoleIds.userAdministrator] });
    });
    afterAll(() => t.close());

    const auditOf = (id: string) =>
      ctx.db.db
        .selectFrom('audit_log')
        .select(['activity_display_name', 'category'])
        .where(sql<boolean>`target_ids @> array[${id}]::text[]`)
        .orderBy('sequence')
        .execute();

    const givenScheduleAt = async (scope: string, principalId: string) => {
      const now = t.clock.now();
      const id = t.services.ids.newId();
      await ctx.db.db
        .insertInto('schedules')
        .values({
          id,
          kind: 'eligibility',
          principal_id: principalId,
          principal_type: 'user',
          role_definition_id: directoryRoleIds.helpdeskAdministrator,
          scope_id: scope,
          assignment_type: null,
          start_at: now,
          end_at: null,
          status: 'Provisioned',
          created_using: id,
          activated_using: null,
          created_at: now,
          modified_at: now,
        })
        .execute();
      return id;
    };

    it('creates, reads, updates and deletes an administrative unit, auditing each change', async () => {
      // when a privileged role administrator creates a unit
      const created = await t.graph(roleAdmin, 'POST', path, {
        displayName: 'Seattle',
        description: 'West coast',
      });

      // then it is served in Graph's shape and readable by anyone signed in
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ displayName: 'Seattle', description: 'West coast' });
      expect(created.body['@odata.context']).toMatch(/\$metadata#directory\/administrativeUnits\/\$entity$/);
      const id = created.body.id;

      expect((await t.graph(roleAdmin, 'PATCH', `${path}/${id}`, { description: null })).status).toBe(204);
      expect((await t.graph(userAdmin, 'GET', `${path}/${id}`)).body).toMatchObject({
        displayName: 'Seattle',
        description: null,
      });
      const list = await t.graph(
        userAdmin,
        'GET',
        `${path}?$filter=displayName eq 'Seattle'&$select=displayName`,
      );
      expect(list.body.value).toEqual([{ id, displayName: 'Seattle' }]);

      expect((await t.graph(roleAdmin, 'DELETE', `${path}/${id}`)).status).toBe(204);
      expect((await t.graph(roleAdmin, 'GET', `${path}/${id}`)).status).toBe(404);
      expect(
        await ctx.db.db.selectFrom('administrative_units').select('id').where('id', '=', id).execute(),
      ).toEqual([]);

      const audit = await auditOf(id);
      expect(audit.map((a) => a.activity_display_name)).toEqual([
        'Add administrative unit',
        'Update administrative unit',
        'Delete administrative unit',
      ]);
    });

    it('refuses to delete a unit while roles are scoped to it, naming how many', async () => {
      const unit = (await t.graph(t.admin, 'POST', path, { displayName: 'Paris' })).body;
      await givenScheduleAt(`/administrativeUnits/${unit.id}`, userAdmin.id);
      await givenScheduleAt(`/administrativeUnits/${unit.id}`, roleAdmin.id);

      const refused = await t.graph(t.admin, 'DELETE', `${path}/${unit.id}`);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('still has 2 role assignments or eligibilities');
      expect((await t.graph(t.admin, 'GET', `${path}/${unit.id}`)).status).toBe(200);

      // once they end, the unit can go
      await ctx.db.db
        .updateTable('schedules')
        .set({ status: 'Revoked' })
        .where('scope_id', '=', `/administrativeUnits/${unit.id}`)
        .execute();
      expect((await t.graph(t.admin, 'DELETE', `${path}/${unit.id}`)).status).toBe(204);
    });

    it('refuses anyone but role administrators: 403 accessDenied, nothing changes', async () => {
      const unit = (await t.graph(roleAdmin, 'POST', path, { displayName: 'Berlin' })).body;
      const before = await auditOf(unit.id);
      for (const res of [
        await t.graph(userAdmin, 'POST', path, { displayName: 'Sneaky' }),
        await t.graph(userAdmin, 'PATCH', `${path}/${unit.id}`, { displayName: 'Renamed' }),
        await t.graph(userAdmin, 'DELETE', `${path}/${unit.id}`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('accessDenied');
      }
      expect((await t.graph(userAdmin, 'GET', `${path}/${unit.id}`)).body.displayName).toBe('Berlin');
      expect(
        await ctx.db.db
          .selectFrom('administrative_units')
          .select('id')
          .where('display_name', '=', 'Sneaky')
          .execute(),
      ).toEqual([]);
      expect(await auditOf(unit.id)).toEqual(before);
    });

    it('answers bad input with 400 naming the field', async () => {
      const unknown = await t.graph(t.admin, 'POST', path, {
        displayName: 'X',
        visibility: 'HiddenMembership',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('visibility');
      const wrongType = await t.graph(t.admin, 'POST', path, { displayName: 42 });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error.message).toContain('displayName');
      expect((await t.graph(t.admin, 'GET', `${path}/nope`)).status).toBe(400);
    });
  },
  { shared: true },
);
