import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const graphUrl = 'https://graph.microsoft.com/v1.0';

describeEachDatabase(
  'Graph /groups',
  (ctx) => {
    let t: TestApp;
    let groupsAdmin: TestUser;
    let roleAdmin: TestUser;
    let plain: TestUser;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      t = await createTestApp(ctx.db);
      groupsAdmin = await t.givenUser('Groups Admin', { roles: [directoryRoleIds.groupsAdministrator] });
      roleAdmin = await t.givenUser('Role Admin', { roles: [directoryRoleIds.privilegedRoleAdministrator] });
      plain = await t.givenUser('Plain');
      alice = await t.givenUser('Alice');
      bob = await t.givenUser('Bob');
    });
    afterAll(() => t.close());

    const auditOf = (id: string) =>
      ctx.db.db
        .selectFrom('audit_log')
        .select(['activity_display_name', 'category', 'target_resources'])
        .where(sql<boolean>`target_ids @> array[${id}]::text[]`)
        .orderBy('sequence')
        .execute();
    const relationships = (groupId: string) =>
      ctx.db.db
        .selectFrom('group_relationships')
        .select(['relationship', 'principal_id', 'principal_type'])
        .where('group_id', '=', groupId)
        .orderBy('relationship')
        .orderBy('principal_id')
        .execute();
    const securityGroup = (name: string, extra: Record<string, unknown> = {}) => ({
      displayName: name,
      mailNickname: name.toLowerCase().replace(/[^a-z0-9]/g, ''),
      securityEnabled: true,
      mailEnabled: false,
      ...extra,
    });
    const newGroup = async (name: string, extra: Record<string, unknown> = {}, as: TestUser = t.admin) => {
      const res = await t.graph(as, 'POST', '/v1.0/groups', securityGroup(name, extra));
      expect(res.status).toBe(201);
      return res.body as { id: string; displayName: string };
    };

    it('creates, reads, updates and deletes a group, auditing each change', async () => {
      // when a groups administrator creates a security group
      const created = await t.graph(groupsAdmin, 'POST', '/v1.0/groups', {
        ...securityGroup('Helpdesk'),
        description: 'First line',
        groupTypes: [],
      });

      // then Graph's shape comes back
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        displayName: 'Helpdesk',
        mailNickname: 'helpdesk',
        description: 'First line',
        securityEnabled: true,
        mailEnabled: false,
        isAssignableToRole: false,
        groupTypes: [],
      });
      expect(created.body['@odata.context']).toMatch(/\/v1\.0\/\$metadata#groups\/\$entity$/);
      const id = created.body.id;

      expect(
        (
          await t.graph(groupsAdmin, 'PATCH', `/v1.0/groups/${id}`, {
            description: 'Tier 1',
            displayName: 'Help desk',
          })
        ).status,
      ).toBe(204);
      expect((await t.graph(plain, 'GET', `/v1.0/groups/${id}`)).body).toMatchObject({
        displayName: 'Help desk',
        description: 'Tier 1',
      });
      const list = await t.graph(
        plain,
        'GET',
        `/v1.0/groups?$filter=mailNickname eq 'helpdesk'&$select=displayName`,
      );
      expect(list.body.value).toEqual([{ id, displayName: 'Help desk' }]);

      expect((await t.graph(groupsAdmin, 'DELETE', `/v1.0/groups/${id}`)).status).toBe(204);
      expect((await t.graph(plain, 'GET', `/v1.0/groups/${id}`)).status).toBe(404);
      expect(await ctx.db.db.selectFrom('groups').select('id').where('id', '=', id).execute()).toEqual([]);

      const audit = await auditOf(id);
      expect(audit.map((a) => a.activity_display_name)).toEqual([
        'Add group',
        'Update group',
        'Delete group',
      ]);
      expect(audit.every((a) => a.category === 'GroupManagement')).toBe(true);
    });

    it('creates a Microsoft 365 group with members and owners bound at creation', async () => {
      const sp = (await t.graph(t.admin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Mail bot' }))
        .body;
      const created = await t.graph(groupsAdmin, 'POST', '/v1.0/groups', {
        displayName: 'Marketing',
        mailNickname: 'marketing',
        securityEnabled: false,
        mailEnabled: true,
        groupTypes: ['Unified'],
        'members@odata.bind': [
          `${graphUrl}/users/${alice.id}`,
          `https://example.test/beta/directoryObjects/${sp.id}`,
        ],
        'owners@odata.bind': [`${graphUrl}/users/${bob.id}`],
      });
      expect(created.status).toBe(201);
      expect(created.body.groupTypes).toEqual(['Unified']);
      const id = created.body.id;

      const members = await t.graph(plain, 'GET', `/v1.0/groups/${id}/members`);
      expect(members.status).toBe(200);
      expect(members.body.value).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            '@odata.type': '#microsoft.graph.user',
            id: alice.id,
            userPrincipalName: alice.upn,
          }),
          expect.objectContaining({
            '@odata.type': '#microsoft.graph.servicePrincipal',
            id: sp.id,
            appId: sp.appId,
          }),
        ]),
      );
      expect(members.body.value).toHaveLength(2);
      const owners = await t.graph(plain, 'GET', `/v1.0/groups/${id}/owners?$select=displayName`);
      expect(owners.body.value).toEqual([
        { '@odata.type': '#microsoft.graph.user', id: bob.id, displayName: 'Bob' },
      ]);

      const memberOf = await t.graph(plain, 'GET', `/v1.0/users/${alice.upn}/memberOf`);
      expect(memberOf.body.value).toEqual([
        expect.objectContaining({ '@odata.type': '#microsoft.graph.group', id, displayName: 'Marketing' }),
      ]);
      expect(
        (await t.graph(plain, 'GET', `/v1.0/servicePrincipals/${sp.id}/memberOf`)).body.value,
      ).toHaveLength(1);

      expect((await auditOf(alice.id)).map((a) => a.activity_display_name)).toContain('Add member to group');
      expect((await auditOf(bob.id)).map((a) => a.activity_display_name)).toContain('Add owner to group');
    });

    it('adds and removes members and owners by $ref, auditing each', async () => {
      const group = await newGroup('Ops');
      const nested = await newGroup('Ops nested');

      // when members are added by reference (any host, any directoryObject segment)
      for (const ref of [
        `${graphUrl}/directoryObjects/${alice.id}`,
        `http://localhost/v1.0/groups/${nested.id}`,
      ]) {
        const res = await t.graph(groupsAdmin, 'POST', `/v1.0/groups/${group.id}/members/$ref`, {
          '@odata.id': ref,
        });
        expect(res.status).toBe(204);
      }
      const owner = await t.graph(groupsAdmin, 'POST', `/v1.0/groups/${group.id}/owners/$ref`, {
        '@odata.id': `${graphUrl}/users/${bob.id}`,
      });
      expect(owner.status).toBe(204);

      // then the rows and the typed collection show them
      expect(await relationships(group.id)).toEqual(
        expect.arrayContaining([
          { relationship: 'member', principal_id: alice.id, principal_type: 'user' },
          { relationship: 'member', principal_id: nested.id, principal_type: 'group' },
          { relationship: 'owner', principal_id: bob.id, principal_type: 'user' },
        ]),
      );
      const groupsOnly = await t.graph(
        plain,
        'GET',
        `/v1.0/groups/${group.id}/members?$filter=isof('microsoft.graph.group')`,
      );
      expect(groupsOnly.body.value.map((m: { id: string }) => m.id)).toEqual([nested.id]);

      // when they are removed
      expect(
        (await t.graph(groupsAdmin, 'DELETE', `/v1.0/groups/${group.id}/members/${alice.id}/$ref`)).status,
      ).toBe(204);
      expect(
        (await t.graph(groupsAdmin, 'DELETE', `/v1.0/groups/${group.id}/owners/${bob.id}/$ref`)).status,
      ).toBe(204);
      const again = await t.graph(groupsAdmin, 'DELETE', `/v1.0/groups/${group.id}/members/${alice.id}/$ref`);
      expect(again.status).toBe(404);
      expect(await relationships(group.id)).toEqual([
        { relationship: 'member', principal_id: nested.id, principal_type: 'group' },
      ]);

      // then each change is in the audit log, the member as target and the group beside it
      const audit = (await auditOf(group.id)).map((a) => a.activity_display_name);
      expect(audit).toEqual(
        expect.arrayContaining([
          'Add member to group',
          'Add owner to group',
          'Remove member from group',
          'Remove owner from group',
        ]),
      );
      const removal = (await auditOf(alice.id)).find(
        (a) =>
          a.activity_display_name === 'Remove member from group' &&
          JSON.stringify(a.target_resources).includes(group.id),
      );
      expect(removal).toBeDefined();
      expect(removal!.category).toBe('GroupManagement');
      expect((removal!.target_resources as { id: string }[]).map((r) => r.id)).toEqual([alice.id, group.id]);
    });

    it("refuses bad references: Graph's duplicate message, unknown object 404, bad GUID 400, wrong kind 404", async () => {
      const group = await newGroup('Refs');
      const add = (ref: unknown) =>
        t.graph(t.admin, 'POST', `/v1.0/groups/${group.id}/members/$ref`, { '@odata.id': ref });
      expect((await add(`${graphUrl}/users/${alice.id}`)).status).toBe(204);

      const duplicate = await add(`${graphUrl}/directoryObjects/${alice.id}`);
      expect(duplicate.status).toBe(400);
      expect(duplicate.body.error.message).toBe(
        "One or more added object references already exist for the following modified properties: 'members'.",
      );

      const unknown = await add(`${graphUrl}/directoryObjects/3f2504e0-4f89-41d3-9a0c-0305e82c3301`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('Request_ResourceNotFound');

      const wrongKind = await add(`${graphUrl}/servicePrincipals/${bob.id}`);
      expect(wrongKind.status).toBe(404);

      const badGuid = await add(`${graphUrl}/directoryObjects/not-a-guid`);
      expect(badGuid.status).toBe(400);
      expect(badGuid.body.error.message).toContain('@odata.id');
      expect(badGuid.body.error.message).toContain('not-a-guid');

      const notUrl = await add('bob');
      expect(notUrl.status).toBe(400);
      expect(notUrl.body.error.message).toContain('@odata.id');

      const self = await add(`${graphUrl}/groups/${group.id}`);
      expect(self.status).toBe(400);

      const groupOwner = await t.graph(t.admin, 'POST', `/v1.0/groups/${group.id}/owners/$ref`, {
        '@odata.id': `${graphUrl}/groups/${(await newGroup('Owner group')).id}`,
      });
      expect(groupOwner.status).toBe(400);
      expect(groupOwner.body.error.message).toContain('owners must be users or service principals');

      expect(await relationships(group.id)).toEqual([
        { relationship: 'member', principal_id: alice.id, principal_type: 'user' },
      ]);
    });

    it('keeps role-assignable groups to role administrators and to Entra’s rules', async () => {
      // a groups administrator may not create one
      const denied = await t.graph(
        groupsAdmin,
        'POST',
        '/v1.0/groups',
        securityGroup('Tier0', { isAssignableToRole: true }),
      );
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('accessDenied');
      expect(
        await ctx.db.db.selectFrom('groups').select('id').where('display_name', '=', 'Tier0').execute(),
      ).toEqual([]);

      // a privileged role administrator may, with mail disabled
      const mailEnabled = await t.graph(roleAdmin, 'POST', '/v1.0/groups', {
        ...securityGroup('Tier0 mail', { isAssignableToRole: true }),
        mailEnabled: true,
        groupTypes: ['Unified'],
      });
      expect(mailEnabled.status).toBe(400);
      expect(mailEnabled.body.error.message).toContain('mailEnabled false');
      const pag = await newGroup(
        'Tier0 admins',
        { isAssignableToRole: true, 'owners@odata.bind': [`${graphUrl}/users/${bob.id}`] },
        roleAdmin,
      );

      // isAssignableToRole is fixed at creation
      const flip = await t.graph(t.admin, 'PATCH', `/v1.0/groups/${pag.id}`, { isAssignableToRole: false });
      expect(flip.status).toBe(400);
      expect(flip.body.error.message).toBe('isAssignableToRole cannot be changed after creation.');

      // it cannot contain groups
      const nest = await t.graph(roleAdmin, 'POST', `/v1.0/groups/${pag.id}/members/$ref`, {
        '@odata.id': `${graphUrl}/groups/${(await newGroup('Inner')).id}`,
      });
      expect(nest.status).toBe(400);
      expect(nest.body.error.message).toContain('cannot contain other groups');

      // only role administrators change its members, not groups administrators nor its owner
      for (const who of [groupsAdmin, bob]) {
        const res = await t.graph(who, 'POST', `/v1.0/groups/${pag.id}/members/$ref`, {
          '@odata.id': `${graphUrl}/users/${alice.id}`,
        });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('accessDenied');
      }
      for (const [method, url, body] of [
        ['PATCH', `/v1.0/groups/${pag.id}`, { description: 'x' }],
        ['DELETE', `/v1.0/groups/${pag.id}`, undefined],
      ] as const) {
        expect((await t.graph(groupsAdmin, method, url, body)).status).toBe(403);
      }
      expect(await relationships(pag.id)).toEqual([
        { relationship: 'owner', principal_id: bob.id, principal_type: 'user' },
      ]);
      expect(
        (
          await t.graph(roleAdmin, 'POST', `/v1.0/groups/${pag.id}/members/$ref`, {
            '@odata.id': `${graphUrl}/users/${alice.id}`,
          })
        ).status,
      ).toBe(204);
    });

    it('lets an owner change the members of an ordinary group, but not its owners; others get 403', async () => {
      const group = await newGroup('Project X', { 'owners@odata.bind': [`${graphUrl}/users/${bob.id}`] });
      const ref = { '@odata.id': `${graphUrl}/users/${alice.id}` };

      expect((await t.graph(bob, 'POST', `/v1.0/groups/${group.id}/members/$ref`, ref)).status).toBe(204);
      expect((await t.graph(bob, 'DELETE', `/v1.0/groups/${group.id}/members/${alice.id}/$ref`)).status).toBe(
        204,
      );

      const ownerChange = await t.graph(bob, 'POST', `/v1.0/groups/${group.id}/owners/$ref`, ref);
      expect(ownerChange.status).toBe(403);
      for (const res of [
        await t.graph(plain, 'POST', `/v1.0/groups/${group.id}/members/$ref`, ref),
        await t.graph(plain, 'POST', '/v1.0/groups', securityGroup('Plain group')),
        await t.graph(plain, 'PATCH', `/v1.0/groups/${group.id}`, { displayName: 'Mine' }),
        await t.graph(plain, 'DELETE', `/v1.0/groups/${group.id}`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('accessDenied');
      }
      expect(await relationships(group.id)).toEqual([
        { relationship: 'owner', principal_id: bob.id, principal_type: 'user' },
      ]);
      expect((await t.graph(plain, 'GET', `/v1.0/groups/${group.id}`)).body.displayName).toBe('Project X');
    });

    it('deleting a group drops its memberships both ways and ends the roles it holds', async () => {
      const outer = await newGroup('Outer');
      const group = await newGroup('Doomed', {
        'members@odata.bind': [`${graphUrl}/users/${alice.id}`],
        'owners@odata.bind': [`${graphUrl}/users/${bob.id}`],
      });
      await t.graph(t.admin, 'POST', `/v1.0/groups/${outer.id}/members/$ref`, {
        '@odata.id': `${graphUrl}/groups/${group.id}`,
      });
      const now = t.clock.now();
      const scheduleId = t.services.ids.newId();
      await ctx.db.db
        .insertInto('schedules')
        .values({
          id: scheduleId,
          kind: 'assignment',
          principal_id: group.id,
          principal_type: 'group',
          role_definition_id: directoryRoleIds.helpdeskAdministrator,
          scope_id: '/',
          assignment_type: 'Assigned',
          start_at: new Date(now.getTime() - 3_600_000),
          end_at: null,
          status: 'Provisioned',
          created_using: scheduleId,
          activated_using: null,
          created_at: now,
          modified_at: now,
        })
        .execute();

      expect((await t.graph(t.admin, 'DELETE', `/v1.0/groups/${group.id}`)).status).toBe(204);

      expect(
        await ctx.db.db
          .selectFrom('group_relationships')
          .select('group_id')
          .where((eb) => eb.or([eb('group_id', '=', group.id), eb('principal_id', '=', group.id)]))
          .execute(),
      ).toEqual([]);
      const schedule = await ctx.db.db
        .selectFrom('schedules')
        .select(['status', 'end_at'])
        .where('id', '=', scheduleId)
        .executeTakeFirstOrThrow();
      expect(schedule).toEqual({ status: 'Revoked', end_at: now });
    });

    it('answers bad input with 400 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ ...securityGroup('Typo'), visibilty: 'Private' }, 'visibilty'],
        [{ ...securityGroup('Wrong'), securityEnabled: 'yes' }, 'securityEnabled'],
        [{ ...securityGroup('Nick'), mailNickname: 'has space' }, 'mailNickname'],
        [{ ...securityGroup('Dynamic'), groupTypes: ['DynamicMembership'] }, 'groupTypes'],
        [{ ...securityGroup('Mail'), mailEnabled: true }, "groupTypes ['Unified']"],
        [
          { ...securityGroup('Bind'), 'members@odata.bind': ['https://graph.microsoft.com/v1.0/users/123'] },
          'members@odata.bind',
        ],
        [{ displayName: 'Missing' }, 'mailNickname'],
      ];
      for (const [body, field] of cases) {
        const res = await t.graph(t.admin, 'POST', '/v1.0/groups', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.message).toContain(field);
      }
      expect((await t.graph(t.admin, 'GET', '/v1.0/groups/not-a-guid')).status).toBe(400);
      expect(
        (await t.graph(t.admin, 'GET', '/v1.0/groups/3f2504e0-4f89-41d3-9a0c-0305e82c3301')).status,
      ).toBe(404);
      const names = (await ctx.db.db.selectFrom('groups').select('display_name').execute()).map(
        (g) => g.display_name,
      );
      expect(names).not.toContain('Typo');
    });
  },
  { shared: true },
);
