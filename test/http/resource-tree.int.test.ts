import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import {
  type ArmKit,
  armKit,
  auth,
  contributor,
  mgApi,
  mgPath,
  owner,
  pim,
  rgApi,
  rgPath,
  roleDefinitionId,
  subApi,
  subPath,
  userAccessAdministrator,
} from '../support/arm.js';
import { describeEachDatabase } from '../support/db.js';

const PROD = '22222222-bbbb-4bbb-8bbb-000000000001';
const VM = `${rgPath(PROD, 'rg-web')}/providers/Microsoft.Compute/virtualMachines/vm-web-01`;

describeEachDatabase('The resource tree over ARM: register, move, delete', (ctx) => {
  let t: TestApp;
  let arm: ArmKit;
  let stan: TestUser;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    arm = armKit(t);
    stan = await t.givenUser('Stan');
  });
  afterEach(() => t.close());

  const scopes = () =>
    ctx.db.db.selectFrom('resource_scopes').select(['id', 'parent_id']).orderBy('id').execute();

  it('registers management groups, subscriptions, resource groups and resources in ARM shapes, under the tenant root group by default', async () => {
    const root = mgPath(t.services.tenantId);
    const group = await arm.putGroup(t.admin, 'mg-contoso', undefined, 'Contoso');
    expect(group).toEqual({
      id: mgPath('mg-contoso'),
      type: 'Microsoft.Management/managementGroups',
      name: 'mg-contoso',
      properties: {
        tenantId: t.services.tenantId,
        displayName: 'Contoso',
        details: {
          parent: { id: root, name: t.services.tenantId, displayName: 'Tenant Root Group' },
          updatedTime: t.clock.now().toISOString(),
          updatedBy: null,
          version: 1,
        },
      },
    });
    const sub = await arm.putSubscription(t.admin, PROD.toUpperCase(), mgPath('mg-contoso'), 'sub-prod');
    expect(sub).toMatchObject({
      id: subPath(PROD),
      subscriptionId: PROD,
      displayName: 'sub-prod',
      state: 'Enabled',
      managementGroupId: 'mg-contoso',
    });
    const rg = await arm.ok(
      'PUT rg',
      arm.call(t.admin, 'PUT', `/subscriptions/${PROD}/resourcegroups/rg-web?${rgApi}`, {
        location: 'westeurope',
        tags: { env: 'prod' },
      }),
      201,
    );
    expect(rg).toEqual({
      id: rgPath(PROD, 'rg-web'),
      name: 'rg-web',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'westeurope',
      tags: { env: 'prod' },
      properties: { provisioningState: 'Succeeded' },
    });
    const vm = await arm.ok(
      'PUT vm',
      arm.call(t.admin, 'PUT', `${VM}?api-version=2024-03-01`, { location: 'westeurope' }),
      201,
    );
    expect(vm).toMatchObject({ id: VM, name: 'vm-web-01', type: 'Microsoft.Compute/virtualMachines' });
    // PUT again is an update (200; audited only when something changes), GET reads back, any letter case
    expect(
      (await arm.call(t.admin, 'PUT', `${VM}?api-version=2024-03-01`, { location: 'westeurope' })).status,
    ).toBe(200);
    const tagged = await arm.call(t.admin, 'PUT', `${VM}?api-version=2024-03-01`, { tags: { team: 'web' } });
    expect(tagged.body).toMatchObject({ location: 'westeurope', tags: { team: 'web' } });
    expect(
      (
        await arm.call(
          t.admin,
          'GET',
          `${VM.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/').replace('/PROVIDERS/', '/providers/')}?api-version=2024-03-01`,
        )
      ).status,
    ).toBe(200);
    const withChildren = await arm.ok(
      'GET root with children',
      arm.call(t.admin, 'GET', `${root}?${mgApi}&$expand=children`),
      200,
    );
    expect(withChildren.properties.children).toEqual([
      {
        id: mgPath('mg-contoso'),
        type: 'Microsoft.Management/managementGroups',
        name: 'mg-contoso',
        displayName: 'Contoso',
      },
    ]);
    // a scope whose parent is not registered is refused, and changes nothing
    const before = await scopes();
    const orphan = await arm.call(
      t.admin,
      'PUT',
      `/subscriptions/${PROD}/resourceGroups/rg-x/providers/Microsoft.Web/sites/app?api-version=2022-03-01`,
      {},
    );
    expect(orphan.status).toBe(404);
    expect(orphan.body.error.code).toBe('ResourceNotFound');
    const noParent = await arm.call(t.admin, 'PUT', `${mgPath('mg-x')}?${mgApi}`, {
      properties: { details: { parent: { id: mgPath('mg-missing') } } },
    });
    expect(noParent.status).toBe(400);
    expect(noParent.body.error.code).toBe('InvalidRequestContent');
    expect(await scopes()).toEqual(before);
    // the onboarding is audited under ResourceManagement in Entra's spelling
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'category', 'operation_type'])
      .where('category', '=', 'ResourceManagement')
      .execute();
    expect(audit.filter((a) => a.activity_display_name === 'Onboarded resource from PIM')).toHaveLength(4);
    expect(audit).toContainEqual({
      activity_display_name: 'Resource updated',
      category: 'ResourceManagement',
      operation_type: 'Update',
    });
  });

  it('moves management groups and subscriptions, refuses a cycle, and inheritance follows a move', async () => {
    await arm.elevate(t.admin);
    await arm.putGroup(t.admin, 'mg-a');
    await arm.putGroup(t.admin, 'mg-b', 'mg-a');
    await arm.putGroup(t.admin, 'mg-c', 'mg-b');
    await arm.putSubscription(t.admin, PROD, 'mg-c');
    await arm.assign(t.admin, mgPath('mg-a'), 'assignment', stan.id, owner, 'P30D');
    const before = await scopes();

    // a group under its own descendant: refused, nothing moves
    for (const parent of ['mg-c', 'mg-b', 'mg-a']) {
      const cycle = await arm.call(t.admin, 'PUT', `${mgPath('mg-a')}?${mgApi}`, {
        properties: { details: { parent: { id: mgPath(parent) } } },
      });
      expect(cycle.status, parent).toBe(400);
      expect(cycle.body.error.code).toBe('InvalidRequestContent');
    }
    // the tenant root group has no parent
    const rootMove = await arm.call(t.admin, 'PUT', `${mgPath(t.services.tenantId)}?${mgApi}`, {
      properties: { details: { parent: { id: mgPath('mg-a') } } },
    });
    expect(rootMove.status).toBe(400);
    expect(await scopes()).toEqual(before);

    // Stan (Owner at mg-a) manages the subscription below; move it out to a new group and he no longer does
    const give = (scope: string) =>
      arm.request(stan, scope, 'eligibility', {
        principalId: stan.id,
        roleDefinitionId: roleDefinitionId(contributor),
        requestType: 'AdminAssign',
        justification: 'x',
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P1D' } },
      });
    expect((await give(subPath(PROD))).status).toBe(201);
    await arm.putGroup(t.admin, 'mg-z');
    const moved = await arm.call(t.admin, 'PUT', `${subPath(PROD)}?${subApi}`, { managementGroupId: 'mg-z' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.managementGroupId).toBe('mg-z');
    const refused = await give(subPath(PROD));
    expect(refused.status).toBe(403);
    // moving needs authority under both parents: Stan cannot move it back under mg-a
    const back = await arm.call(
      stan,
      'PUT',
      `/providers/Microsoft.Management/managementGroups/mg-a/subscriptions/${PROD}?${mgApi}`,
    );
    expect(back.status).toBe(403);
    expect(back.body.error.code).toBe('AuthorizationFailed');
    // the administrator can, through ARM's management-group subscription link
    const link = await arm.ok(
      'link',
      arm.call(
        t.admin,
        'PUT',
        `/providers/Microsoft.Management/managementGroups/mg-a/subscriptions/${PROD}?${mgApi}`,
      ),
      200,
    );
    expect(link).toMatchObject({
      type: 'Microsoft.Management/managementGroups/subscriptions',
      name: PROD,
      properties: { parent: { id: mgPath('mg-a') } },
    });
    const moves = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'target_resources'])
      .where('activity_display_name', '=', 'Resource updated')
      .execute();
    expect(moves).toHaveLength(2);
    expect(JSON.stringify(moves[0]!.target_resources)).toContain('ParentId');
  });

  it('deletes only empty scopes without live schedules, and only for who manages the parent', async () => {
    await arm.elevate(t.admin);
    await arm.putGroup(t.admin, 'mg-a');
    await arm.putSubscription(t.admin, PROD, 'mg-a');
    await arm.putResourceGroup(t.admin, PROD, 'rg-web');
    const sub = subPath(PROD);
    const hasChildren = await arm.call(t.admin, 'DELETE', `${mgPath('mg-a')}?${mgApi}`);
    expect(hasChildren.status).toBe(400);
    expect(hasChildren.body.error.message).toContain('child scope');
    const eligible = await arm.assign(t.admin, rgPath(PROD, 'rg-web'), 'eligibility', stan.id, owner);
    const live = await arm.call(t.admin, 'DELETE', `${rgPath(PROD, 'rg-web')}?${rgApi}`);
    expect(live.status).toBe(400);
    expect(live.body.error.message).toContain('live eligible or active assignment');
    // a Contributor at the subscription cannot delete what is below it
    await arm.assign(t.admin, sub, 'assignment', stan.id, contributor, 'P1D');
    const byContributor = await arm.call(stan, 'DELETE', `${rgPath(PROD, 'rg-web')}?${rgApi}`);
    expect(byContributor.status).toBe(403);
    // remove the eligibility (AdminRemove), then the resource group goes, with its role settings
    const removed = await arm.request(t.admin, rgPath(PROD, 'rg-web'), 'eligibility', {
      principalId: stan.id,
      roleDefinitionId: roleDefinitionId(owner),
      requestType: 'AdminRemove',
      justification: 'Done',
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(201);
    expect(eligible.properties.status).toBe('Provisioned');
    expect((await arm.call(t.admin, 'DELETE', `${rgPath(PROD, 'rg-web')}?${rgApi}`)).status).toBe(200);
    expect((await arm.call(t.admin, 'GET', `${rgPath(PROD, 'rg-web')}?${rgApi}`)).status).toBe(404);
    expect(
      await ctx.db.db
        .selectFrom('role_management_policies')
        .select('id')
        .where('scope_id', '=', rgPath(PROD, 'rg-web').toLowerCase())
        .execute(),
    ).toEqual([]);
    const offboarded = await ctx.db.db
      .selectFrom('audit_log')
      .select(['operation_type'])
      .where('activity_display_name', '=', 'Offboarded resource from PIM')
      .execute();
    expect(offboarded).toEqual([{ operation_type: 'Delete' }]);
    // the tenant root group stays
    expect((await arm.call(t.admin, 'DELETE', `${mgPath(t.services.tenantId)}?${mgApi}`)).status).toBe(400);
  });

  it('lets an Owner or User Access Administrator of the parent register below it; a Contributor or nobody cannot, and unknown scopes are 404 for everyone', async () => {
    await arm.elevate(t.admin);
    await arm.putGroup(t.admin, 'mg-a');
    await arm.putSubscription(t.admin, PROD, 'mg-a');
    const carol = await t.givenUser('Carol');
    await arm.assign(t.admin, subPath(PROD), 'assignment', stan.id, userAccessAdministrator, 'P1D');
    await arm.assign(t.admin, subPath(PROD), 'assignment', carol.id, contributor, 'P1D');
    expect((await arm.call(stan, 'PUT', `${rgPath(PROD, 'rg-ops')}?${rgApi}`, {})).status).toBe(201);
    const byCarol = await arm.call(carol, 'PUT', `${rgPath(PROD, 'rg-dev')}?${rgApi}`, {});
    expect(byCarol.status).toBe(403);
    expect(byCarol.body.error.code).toBe('AuthorizationFailed');
    // Stan's role is at the subscription, not at the group: no new subscription under mg-a
    const newSub = await arm.call(
      stan,
      'PUT',
      `${subPath('22222222-bbbb-4bbb-8bbb-000000000009')}?${subApi}`,
      { managementGroupId: 'mg-a' },
    );
    expect(newSub.status).toBe(403);
    // readers see the tree, others find nothing there
    const dora = await t.givenUser('Dora');
    expect((await arm.call(carol, 'GET', `${subPath(PROD)}?${subApi}`)).status).toBe(200);
    const hidden = await arm.call(dora, 'GET', `${subPath(PROD)}?${subApi}`);
    const unknown = await arm.call(
      dora,
      'GET',
      `${subPath('22222222-bbbb-4bbb-8bbb-00000000000f')}?${subApi}`,
    );
    expect([hidden.status, unknown.status]).toEqual([404, 404]);
    expect(hidden.body.error.code).toBe(unknown.body.error.code);
    // and PIM at an unregistered scope is 404 too
    const atUnknown = await arm.call(
      t.admin,
      'GET',
      `${auth(rgPath(PROD, 'rg-none'), 'roleAssignmentScheduleRequests')}?${pim}`,
    );
    expect(atUnknown.status).toBe(404);
    expect(atUnknown.body).toEqual({
      error: { code: 'ResourceNotFound', message: expect.any(String), target: expect.any(String) },
    });
  });
});
