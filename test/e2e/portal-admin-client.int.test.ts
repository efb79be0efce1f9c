import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElevateClient, type ElevateClient } from '../../src/contracts/browser.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { Database } from '../../src/db/connect.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { armKit, contributor, reader } from '../support/arm.js';
import { createTestDatabase } from '../support/db.js';

/**
 * The calls the portal's Role settings, Audit and My roles (Azure resource roles) pages make, against the real
 * server on loopback.
 */
describe("the portal's settings, audit and resource-role calls", () => {
  let database: Database;
  let t: TestApp;
  let ada: TestUser;
  let adam: TestUser;
  let asAda: ElevateClient;
  let asAdam: ElevateClient;
  const subId = '8d2c1a3e-0b7c-4a53-9f5e-6a1b2c3d4e5f';
  const sub = `/subscriptions/${subId}`;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    t = await createTestApp(database);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    ada = await t.givenUser('Ada', { roles: [roles.privilegedRoleAdministrator] });
    adam = await t.givenUser('Adam');
    asAda = createElevateClient({ baseUrl, token: ada.token });
    asAdam = createElevateClient({ baseUrl, token: adam.token });

    const arm = armKit(t);
    await arm.elevate(t.admin);
    await arm.putGroup(t.admin, 'mg-contoso');
    await arm.putSubscription(t.admin, subId, 'mg-contoso', 'Payments');
    await arm.assign(t.admin, sub, 'eligibility', adam.id, contributor);
    await arm.assign(t.admin, sub, 'assignment', adam.id, reader, 'P30D');
  });

  afterAll(async () => {
    await t?.close();
    await database?.close();
  });

  it("reads a directory role's policy whole and saves several rules at once, or none", async () => {
    const target = {
      kind: 'directoryRole',
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
    } as const;
    const policy = await asAda.getTargetPolicy(target);
    expect(policy?.rules).toHaveLength(17);
    const byId = new Map(policy?.rules.map((r) => [r.id, r]));
    const expiration = byId.get('Expiration_EndUser_Assignment');
    const enablement = byId.get('Enablement_EndUser_Assignment');
    if (!policy || !expiration || !enablement) throw new Error('rules missing');

    await asAda.updatePolicyRules(policy.id, [
      { ...expiration, maximumDuration: 'PT2H' },
      { ...enablement, enabledRules: ['Justification', 'Ticketing'] },
    ]);
    const after = await asAda.getTargetPolicy(target);
    const rule = (id: string) => after?.rules.find((r) => r.id === id);
    expect(rule('Expiration_EndUser_Assignment')?.maximumDuration).toBe('PT2H');
    expect(rule('Enablement_EndUser_Assignment')?.enabledRules).toEqual(['Justification', 'Ticketing']);

    // One bad rule: nothing is saved, and the error names the rule and the field.
    await expect(
      asAda.updatePolicyRules(policy.id, [
        { ...expiration, maximumDuration: 'PT3H' },
        { ...enablement, enabledRules: ['Nonsense'] },
      ]),
    ).rejects.toThrow(/Enablement_EndUser_Assignment/);
    expect(
      (await asAda.getTargetPolicy(target))?.rules.find((r) => r.id === expiration.id)?.maximumDuration,
    ).toBe('PT2H');
    // Someone who is not a role administrator cannot.
    await expect(asAdam.updatePolicyRules(policy.id, [expiration])).rejects.toMatchObject({ status: 403 });
    await expect(
      asAda.getTargetPolicy({
        kind: 'group',
        groupId: '00000000-0000-0000-0000-00000000beef',
        accessId: 'member',
      }),
    ).rejects.toThrow(/does not name a group/);
  });

  it("reads an Azure role's settings at a scope in Graph's spelling and saves them back through ARM", async () => {
    expect((await asAda.listAzureRoles(sub)).map((r) => r.roleName)).toContain('Contributor');
    const policy = await asAdam.getResourcePolicy(sub, contributor);
    expect(policy?.rules).toHaveLength(17);
    const byId = new Map(policy?.rules.map((r) => [r.id, r]));
    const expiration = byId.get('Expiration_EndUser_Assignment');
    const approval = byId.get('Approval_EndUser_Assignment');
    if (!policy || !expiration || !approval) throw new Error('rules missing');
    expect(expiration['@odata.type']).toBe('#microsoft.graph.unifiedRoleManagementPolicyExpirationRule');

    const setting = approval.setting as { approvalStages: Record<string, unknown>[] };
    const withApprover = {
      ...approval,
      setting: {
        ...setting,
        isApprovalRequired: true,
        approvalStages: [
          {
            ...setting.approvalStages[0],
            primaryApprovers: [
              { '@odata.type': '#microsoft.graph.singleUser', userId: ada.id, description: null },
            ],
          },
        ],
      },
    };
    // The Global Administrator holds User Access Administrator at the root (elevated access).
    const asAdmin = createElevateClient({ baseUrl: asAda.baseUrl, token: t.admin.token });
    await asAdmin.updateResourcePolicyRules(sub, policy.id, [
      { ...expiration, maximumDuration: 'PT3H' },
      withApprover,
    ]);
    const after = await asAdam.getResourcePolicy(sub, contributor);
    const rule = (id: string) => after?.rules.find((r) => r.id === id);
    expect(rule('Expiration_EndUser_Assignment')?.maximumDuration).toBe('PT3H');
    expect(rule('Approval_EndUser_Assignment')?.setting).toMatchObject({
      isApprovalRequired: true,
      approvalStages: [
        {
          primaryApprovers: [
            { '@odata.type': '#microsoft.graph.singleUser', userId: ada.id, description: 'Ada' },
          ],
        },
      ],
    });
    // Adam holds no authority at the scope: refused, nothing changed.
    await expect(
      asAdam.updateResourcePolicyRules(sub, policy.id, [{ ...expiration, maximumDuration: 'PT1H' }]),
    ).rejects.toMatchObject({ status: 403 });
    expect(
      (
        await asAdam.getResourceActivationSettings(
          sub,
          rule('Expiration_EndUser_Assignment')
            ? `${sub}/providers/Microsoft.Authorization/roleDefinitions/${contributor}`
            : '',
        )
      ).maximumDuration,
    ).toBe('PT3H');
  });

  it('finds approvers and groups by the start of their name', async () => {
    const found = await asAda.searchPrincipals('Ad');
    expect(found.users.map((u) => u.displayName).sort()).toEqual(['Ada', 'Adam', 'Admin']);
    expect((await asAda.searchPrincipals('Ad', { users: false })).users).toEqual([]);
  });

  it('pages the audit log with a filter and a count, and downloads what the filter selects', async () => {
    const filter = "activityDisplayName eq 'Update role setting in PIM' and category eq 'RoleManagement'";
    const first = await asAda.pageDirectoryAudits({ filter, top: 1, count: true });
    expect(first.count).toBe(1);
    expect(first.items[0]?.targetResources[0]?.modifiedProperties?.length).toBeGreaterThan(0);
    const all = await asAda.pageDirectoryAudits({ top: 2, count: true });
    expect(all.nextLink).not.toBeNull();
    const second = await asAda.nextPage<{ id: string }>(all.nextLink ?? '');
    expect(second.items[0]?.id).not.toBe(all.items[0]?.id);

    const csv = await asAda.downloadAudit('csv', { filter });
    expect(csv.fileName).toMatch(/^elevate-audit-.*\.csv$/);
    const lines = (await csv.blob.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Update role setting in PIM');
    const json = JSON.parse(await (await asAda.downloadAudit('json', { filter })).blob.text());
    expect(json).toHaveLength(1);
    await expect(asAdam.downloadAudit('csv')).rejects.toMatchObject({ status: 403 });
  });

  it('lists my Azure resource roles at every scope, with scope and role names, and their activation settings', async () => {
    const eligible = await asAdam.listMyResourceInstances('eligibility');
    expect(eligible.map((i) => i.properties.expandedProperties?.roleDefinition?.displayName)).toEqual([
      'Contributor',
    ]);
    expect(eligible[0]?.properties).toMatchObject({
      scope: sub,
      principalId: adam.id,
      memberType: 'Direct',
      expandedProperties: { scope: { id: sub, displayName: 'Payments' } },
    });
    const active = await asAdam.listMyResourceInstances('assignment');
    expect(
      active.map((i) => [
        i.properties.expandedProperties?.roleDefinition?.displayName,
        i.properties.assignmentType,
      ]),
    ).toEqual([['Reader', 'Assigned']]);
    const settings = await asAdam.getResourceActivationSettings(
      sub,
      eligible[0]?.properties.roleDefinitionId ?? '',
    );
    expect(settings.maximumDuration).toMatch(/^PT\d+H$/);
    expect(typeof settings.requiresMfa).toBe('boolean');
    expect(await asAda.listMyResourceInstances('eligibility')).toEqual([]);
  });
});
