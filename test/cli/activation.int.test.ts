import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

const enablement = (enabledRules: string[]) => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
  id: 'Enablement_EndUser_Assignment',
  enabledRules,
});

describe('elevate roles, activate, deactivate, requests', () => {
  let h: CliHarness;
  let adam: TestUser;

  beforeEach(async () => {
    h = await startCliHarness();
    adam = await h.t.givenUser('Adam');
    // Helpdesk Administrator asks only for a justification, so a password sign-in (no MFA) may activate it.
    await h.patchRule(roles.helpdeskAdministrator, enablement(['Justification']));
    const eligible = await h.run(['assign', adam.upn, 'Helpdesk Administrator', '--eligible'], {
      as: h.t.admin,
    });
    expect(eligible.code, eligible.stderr).toBe(0);
  });
  afterEach(() => h.close());

  it('lists my eligibility, activates it with a justification, and shows it active with the time left', async () => {
    const before = await h.run(['roles'], { as: adam });
    expect(before.code, before.stderr).toBe(0);
    const [heading, row, ...rest] = before.stdout.trimEnd().split('\n');
    expect(heading).toMatch(/^ROLE\s+SCOPE\s+TYPE\s+MEMBER\s+START\s+END\s+TIME LEFT$/);
    expect(row).toMatch(/^Helpdesk Administrator\s+\/\s+eligible\s+direct\s+.*permanent\s+permanent$/);
    expect(rest).toEqual([]);

    const activate = await h.run(
      ['activate', 'helpdesk', '--duration', 'PT2H', '--justification', 'Ticket queue'],
      { as: adam },
    );
    expect(activate.code, activate.stderr).toBe(0);
    expect(activate.stdout).toMatch(/^Activated Helpdesk Administrator at \/ until .* \(in 2h\)\.\n/);
    expect(activate.stdout).toMatch(/Status Provisioned; request id [0-9a-f-]{36}\n$/);

    h.t.clock.advanceMinutes(8);
    const after = await h.run(['roles'], { as: adam });
    expect(after.stdout).toMatch(
      /Helpdesk Administrator\s+\/\s+active \(activated\)\s+direct\s+.*\s+1h 52m\n/,
    );
    const json = (await h.run(['roles', '--json'], { as: adam })).json();
    expect(json).toEqual([
      expect.objectContaining({
        state: 'active',
        assignmentType: 'Activated',
        endDateTime: '2026-01-05T11:00:00.000Z',
      }),
      expect.objectContaining({
        state: 'eligible',
        roleDisplayName: 'Helpdesk Administrator',
        endDateTime: null,
      }),
    ]);

    const deactivate = await h.run(['deactivate', 'Helpdesk Administrator'], { as: adam });
    expect(deactivate.code, deactivate.stderr).toBe(0);
    expect(deactivate.stdout).toBe('Deactivated Helpdesk Administrator at /.\n');
    expect((await h.run(['roles', '--json'], { as: adam })).json()).toHaveLength(1);
  });

  it('fails with exit 1 and the server message naming JustificationRule when no justification is given', async () => {
    const r = await h.run(['activate', 'Helpdesk Administrator', '--duration', 'PT1H'], { as: adam });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^elevate: .*JustificationRule/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('validates without activating (--validate-only), and refuses an unknown or ambiguous role name as usage', async () => {
    const dry = await h.run(['activate', 'Helpdesk', '--justification', 'x', '--validate-only', '--json'], {
      as: adam,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json()).toMatchObject({ isValidationOnly: true, roleDisplayName: 'Helpdesk Administrator' });
    expect((await h.run(['roles', '--json'], { as: adam })).json()).toHaveLength(1);

    const unknown = await h.run(['activate', 'Nonexistent Role', '--justification', 'x'], { as: adam });
    expect(unknown.code).toBe(2);
    const ambiguous = await h.run(['activate', 'Security', '--justification', 'x'], { as: adam });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      'could mean Security Administrator, Security Operator, Security Reader',
    );
  });

  it('holds an approval-required activation until a second user approves it with the CLI', async () => {
    const grace = await h.t.givenUser('Grace');
    await h.patchRule(roles.helpdeskAdministrator, {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
      id: 'Approval_EndUser_Assignment',
      setting: {
        isApprovalRequired: true,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: grace.id }],
            escalationApprovers: [],
          },
        ],
      },
    });

    const requested = await h.run(['activate', 'Helpdesk Administrator', '--justification', 'On call'], {
      as: adam,
    });
    expect(requested.code, requested.stderr).toBe(0);
    const approvalId = /approval id ([0-9a-f-]{36})/.exec(requested.stdout)?.[1];
    expect(requested.stdout).toContain('Status PendingApproval');
    expect(approvalId).toBeDefined();

    const mine = await h.run(['requests'], { as: adam });
    expect(mine.stdout).toMatch(
      new RegExp(
        `${approvalId}.*selfActivate\\s+adam@elevate.test\\s+Helpdesk Administrator\\s+/\\s+PendingApproval\\s+On call`,
      ),
    );

    const queue = await h.run(['requests', 'list', '--approver', '--status', 'pendingapproval', '--json'], {
      as: grace,
    });
    expect(queue.code, queue.stderr).toBe(0);
    expect(queue.json().map((r: { id: string }) => r.id)).toEqual([approvalId]);

    const own = await h.run(['requests', 'approve', approvalId!, '--justification', 'me'], { as: adam });
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('not one of its approvers');

    const approve = await h.run(['requests', 'approve', approvalId!, '--justification', 'Known on-call'], {
      as: grace,
    });
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout).toContain(
      `Approved request ${approvalId} (Helpdesk Administrator at / for adam@elevate.test).`,
    );
    expect(approve.stdout).toContain('Status Provisioned.');
    const roleRows = (await h.run(['roles', '--json'], { as: adam })).json();
    expect(roleRows.map((r: { state: string }) => r.state)).toEqual(['active', 'eligible']);

    const again = await h.run(['requests', 'deny', approvalId!, '--justification', 'too late'], {
      as: grace,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already decided');
  });

  it('lets the requester cancel a pending request, and a denied request grants nothing', async () => {
    const grace = await h.t.givenUser('Grace', { roles: [roles.privilegedRoleAdministrator] });
    await h.patchRule(roles.helpdeskAdministrator, {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
      id: 'Approval_EndUser_Assignment',
      setting: {
        isApprovalRequired: true,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: false,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: [],
            escalationApprovers: [],
          },
        ],
      },
    });
    const first = await h.run(['activate', 'Helpdesk Administrator', '--justification', 'a', '--json'], {
      as: adam,
    });
    const id = first.json().id as string;
    const cancel = await h.run(['requests', 'cancel', id], { as: adam });
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toBe(`Canceled request ${id}.\n`);
    const canceled = await h.run(['requests', '--status', 'Canceled', '--json'], { as: adam });
    expect(canceled.json().map((r: { id: string }) => r.id)).toEqual([id]);

    const second = await h.run(['activate', 'Helpdesk Administrator', '--justification', 'b', '--json'], {
      as: adam,
    });
    const deny = await h.run(['requests', 'deny', second.json().id], { as: grace });
    expect(deny.code, deny.stderr).toBe(0);
    expect(deny.stdout).toContain('Denied request');
    expect((await h.run(['roles', '--json'], { as: adam })).json()).toHaveLength(1);
  });
});
