import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import {
  type ArmKit,
  armKit,
  auth,
  contributor,
  mgPath,
  owner,
  pim,
  rgPath,
  roleDefinitionId,
  subPath,
  userAccessAdministrator,
} from '../support/arm.js';
import { describeEachDatabase } from '../support/db.js';

const PROD = '11111111-aaaa-4aaa-8aaa-000000000001';
const DEV = '11111111-aaaa-4aaa-8aaa-000000000002';
const OTHER = '11111111-aaaa-4aaa-8aaa-000000000003';
const MG = mgPath('mg-contoso');
const RG_WEB = rgPath(PROD, 'rg-web');

describeEachDatabase('Azure resource roles over the ARM-shaped API: inheritance down the tree', (ctx) => {
  let t: TestApp;
  let arm: ArmKit;
  let stan: TestUser;
  let olivia: TestUser;

  /**
   * mg-contoso → sub-prod (→ rg-web, rg-data), sub-dev; mg-other → sub-other (→ rg-web). The Global
   * Administrator elevates access to build it and hand out roles.
   */
  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    arm = armKit(t);
    stan = await t.givenUser('Stan');
    olivia = await t.givenUser('Olivia');
    await arm.elevate(t.admin);
    await arm.putGroup(t.admin, 'mg-contoso');
    await arm.putGroup(t.admin, 'mg-other');
    await arm.putSubscription(t.admin, PROD, 'mg-contoso', 'sub-prod');
    await arm.putSubscription(t.admin, DEV, 'mg-contoso', 'sub-dev');
    await arm.putSubscription(t.admin, OTHER, 'mg-other', 'sub-other');
    await arm.putResourceGroup(t.admin, PROD, 'rg-web');
    await arm.putResourceGroup(t.admin, PROD, 'rg-data');
    await arm.putResourceGroup(t.admin, OTHER, 'rg-web');
  });
  afterEach(() => t.close());

  /** The instances listed at a scope, without the elevated administrator's own (User Access Administrator at `/`). */
  const instancesAt = async (user: TestUser, scope: string, filter: string) => {
    const body = await arm.ok(
      `instances at ${scope}`,
      arm.call(user, 'GET', `${auth(scope, 'roleAssignmentScheduleInstances')}?${pim}&$filter=${filter}`),
      200,
    );
    return { ...body, value: body.value.filter((v: any) => v.properties.principalId !== t.admin.id) };
  };

  it('an Owner eligibility at a management group, activated, is inherited by a resource group beneath it and not by a sibling branch; it ends at its exact end', async () => {
    // Given Stan is eligible for Owner at mg-contoso, whose Owner settings ask for a justification only
    await arm.justificationOnly(t.admin, MG, owner, 'PT2H');
    const eligibility = await arm.assign(t.admin, MG, 'eligibility', stan.id, owner);
    expect(eligibility.properties).toMatchObject({
      scope: MG,
      requestType: 'AdminAssign',
      status: 'Provisioned',
      principalType: 'User',
      roleDefinitionId: `${MG}${roleDefinitionId(owner)}`,
      expandedProperties: {
        scope: { id: MG, displayName: 'mg-contoso', type: 'managementgroup' },
        roleDefinition: { displayName: 'Owner', type: 'BuiltInRole' },
        principal: { id: stan.id, displayName: 'Stan', type: 'User' },
      },
    });
    // an eligibility grants nothing: no instance anywhere
    expect((await instancesAt(t.admin, RG_WEB, 'atScope()')).value).toEqual([]);

    // An eligibility is activated at its own scope (research §9.4): not at a scope below it
    const belowActivation = await arm.request(stan, RG_WEB, 'assignment', {
      principalId: stan.id,
      roleDefinitionId: roleDefinitionId(owner),
      requestType: 'SelfActivate',
      justification: 'Rotate the storage keys',
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } },
    });
    expect(belowActivation.status).toBe(400);
    expect(belowActivation.body.error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    expect(belowActivation.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'EligibilityRule', target: 'EligibilityRule' }),
      ]),
    );

    // When Stan activates it, at the management group, for one hour
    const name = '9d1a4c2e-7b3f-4e6a-9c1d-2f3e4a5b6c7d';
    const activated = await arm.request(
      stan,
      MG,
      'assignment',
      {
        principalId: stan.id,
        roleDefinitionId: `${MG}${roleDefinitionId(owner)}`,
        requestType: 'SelfActivate',
        linkedRoleEligibilityScheduleId: eligibility.properties.targetRoleEligibilityScheduleId,
        justification: 'Rotate the storage keys',
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } },
      },
      name,
    );
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    expect(activated.body).toMatchObject({
      name,
      id: `${MG}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}`,
      type: 'Microsoft.Authorization/RoleAssignmentScheduleRequests',
      properties: {
        status: 'Provisioned',
        requestType: 'SelfActivate',
        targetRoleAssignmentScheduleId: name,
        linkedRoleEligibilityScheduleId: eligibility.properties.targetRoleEligibilityScheduleId,
        requestorId: stan.id,
        justification: 'Rotate the storage keys',
      },
    });
    const end = new Date(t.clock.now().getTime() + 3_600_000);

    // Then a resource group beneath the management group sees it, inherited, through atScope() …
    const below = await instancesAt(t.admin, RG_WEB, 'atScope()');
    expect(below.value).toEqual([
      expect.objectContaining({
        name,
        properties: expect.objectContaining({
          scope: MG,
          principalId: stan.id,
          assignmentType: 'Activated',
          memberType: 'Inherited',
          endDateTime: end.toISOString(),
          roleAssignmentScheduleId: `${MG}/providers/Microsoft.Authorization/roleAssignmentSchedules/${name}`,
        }),
      }),
    ]);
    // … and so does Stan himself, asking for what is his there
    expect((await instancesAt(stan, RG_WEB, 'asTarget()')).value).toEqual([
      expect.objectContaining({ name, properties: expect.objectContaining({ memberType: 'Inherited' }) }),
    ]);
    // while the sibling branch (mg-other → sub-other → its own rg-web) does not
    expect((await instancesAt(t.admin, rgPath(OTHER, 'rg-web'), 'atScope()')).value).toEqual([]);
    expect((await instancesAt(t.admin, subPath(OTHER), `principalId eq '${stan.id}'`)).value).toEqual([]);
    // principalId eq looks above and below: from the subscription (below the group) and the tenant root (above)
    expect((await instancesAt(t.admin, subPath(PROD), `principalId eq '${stan.id}'`)).value).toHaveLength(1);
    expect(
      (await instancesAt(t.admin, mgPath(t.services.tenantId), `principalId eq '${stan.id}'`)).value,
    ).toHaveLength(1);
    // atScope() never looks below
    expect((await instancesAt(t.admin, mgPath(t.services.tenantId), 'atScope()')).value).not.toContainEqual(
      expect.objectContaining({ name }),
    );

    // And being Owner at the group, Stan now manages assignments in the resource group below it
    const delegated = await arm.assign(stan, RG_WEB, 'assignment', olivia.id, contributor, 'P30D');
    expect(delegated.properties).toMatchObject({ status: 'Provisioned', scope: RG_WEB });

    // When the window ends (the exact instant, scheduler not run), the activation is gone everywhere
    t.clock.set(new Date(end.getTime() - 1));
    expect((await instancesAt(stan, RG_WEB, 'asTarget()')).value).toHaveLength(1);
    t.clock.set(end);
    expect((await instancesAt(stan, RG_WEB, 'asTarget()')).value).toEqual([]);
    const afterEnd = await arm.request(stan, RG_WEB, 'assignment', {
      principalId: olivia.id,
      roleDefinitionId: roleDefinitionId(contributor),
      requestType: 'AdminAssign',
      justification: 'Too late',
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P1D' } },
    });
    expect(afterEnd.status).toBe(403);
    expect(afterEnd.body.error.code).toBe('AuthorizationFailed');

    // and the tick records the expiry once, under ResourceManagement
    expect(await t.services.scheduler.tick()).toMatchObject({ expired: 1 });
    expect(await t.services.scheduler.tick()).toMatchObject({ total: 0 });
    const records = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'category', 'target_resources'])
      .where('category', '=', 'ResourceManagement')
      .orderBy('sequence')
      .execute();
    expect(records.map((r) => r.activity_display_name)).toEqual(
      expect.arrayContaining([
        'Onboarded resource from PIM',
        'Update role setting in PIM',
        'Add eligible member to role in PIM completed (timebound)',
        'Add member to role requested (PIM activation)',
        'Add member to role completed (PIM activation)',
        'Remove member from role (PIM activation expired)',
      ]),
    );
    const expired = records.find((r) => r.activity_display_name.includes('activation expired'));
    expect(expired?.target_resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Role', id: owner }),
        expect.objectContaining({ type: 'Other', id: MG.toLowerCase() }),
      ]),
    );
  });

  it('Owner or User Access Administrator at a parent manage assignments at a child; a Contributor or a Global Administrator who has not elevated cannot', async () => {
    const carol = await t.givenUser('Carol');
    const ga = await t.givenUser('Gail', { roles: ['62e90394-69f5-4237-9190-012177145e10'] });
    await arm.assign(t.admin, subPath(PROD), 'assignment', olivia.id, userAccessAdministrator, 'P30D');
    await arm.assign(t.admin, subPath(PROD), 'assignment', carol.id, contributor, 'P30D');
    const give = (who: TestUser, scope: string) =>
      arm.request(who, scope, 'eligibility', {
        principalId: stan.id,
        roleDefinitionId: roleDefinitionId(owner),
        requestType: 'AdminAssign',
        justification: 'On-call',
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P30D' } },
      });

    // the UAA at the subscription manages the resource group below it
    const byUaa = await give(olivia, RG_WEB);
    expect(byUaa.status, JSON.stringify(byUaa.body)).toBe(201);
    // but not the sibling subscription, nor the management group above
    for (const scope of [subPath(DEV), MG]) {
      const refused = await give(olivia, scope);
      expect(refused.status, scope).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'AuthorizationFailed' });
    }
    // a Contributor holds '*' but not Microsoft.Authorization/*/Write
    const byContributor = await give(carol, RG_WEB);
    expect(byContributor.status).toBe(403);
    expect(byContributor.body.error.code).toBe('AuthorizationFailed');
    expect(byContributor.body.error.message).toContain('Microsoft.Authorization/roleAssignments/write');
    // a Global Administrator needs to elevate first (ARM semantics), and the message says so
    const byGa = await give(ga, RG_WEB);
    expect(byGa.status).toBe(403);
    expect(byGa.body.error.message).toContain('elevateAccess');
    await arm.elevate(ga);
    expect((await give(ga, subPath(DEV))).status).toBe(201);
    // nobody else elevates
    const notGa = await arm.call(
      olivia,
      'POST',
      '/providers/Microsoft.Authorization/elevateAccess?api-version=2016-07-01',
    );
    expect(notGa.status).toBe(403);
    expect(notGa.body.error.code).toBe('AuthorizationFailed');

    // the refusals changed nothing
    const rows = await ctx.db.db
      .selectFrom('schedules')
      .select(['principal_id', 'role_definition_id', 'scope_id', 'kind'])
      .where('principal_id', '=', stan.id)
      .execute();
    expect(rows).toHaveLength(2);
  });

  it('lists with asTarget(), asRequestor(), principalId and atScope(), pages with nextLink, and reads single items only at their own scope', async () => {
    for (const scope of [MG, subPath(PROD), RG_WEB]) {
      await arm.assign(t.admin, scope, 'eligibility', stan.id, owner);
    }
    await arm.assign(t.admin, subPath(DEV), 'eligibility', olivia.id, contributor);
    const list = (user: TestUser, scope: string, filter?: string, extra = '') =>
      arm.ok(
        'list',
        arm.call(
          user,
          'GET',
          `${auth(scope, 'roleEligibilitySchedules')}?${pim}${filter ? `&$filter=${filter}` : ''}${extra}`,
        ),
        200,
      );
    // Stan sees his three from the subscription: one above, one at, one below
    const mine = await list(stan, subPath(PROD), 'asTarget()');
    expect(mine.value.map((v: any) => v.properties.memberType).sort()).toEqual([
      'Direct',
      'Direct',
      'Inherited',
    ]);
    expect((await list(stan, subPath(PROD), 'atScope()')).value).toHaveLength(2);
    // he does not see Olivia's (no role of his is active anywhere)
    expect((await list(stan, MG)).value).toHaveLength(3);
    // the elevated administrator sees all four from the group, two pages of three then one
    const first = await list(t.admin, MG, undefined, '&$top=3');
    expect(first.value).toHaveLength(3);
    expect(first.nextLink).toMatch(
      /^http:\/\/[^/]+\/providers\/Microsoft\.Management\/managementGroups\/mg-contoso\/providers\/Microsoft\.Authorization\/roleEligibilitySchedules\?/,
    );
    expect(first['@odata.nextLink']).toBeUndefined();
    const next = await arm.ok(
      'next page',
      arm.call(t.admin, 'GET', first.nextLink.replace(/^http:\/\/[^/]+/, '')),
      200,
    );
    expect(next.value).toHaveLength(1);
    expect(next.nextLink).toBeUndefined();
    expect((await list(t.admin, MG, `principalId eq '${olivia.id}'`)).value).toHaveLength(1);
    // requests: asRequestor() for the administrator who made them
    const made = await arm.ok(
      'requests',
      arm.call(t.admin, 'GET', `${auth(MG, 'roleEligibilityScheduleRequests')}?${pim}&$filter=asRequestor()`),
      200,
    );
    expect(made.value).toHaveLength(4);
    // a single schedule is found at its own scope, not at another
    const one = mine.value.find((v: any) => v.properties.scope === RG_WEB);
    const at = await arm.call(stan, 'GET', `${auth(RG_WEB, `roleEligibilitySchedules/${one.name}`)}?${pim}`);
    expect(at.status).toBe(200);
    expect(at.body.properties.roleEligibilityScheduleRequestId).toContain('roleEligibilityScheduleRequests/');
    const elsewhere = await arm.call(
      stan,
      'GET',
      `${auth(subPath(PROD), `roleEligibilitySchedules/${one.name}`)}?${pim}`,
    );
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.code).toBe('ResourceNotFound');
  });
});
