import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import { armKit, mgPath, owner, rgPath } from '../support/arm.js';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

const groups = '/v1.0/identityGovernance/privilegedAccess/group';
const resetPassword = 'microsoft.directory/users/password/update';

describe('elevate activate --group, deactivate --group, roles, access check, access explain', () => {
  let h: CliHarness;
  let adam: TestUser;
  let pag: { id: string; displayName: string };

  /** Sets what activating the group's membership requires (Enablement_EndUser_Assignment). */
  async function memberActivationRequires(enabledRules: string[]) {
    const found = await h.t.graph(
      h.t.admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${pag.id}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`,
    );
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    const patched = await h.t.graph(
      { ...h.t.admin, token: h.t.admin.mfaToken },
      'PATCH',
      `/v1.0/policies/roleManagementPolicies/${found.body.value[0].policyId}/rules/Enablement_EndUser_Assignment`,
      {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
        id: 'Enablement_EndUser_Assignment',
        enabledRules,
      },
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(204);
  }

  beforeEach(async () => {
    h = await startCliHarness();
    adam = await h.t.givenUser('Adam');
    // Given PAG-SERVICE-DESK: role-assignable, holding Helpdesk Administrator; Adam an eligible member
    const created = await h.t.graph(h.t.admin, 'POST', '/v1.0/groups', {
      displayName: 'PAG-SERVICE-DESK',
      mailNickname: 'pag-service-desk',
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    pag = created.body;
    const holds = await h.t.graph(
      h.t.admin,
      'POST',
      '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
      {
        action: 'adminAssign',
        principalId: pag.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'The service desk role',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    );
    expect(holds.status, JSON.stringify(holds.body)).toBe(201);
    const eligible = await h.t.graph(h.t.admin, 'POST', `${groups}/eligibilityScheduleRequests`, {
      accessId: 'member',
      principalId: adam.id,
      groupId: pag.id,
      action: 'adminAssign',
      justification: 'Service desk rota',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
    });
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
    await memberActivationRequires(['Justification']);
  });
  afterEach(() => h.close());

  it('activates the membership by group name, then access check allows the group’s role until the end and explain shows the path', async () => {
    const listed = await h.run(['roles'], { as: adam });
    expect(listed.stdout).toMatch(/Member of PAG-SERVICE-DESK\s+group\s+eligible\s+direct\s/);

    const activated = await h.run(
      ['activate', '--group', 'PAG-SERVICE-DESK', '--duration', 'PT2H', '--justification', 'Queue'],
      { as: adam },
    );
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.stdout).toMatch(/^Activated membership of PAG-SERVICE-DESK until .* \(in 2h\)\.\n/);
    const requestId = /request id ([0-9a-f-]{36})/.exec(activated.stdout)?.[1];
    expect(requestId).toBeDefined();
    const end = new Date(h.t.clock.now().getTime() + 2 * 3_600_000);

    const roleRows = await h.run(['roles', '--json'], { as: adam });
    expect(roleRows.json()).toContainEqual(
      expect.objectContaining({
        state: 'active',
        targetKind: 'group',
        roleDisplayName: 'Member of PAG-SERVICE-DESK',
        assignmentType: 'Activated',
        endDateTime: end.toISOString(),
      }),
    );

    // access check: ALLOW (exit 0) by role name and by action, DENY (exit 4) at the exact end
    const byRole = await h.run(['access', 'check', 'me', 'Helpdesk Administrator'], { as: adam });
    expect(byRole.code, byRole.stderr).toBe(0);
    expect(byRole.stdout).toMatch(
      /^ALLOW\nActive: 'Helpdesk Administrator' \(assigned\) through activated membership of group 'PAG-SERVICE-DESK'/,
    );
    const lastMs = new Date(end.getTime() - 1).toISOString();
    const beforeEnd = await h.run(['access', 'check', adam.upn, '--action', resetPassword, '--at', lastMs], {
      as: h.t.admin,
    });
    expect(beforeEnd.code, beforeEnd.stderr).toBe(0);
    const atEnd = await h.run(
      ['access', 'check', adam.id, '--action', resetPassword, '--at', end.toISOString()],
      {
        as: h.t.admin,
      },
    );
    expect(atEnd.code).toBe(4);
    expect(atEnd.stdout).toMatch(/^DENY\nNo active assignment of a role that allows/);
    expect(atEnd.stderr).toBe('');
    const json = await h.run(['access', 'check', 'me', '--action', resetPassword, '--json'], { as: adam });
    expect(json.json()).toMatchObject({
      allowed: true,
      via: { group: { displayName: 'PAG-SERVICE-DESK', membership: 'activated', createdUsing: requestId } },
    });

    // access explain: the group's role through the activated membership, with its request
    const explained = await h.run(['access', 'explain', 'me'], { as: adam });
    expect(explained.code, explained.stderr).toBe(0);
    const [heading, columns, row, ...rest] = explained.stdout.trimEnd().split('\n');
    expect(heading).toMatch(/^Adam \(user\) at \/, \d{4}-\d\d-\d\d \d\d:\d\d:$/);
    expect(columns).toMatch(/^STATE\s+ROLE\s+SCOPE\s+PATH\s+START\s+END\s+REQUEST$/);
    expect(row).toMatch(
      new RegExp(
        `^active\\s+Helpdesk Administrator\\s+/\\s+group PAG-SERVICE-DESK \\(activated membership, request ${requestId}\\)\\s+`,
      ),
    );
    expect(rest).toEqual([]);

    // deactivating early (after the five minutes Entra requires) ends it
    h.t.clock.advanceMinutes(10);
    const deactivated = await h.run(['deactivate', '--group', 'PAG-SERVICE-DESK'], { as: adam });
    expect(deactivated.code, deactivated.stderr).toBe(0);
    expect(deactivated.stdout).toBe('Deactivated membership of PAG-SERVICE-DESK.\n');
    expect((await h.run(['access', 'check', 'me', 'Helpdesk Administrator'], { as: adam })).code).toBe(4);
    // what is left is the eligible membership: the group's role explained as eligible through it
    const eligibleOnly = await h.run(['access', 'explain', 'me', '--json'], { as: adam });
    expect(eligibleOnly.json().grants).toEqual([
      expect.objectContaining({
        state: 'eligible',
        roleDisplayName: 'Helpdesk Administrator',
        group: expect.objectContaining({ membership: 'eligible' }),
      }),
    ]);
    const stranger = await h.t.givenUser('Stranger');
    const nothing = await h.run(['access', 'explain', stranger.upn], { as: h.t.admin });
    expect(nothing.stdout).toMatch(/^Stranger \(user\) at \/, .*: holds nothing here\.\n$/);
  });

  it('steps up with --totp when the group’s membership requires MFA', async () => {
    await memberActivationRequires(['MultiFactorAuthentication', 'Justification']);
    const refused = await h.run(['activate', '--group', pag.id, '--justification', 'Queue'], { as: adam });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--totp');
    const code = await h.t.nextTotp(adam);
    const ok = await h.run(['activate', '--group', pag.id, '--justification', 'Queue', '--totp', code], {
      as: adam,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Activated membership of PAG-SERVICE-DESK until /);
  });

  it('refuses what names no target, or two, as usage (exit 2); an unknown group and another principal’s access (exit 1)', async () => {
    for (const argv of [
      ['activate'],
      ['activate', 'Helpdesk Administrator', '--group', 'PAG-SERVICE-DESK'],
      ['activate', 'Helpdesk Administrator', '--owner'],
      ['activate', '--group', 'PAG-SERVICE-DESK', '--scope', '/'],
      ['activate', 'Nobody Role', '--scope', '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333'],
      ['deactivate'],
      ['access', 'check', 'me'],
      ['access', 'check', 'me', 'Helpdesk Administrator', '--action', resetPassword],
      ['access', 'check', 'me', '--action', resetPassword, '--at', 'yesterday'],
    ]) {
      const r = await h.run(argv, { as: adam });
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(2);
    }
    const unknown = await h.run(['activate', '--group', 'PAG-NOBODY', '--justification', 'x'], { as: adam });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      "elevate: No group is named 'PAG-NOBODY'; give its display name exactly, or its id\n",
    );
    const nosy = await h.run(['access', 'explain', h.t.admin.upn], { as: adam });
    expect(nosy.code).toBe(1);
    expect(nosy.stderr).toMatch(/^elevate: Insufficient privileges to see another principal's access/);
  });

  it('activates an Azure role at a management group through the ARM-shaped API; access check then follows the resource tree', async () => {
    // Given a tree (mg-contoso → sub-prod → rg-web; mg-other → sub-other → rg-web) and Adam eligible for
    // Owner at mg-contoso, whose Owner settings ask for a justification only
    const arm = armKit(h.t);
    const prod = '11111111-aaaa-4aaa-8aaa-000000000001';
    const other = '11111111-aaaa-4aaa-8aaa-000000000003';
    await arm.elevate(h.t.admin);
    await arm.putGroup(h.t.admin, 'mg-contoso');
    await arm.putGroup(h.t.admin, 'mg-other');
    await arm.putSubscription(h.t.admin, prod, 'mg-contoso', 'sub-prod');
    await arm.putSubscription(h.t.admin, other, 'mg-other', 'sub-other');
    await arm.putResourceGroup(h.t.admin, prod, 'rg-web');
    await arm.putResourceGroup(h.t.admin, other, 'rg-web');
    const mg = mgPath('mg-contoso');
    await arm.justificationOnly(h.t.admin, mg, owner, 'PT2H');
    await arm.assign(h.t.admin, mg, 'eligibility', adam.id, owner);

    // When he activates Owner there with the CLI
    const activated = await h.run(
      ['activate', 'Owner', '--scope', mg, '--duration', 'PT1H', '--justification', 'Rotate keys'],
      { as: adam },
    );
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.stdout).toMatch(
      /^Activated Owner at \/providers\/Microsoft\.Management\/managementGroups\/mg-contoso until .* \(in 1h\)\.\n/,
    );

    // Then access check allows it in a resource group beneath, by role and by action, and not in a sibling branch
    const web = rgPath(prod, 'rg-web');
    const byRole = await h.run(['access', 'check', 'me', 'Owner', '--scope', web], { as: adam });
    expect(byRole.code, byRole.stdout).toBe(0);
    expect(byRole.stdout).toContain(`inherited at '${web.toLowerCase()}'`);
    const vmStart = ['--action', 'Microsoft.Compute/virtualMachines/start/action'];
    expect((await h.run(['access', 'check', 'me', ...vmStart, '--scope', web], { as: adam })).code).toBe(0);
    const sibling = await h.run(['access', 'check', 'me', ...vmStart, '--scope', rgPath(other, 'rg-web')], {
      as: adam,
    });
    expect(sibling.code).toBe(4);

    // and deactivating it (after five minutes) ends it
    h.t.clock.advanceMinutes(10);
    const deactivated = await h.run(['deactivate', 'Owner', '--scope', mg], { as: adam });
    expect(deactivated.code, deactivated.stderr).toBe(0);
    expect(deactivated.stdout).toMatch(/^Deactivated Owner at /);
    expect((await h.run(['access', 'check', 'me', 'Owner', '--scope', web], { as: adam })).code).toBe(4);
  });
});
