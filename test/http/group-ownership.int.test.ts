import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const base = '/v1.0/identityGovernance/privilegedAccess/group';
const eligibilityRequests = `${base}/eligibilityScheduleRequests`;
const assignmentRequests = `${base}/assignmentScheduleRequests`;
const graphUrl = 'https://graph.microsoft.com/v1.0';
const ref = (user: TestUser) => ({ '@odata.id': `${graphUrl}/users/${user.id}` });

describeEachDatabase('group ownership is not a back door into a PIM-managed group', (ctx) => {
  let t: TestApp;
  let olivia: TestUser;
  let stan: TestUser;
  let carl: TestUser;
  let dan: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    olivia = await t.givenUser('Olivia');
    stan = await t.givenUser('Stan');
    carl = await t.givenUser('Carl');
    dan = await t.givenUser('Dan');
  });
  afterEach(() => t.close());

  const ownedGroup = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: name,
      mailNickname: name.toLowerCase().replace(/[^a-z0-9]/g, ''),
      securityEnabled: true,
      mailEnabled: false,
      'owners@odata.bind': [`${graphUrl}/users/${olivia.id}`],
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  const eligible = (as: TestUser, user: TestUser, groupId: string) =>
    t.graph(as, 'POST', eligibilityRequests, {
      accessId: 'member',
      principalId: user.id,
      groupId,
      action: 'adminAssign',
      justification: 'Project rota',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
    });
  const staticRelations = (groupId: string) =>
    ctx.db.db
      .selectFrom('group_relationships')
      .select(['relationship', 'principal_id'])
      .where('group_id', '=', groupId)
      .orderBy('relationship')
      .orderBy('principal_id')
      .execute();

  it('lets the owner govern membership through PIM, and refuses her (and other non-role-administrators) a direct change once PIM manages the group', async () => {
    const group = await ownedGroup('Project X');
    // Before PIM manages the group, its owner changes members directly, as Entra lets owners do
    expect((await t.graph(olivia, 'POST', `/v1.0/groups/${group.id}/members/$ref`, ref(carl))).status).toBe(
      204,
    );

    // The owner of an ordinary group may make someone eligible (PIM for Groups lets owners govern their group)
    const byOwner = await eligible(olivia, stan, group.id);
    expect(byOwner.status, JSON.stringify(byOwner.body)).toBe(201);
    // and sees the requests of her group
    const requests = await t.graph(olivia, 'GET', `${eligibilityRequests}?$filter=groupId eq '${group.id}'`);
    expect(requests.body.value).toEqual([
      expect.objectContaining({ principalId: stan.id, accessId: 'member' }),
    ]);

    // Now PIM manages the group: the owner can no longer add anyone directly, herself included
    const before = await staticRelations(group.id);
    for (const [what, res] of [
      ['add Dan', await t.graph(olivia, 'POST', `/v1.0/groups/${group.id}/members/$ref`, ref(dan))],
      ['add herself', await t.graph(olivia, 'POST', `/v1.0/groups/${group.id}/members/$ref`, ref(olivia))],
      ['remove Carl', await t.graph(olivia, 'DELETE', `/v1.0/groups/${group.id}/members/${carl.id}/$ref`)],
    ] as const) {
      expect(res.status, what).toBe(403);
      expect(res.body.error.code, what).toBe('accessDenied');
      expect(res.body.error.message, what).toContain('managed by PIM');
      expect(res.body.error.message, what).toContain('schedule request');
    }
    // nor can a Groups Administrator
    const groupsAdmin = await t.givenUser('Groups Admin', { roles: [roles.groupsAdministrator] });
    const byGroupsAdmin = await t.graph(
      groupsAdmin,
      'POST',
      `/v1.0/groups/${group.id}/members/$ref`,
      ref(dan),
    );
    expect(byGroupsAdmin.status).toBe(403);
    expect(byGroupsAdmin.body.error.message).toContain('managed by PIM');
    const ownerByGroupsAdmin = await t.graph(
      groupsAdmin,
      'POST',
      `/v1.0/groups/${group.id}/owners/$ref`,
      ref(dan),
    );
    expect(ownerByGroupsAdmin.status).toBe(403);
    expect(await staticRelations(group.id)).toEqual(before);

    // A Global Administrator still may
    expect((await t.graph(t.admin, 'POST', `/v1.0/groups/${group.id}/members/$ref`, ref(dan))).status).toBe(
      204,
    );
    expect(await staticRelations(group.id)).toHaveLength(before.length + 1);
  });

  it('keeps a role-assignable group to role administrators: its owner can neither make anyone eligible nor add members', async () => {
    const pag = await ownedGroup('PAG-FINANCE', { isAssignableToRole: true });
    const byOwner = await eligible(olivia, stan, pag.id);
    expect(byOwner.status).toBe(403);
    expect(byOwner.body.error.message).toContain('role-assignable');
    const selfAssign = await t.graph(olivia, 'POST', assignmentRequests, {
      accessId: 'member',
      principalId: olivia.id,
      groupId: pag.id,
      action: 'adminAssign',
      justification: 'Just for today',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT8H' } },
    });
    expect(selfAssign.status).toBe(403);
    expect((await t.graph(olivia, 'POST', `/v1.0/groups/${pag.id}/members/$ref`, ref(olivia))).status).toBe(
      403,
    );
    expect(await staticRelations(pag.id)).toEqual([{ relationship: 'owner', principal_id: olivia.id }]);
    const schedules = await ctx.db.db
      .selectFrom('schedules')
      .select('id')
      .where('target_kind', '=', 'group')
      .execute();
    expect(schedules).toEqual([]);
  });

  it('tells an administrator that a PIM membership ends through PIM, not by removing a reference', async () => {
    const group = await ownedGroup('Project Y');
    expect((await eligible(t.admin, stan, group.id)).status).toBe(201);
    const activated = await t.graph(stan, 'POST', assignmentRequests, {
      accessId: 'member',
      principalId: stan.id,
      groupId: group.id,
      action: 'selfActivate',
      justification: 'Deploy',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
    });
    expect(activated.status).toBe(201);
    const removal = await t.graph(t.admin, 'DELETE', `/v1.0/groups/${group.id}/members/${stan.id}/$ref`);
    expect(removal.status).toBe(400);
    expect(removal.body.error.message).toContain('through PIM');
    const ended = await t.graph(t.admin, 'POST', assignmentRequests, {
      accessId: 'member',
      principalId: stan.id,
      groupId: group.id,
      action: 'adminRemove',
    });
    expect(ended.status, JSON.stringify(ended.body)).toBe(201);
    expect((await t.graph(t.admin, 'GET', `/v1.0/groups/${group.id}/members`)).body.value).toEqual([]);

    // Deleting the group ends what PIM gave on it
    expect((await t.graph(t.admin, 'DELETE', `/v1.0/groups/${group.id}`)).status).toBe(204);
    const live = await ctx.db.db
      .selectFrom('schedules')
      .select('id')
      .where('target_kind', '=', 'group')
      .where('status', 'in', ['Scheduled', 'Provisioned'])
      .execute();
    expect(live).toEqual([]);
  });
});
