import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/app.js';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

describe('elevate assign, unassign, settings', () => {
  let h: CliHarness;
  let adam: TestUser;

  beforeEach(async () => {
    h = await startCliHarness();
    adam = await h.t.givenUser('Adam');
  });
  afterEach(() => h.close());

  const rolesOf = async (user: TestUser) => (await h.run(['roles', '--json'], { as: user })).json();

  it('assigns eligible and active roles to a user by UPN and removes them again', async () => {
    const eligible = await h.run(
      ['assign', 'adam@elevate.test', 'Exchange Administrator', '--eligible', '--duration', 'P90D'],
      {
        as: h.t.admin,
      },
    );
    expect(eligible.code, eligible.stderr).toBe(0);
    expect(eligible.stdout).toMatch(
      /^Assigned Exchange Administrator at \/ to adam@elevate.test \(eligible\) until 2026-04-0\d \d\d:00 \(in 90d\)\.\n/,
    );
    const active = await h.run(
      [
        'assign',
        'adam@elevate.test',
        'Global Reader',
        '--active',
        '--end',
        '2026-02-01T00:00:00Z',
        '--justification',
        'Audit season',
        '--json',
      ],
      { as: h.t.admin },
    );
    expect(active.code, active.stderr).toBe(0);
    expect(active.json()).toMatchObject({
      kind: 'assignment',
      action: 'adminAssign',
      status: 'Provisioned',
      roleDisplayName: 'Global Reader',
      principal: 'adam@elevate.test',
      endDateTime: '2026-02-01T00:00:00.000Z',
    });
    expect(await rolesOf(adam)).toEqual([
      expect.objectContaining({
        roleDisplayName: 'Exchange Administrator',
        state: 'eligible',
        endDateTime: '2026-04-05T09:00:00.000Z',
      }),
      expect.objectContaining({
        roleDisplayName: 'Global Reader',
        state: 'active',
        assignmentType: 'Assigned',
      }),
    ]);

    const removeActive = await h.run(['unassign', adam.id, 'Global Reader', '--active'], { as: h.t.admin });
    expect(removeActive.code, removeActive.stderr).toBe(0);
    expect(removeActive.stdout).toContain(
      'Removed the active assignment of Global Reader at / from adam@elevate.test.',
    );
    const removeEligible = await h.run(['unassign', 'adam@elevate.test', 'exchange admin', '--eligible'], {
      as: h.t.admin,
    });
    expect(removeEligible.code, removeEligible.stderr).toBe(0);
    expect(await rolesOf(adam)).toEqual([]);
  });

  it('assigns a role-assignable group by id', async () => {
    const group = await h.t.graph(h.t.admin, 'POST', '/v1.0/groups', {
      displayName: 'Helpdesk Tier 1',
      mailNickname: 'helpdesk-t1',
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: true,
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const r = await h.run(['assign', group.body.id, 'Helpdesk Administrator', '--eligible'], {
      as: h.t.admin,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('to Helpdesk Tier 1 (eligible) permanently.');
  });

  it('reports what the server refuses with exit 1: an unknown user, a caller who is no administrator, a second identical assignment', async () => {
    const unknown = await h.run(['assign', 'nobody@elevate.test', 'Helpdesk Administrator', '--eligible'], {
      as: h.t.admin,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("elevate: No user has the user principal name 'nobody@elevate.test'\n");

    const notAdmin = await h.run(['assign', 'adam@elevate.test', 'Helpdesk Administrator', '--eligible'], {
      as: adam,
    });
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.stderr).toMatch(/^elevate: .*(Privileged Role Administrator|Global Administrator)/);

    const args = ['assign', 'adam@elevate.test', 'Helpdesk Administrator', '--eligible'];
    expect((await h.run(args, { as: h.t.admin })).code).toBe(0);
    const again = await h.run(args, { as: h.t.admin });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^elevate: .+/);
  });

  it('shows settings, changes them with one PATCH per changed rule, and the new rules hold', async () => {
    const grace = await h.t.givenUser('Grace');
    const show = await h.run(['settings', 'show', 'Helpdesk Administrator'], { as: adam });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^Helpdesk Administrator — settings at scope \/ \(policy .+\)\nActivation\n/);
    expect(show.stdout).toMatch(/ {2}Maximum duration\s+8 hours \(PT8H\)\n/);
    expect(show.stdout).toMatch(/ {2}Require MFA\s+yes\n/);
    expect(show.stdout).toMatch(/ {2}Approvers\s+Privileged Role Administrators and Global Administrators\n/);
    expect(show.stdout).toMatch(/ {2}Eligible\s+permanent allowed; time-bound up to 365 days \(P365D\)\n/);

    const rules = (await h.run(['settings', 'show', 'helpdesk', '--json'], { as: adam })).json();
    expect(rules).toHaveLength(17);
    expect(rules.find((r: { id: string }) => r.id === 'Expiration_EndUser_Assignment')).toMatchObject({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      maximumDuration: 'PT8H',
    });

    const set = await h.run(
      [
        'settings',
        'set',
        'Helpdesk Administrator',
        '--max-duration',
        'PT4H',
        '--require-mfa',
        'off',
        '--require-ticket',
        'on',
        '--require-approval',
        'on',
        '--approver',
        grace.upn,
        '--eligible-max',
        'P30D',
        '--allow-permanent-eligible',
        'off',
      ],
      { as: h.t.admin },
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.split('\n')[0]).toBe(
      'Updated Expiration_EndUser_Assignment, Enablement_EndUser_Assignment, Approval_EndUser_Assignment, Expiration_Admin_Eligibility.',
    );
    expect(set.stdout).toMatch(/ {2}Maximum duration\s+4 hours \(PT4H\)\n/);
    expect(set.stdout).toMatch(/ {2}Require MFA\s+no\n/);
    expect(set.stdout).toMatch(/ {2}Require ticket\s+yes\n/);
    expect(set.stdout).toMatch(/ {2}Approvers\s+grace@elevate.test\n/);
    expect(set.stdout).toMatch(/ {2}Eligible\s+must end within 30 days \(P30D\)\n/);

    const again = await h.run(
      ['settings', 'set', 'helpdesk', '--approver', grace.id, '--max-duration', 'pt4h'],
      {
        as: h.t.admin,
      },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe('Nothing to change: the settings already say so.');

    const json = await h.run(['settings', 'set', 'helpdesk', '--require-ticket', 'off', '--json'], {
      as: h.t.admin,
    });
    expect(json.json()).toMatchObject({ updated: ['Enablement_EndUser_Assignment'] });
    expect(json.json().rules).toHaveLength(17);

    // The server now enforces what the CLI wrote.
    const permanent = await h.run(['assign', adam.upn, 'Helpdesk Administrator', '--eligible'], {
      as: h.t.admin,
    });
    expect(permanent.code).toBe(1);
    expect(permanent.stderr).toContain('ExpirationRule');

    const refused = await h.run(['settings', 'set', 'helpdesk', '--require-mfa', 'on'], { as: adam });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('change role settings');
  });
});
