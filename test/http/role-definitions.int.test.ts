import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isPrivilegedAction } from '../../src/app/directory/role-definition-service.js';
import { directoryRoleIds, directoryRoles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const path = '/v1.0/roleManagement/directory/roleDefinitions';
const ga = directoryRoleIds.globalAdministrator;

describeEachDatabase(
  'Graph /roleManagement/directory/roleDefinitions',
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
    const customRole = (name: string, actions = ['microsoft.directory/users/basic/update']) => ({
      displayName: name,
      description: `${name} role`,
      isEnabled: true,
      rolePermissions: [{ allowedResourceActions: actions }],
    });
    const ids = (body: { value: { id: string }[] }) => body.value.map((r) => r.id);

    it('serves the built-in catalogue in Graph’s unifiedRoleDefinition shape, isPrivileged on v1.0 and beta', async () => {
      const all = await t.graph(userAdmin, 'GET', `${path}?$top=999`);
      expect(all.status).toBe(200);
      expect(all.body.value.length).toBe(directoryRoles.length);

      for (const version of ['v1.0', 'beta']) {
        const one = await t.graph(
          userAdmin,
          'GET',
          `/${version}/roleManagement/directory/roleDefinitions/${ga}`,
        );
        expect(one.body).toMatchObject({
          id: ga,
          displayName: 'Global Administrator',
          isBuiltIn: true,
          isEnabled: true,
          isPrivileged: true,
          resourceScopes: ['/'],
          templateId: ga,
          version: '1',
        });
        expect(one.body.rolePermissions).toHaveLength(1);
        expect(one.body.rolePermissions[0]).toMatchObject({ condition: null, excludedResourceActions: [] });
        expect(one.body.rolePermissions[0].allowedResourceActions).toContain(
          'microsoft.directory/roleAssignments/allProperties/allTasks',
        );
      }
      const expanded = await t.graph(
        userAdmin,
        'GET',
        `${path}/${ga}?$select=displayName&$expand=inheritsPermissionsFrom`,
      );
      expect(expanded.body).toEqual({
        '@odata.context': expect.stringMatching(/roleDefinitions\/\$entity$/),
        id: ga,
        displayName: 'Global Administrator',
        inheritsPermissionsFrom: [],
      });
      expect((await t.graph(userAdmin, 'GET', `${path}/3f2504e0-4f89-41d3-9a0c-0305e82c3301`)).status).toBe(
        404,
      );
    });

    it('filters on displayName (eq, in, startswith), isBuiltIn, isPrivileged, templateId and id, and pages', async () => {
      const q = async (query: string) => {
        const res = await t.graph(userAdmin, 'GET', `${path}?${query}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body;
      };
      expect(ids(await q(`$filter=displayName eq 'Global Administrator'`))).toEqual([ga]);
      expect(
        ids(await q(`$filter=displayName in ('Global Administrator', 'User Administrator')`)).sort(),
      ).toEqual([ga, directoryRoleIds.userAdministrator].sort());
      const security = await q(`$filter=startswith(displayName, 'Security ')&$select=displayName`);
      expect(
        security.value.every((r: { displayName: string }) => r.displayName.startsWith('Security ')),
      ).toBe(true);
      expect(Object.keys(security.value[0]).sort()).toEqual(['displayName', 'id']);
      expect(ids(await q(`$filter=templateId eq '${ga}'`))).toEqual([ga]);
      expect(ids(await q(`$filter=id eq '${ga.toUpperCase()}'`))).toEqual([ga]);
      const privileged = await q('$filter=isPrivileged eq true and isBuiltIn eq true&$count=true&$top=5');
      expect(privileged['@odata.count']).toBe(directoryRoles.filter((r) => r.isPrivileged).length);
      expect(privileged.value).toHaveLength(5);
      expect(privileged['@odata.nextLink']).toContain('$skiptoken=');
      const next = await t.graph(
        userAdmin,
        'GET',
        privileged['@odata.nextLink'].replace(/^https?:\/\/[^/]+/, ''),
      );
      expect(ids(next.body).some((id: string) => ids(privileged).includes(id))).toBe(false);

      const bad = await t.graph(userAdmin, 'GET', `${path}?$filter=description eq 'x'`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('description');
    });

    it('creates, updates and deletes a custom role, merged into the list and audited', async () => {
      // when a privileged role administrator creates a custom role
      const created = await t.graph(roleAdmin, 'POST', path, {
        ...customRole('Profile Editor', [
          'microsoft.directory/users/basic/update',
          'microsoft.directory/users/manager/update',
        ]),
        resourceScopes: ['/'],
      });

      // then it is served beside the built-ins, not privileged
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect(created.body).toMatchObject({
        displayName: 'Profile Editor',
        isBuiltIn: false,
        isEnabled: true,
        isPrivileged: false,
        templateId: id,
        rolePermissions: [
          {
            allowedResourceActions: [
              'microsoft.directory/users/basic/update',
              'microsoft.directory/users/manager/update',
            ],
            condition: null,
            excludedResourceActions: [],
          },
        ],
      });
      expect(ids((await t.graph(userAdmin, 'GET', `${path}?$filter=isBuiltIn eq false`)).body)).toContain(id);

      // when it gains a sensitive action it becomes privileged
      const patched = await t.graph(roleAdmin, 'PATCH', `${path}/${id}`, {
        displayName: 'Profile and Password Editor',
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/password/update'] }],
      });
      expect(patched.status).toBe(204);
      expect((await t.graph(userAdmin, 'GET', `${path}/${id}`)).body).toMatchObject({
        displayName: 'Profile and Password Editor',
        isPrivileged: true,
      });
      expect(await t.services.roleDefinitions.getRole(id)).toMatchObject({
        id,
        displayName: 'Profile and Password Editor',
        isEnabled: true,
        isBuiltIn: false,
        isPrivileged: true,
        allowedResourceActions: ['microsoft.directory/users/password/update'],
      });
      expect((await t.services.roleDefinitions.listRoles()).map((r) => r.id)).toContain(id);

      expect((await t.graph(roleAdmin, 'DELETE', `${path}/${id}`)).status).toBe(204);
      expect((await t.graph(userAdmin, 'GET', `${path}/${id}`)).status).toBe(404);
      expect(await t.services.roleDefinitions.findRole(id)).toBeUndefined();

      const audit = await auditOf(id);
      expect(audit.map((a) => a.activity_display_name)).toEqual([
        'Add role definition',
        'Update role definition',
        'Delete role definition',
      ]);
      expect(audit.every((a) => a.category === 'RoleManagement')).toBe(true);
    });

    it('uses a given templateId as the id', async () => {
      const templateId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
      const created = await t.graph(roleAdmin, 'POST', path, { ...customRole('Portable'), templateId });
      expect(created.body).toMatchObject({ id: templateId, templateId });
      const again = await t.graph(roleAdmin, 'POST', path, { ...customRole('Portable 2'), templateId });
      expect(again.status).toBe(400);
      expect(again.body.error.message).toContain('templateId');
    });

    it('refuses changing built-in roles, and deleting a custom role someone holds', async () => {
      for (const [method, body] of [
        ['PATCH', { description: 'mine now' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await t.graph(t.admin, method, `${path}/${ga}`, body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('Built-in role definitions cannot be modified');
      }

      const role = (await t.graph(roleAdmin, 'POST', path, customRole('Held'))).body;
      const now = t.clock.now();
      const scheduleId = t.services.ids.newId();
      await ctx.db.db
        .insertInto('schedules')
        .values({
          id: scheduleId,
          kind: 'eligibility',
          principal_id: userAdmin.id,
          principal_type: 'user',
          role_definition_id: role.id,
          scope_id: '/',
          assignment_type: null,
          start_at: now,
          end_at: null,
          status: 'Provisioned',
          created_using: scheduleId,
          activated_using: null,
          created_at: now,
          modified_at: now,
        })
        .execute();
      const refused = await t.graph(roleAdmin, 'DELETE', `${path}/${role.id}`);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('still used by 1 live assignment');
      expect((await t.graph(userAdmin, 'GET', `${path}/${role.id}`)).status).toBe(200);

      await ctx.db.db
        .updateTable('schedules')
        .set({ status: 'Revoked' })
        .where('id', '=', scheduleId)
        .execute();
      expect((await t.graph(roleAdmin, 'DELETE', `${path}/${role.id}`)).status).toBe(204);
    });

    it('refuses anyone but role administrators: 403 accessDenied, nothing changes', async () => {
      const role = (await t.graph(roleAdmin, 'POST', path, customRole('Guarded'))).body;
      for (const res of [
        await t.graph(userAdmin, 'POST', path, customRole('Sneaky')),
        await t.graph(userAdmin, 'PATCH', `${path}/${role.id}`, { displayName: 'Mine' }),
        await t.graph(userAdmin, 'DELETE', `${path}/${role.id}`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('accessDenied');
      }
      expect((await t.graph(userAdmin, 'GET', `${path}/${role.id}`)).body.displayName).toBe('Guarded');
      expect(
        await ctx.db.db
          .selectFrom('custom_role_definitions')
          .select('id')
          .where('display_name', '=', 'Sneaky')
          .execute(),
      ).toEqual([]);
      expect((await auditOf(role.id)).map((a) => a.activity_display_name)).toEqual(['Add role definition']);
    });

    it('answers bad input with 400 naming the field: duplicate names, invalid actions, unknown fields', async () => {
      await t.graph(roleAdmin, 'POST', path, customRole('Unique Name'));
      const cases: [unknown, string][] = [
        [customRole('global ADMINISTRATOR'), 'displayName'],
        [customRole('UNIQUE name'), 'displayName'],
        [
          customRole('Azure', ['microsoft.azure.serviceHealth/allEntities/allTasks']),
          'microsoft.azure.serviceHealth',
        ],
        [customRole('Bare', ['microsoft.directory/users']), "'microsoft.directory/users' must look like"],
        [customRole('Empty', []), 'allowedResourceActions'],
        [{ ...customRole('Typo'), isEnabeld: true }, 'isEnabeld'],
        [{ ...customRole('Types'), isEnabled: 'yes' }, 'isEnabled'],
        [
          {
            ...customRole('Cond'),
            rolePermissions: [
              { allowedResourceActions: ['microsoft.directory/users/basic/update'], condition: '@x' },
            ],
          },
          'condition',
        ],
        [{ displayName: 'No permissions' }, 'rolePermissions'],
      ];
      for (const [body, expected] of cases) {
        const res = await t.graph(roleAdmin, 'POST', path, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('invalidRequest');
        expect(res.body.error.message).toContain(expected);
      }
      const names = (
        await ctx.db.db.selectFrom('custom_role_definitions').select('display_name').execute()
      ).map((r) => r.display_name.toLowerCase());
      expect(names.filter((n) => n === 'unique name')).toHaveLength(1);
      expect(names).not.toContain('typo');
    });

    it('flags custom roles privileged by a rule that agrees with Entra on every built-in role it flags', () => {
      for (const role of directoryRoles) {
        if (role.allowedResourceActions.some(isPrivilegedAction))
          expect(role.isPrivileged, role.displayName).toBe(true);
      }
      expect(isPrivilegedAction('microsoft.directory/roleAssignments/standard/read')).toBe(false);
      expect(isPrivilegedAction('microsoft.directory/servicePrincipals/credentials/update')).toBe(true);
    });
  },
  { shared: true },
);
