import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import {
  chromiumPath,
  hasChromium,
  type PortalHarness,
  startPortalHarness,
} from './support/portal-harness.js';

const password = 'Night-shift-2026!';
const helpdesk = 'Helpdesk Administrator';

const title = hasChromium
  ? 'portal in Chromium: an administrator changes role settings (diff, save), the next activation follows them'
  : `portal in Chromium — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let ada: TestUser;
  let adam: TestUser;
  let admin: Page;
  let requester: Page;

  /** Helpdesk Administrator's rules as the Graph API reads them now. */
  async function helpdeskRules(): Promise<Record<string, Record<string, any>>> {
    const found = await h.t.graph(
      h.t.admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roles.helpdeskAdministrator}'&$expand=policy($expand=rules)`,
    );
    const rules: Record<string, any>[] = found.body.value[0].policy.rules;
    return Object.fromEntries(rules.map((r) => [r.id, r]));
  }

  beforeAll(async () => {
    h = await startPortalHarness();
    ada = await h.t.givenUser('Ada', { password, roles: [roles.privilegedRoleAdministrator] });
    adam = await h.t.givenUser('Adam', { password });
    // Helpdesk Administrator asks only for a justification, so a password sign-in (no MFA) may activate it.
    await h.patchRule(roles.helpdeskAdministrator, {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
      id: 'Enablement_EndUser_Assignment',
      enabledRules: ['Justification'],
    });
    await h.makeEligible(adam, { roleId: roles.helpdeskAdministrator });
    admin = await h.newPage();
    requester = await h.newPage();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it("shows a role's current settings in the Activation, Assignment and Notification sections", async () => {
    await h.signIn(admin, ada, password);
    await admin.getByRole('link', { name: 'Role settings' }).click();
    await admin.getByRole('heading', { name: 'Role settings', level: 1 }).waitFor();
    await admin.getByRole('combobox', { name: 'Role' }).fill('Helpdesk');
    await admin.getByRole('option', { name: helpdesk }).click();
    expect(new URL(admin.url()).searchParams.get('role')).toBe(roles.helpdeskAdministrator);

    const duration = admin.getByRole('textbox', { name: 'Activation maximum duration (hours)' });
    await expect.poll(() => duration.inputValue()).toBe('8');
    expect(await admin.getByRole('switch', { name: 'Require justification on activation' }).isChecked()).toBe(
      true,
    );
    expect(
      await admin.getByRole('switch', { name: 'Require ticket information on activation' }).isChecked(),
    ).toBe(false);
    expect(await admin.getByRole('radio', { name: 'None' }).isChecked()).toBe(true);
    for (const section of ['Activation', 'Assignment', 'Notification']) {
      await admin.getByRole('heading', { name: section, level: 2 }).waitFor();
    }
    // The nine notification rules: three events, three recipients each.
    expect(await admin.getByRole('textbox', { name: /^Additional recipients: / }).count()).toBe(9);
    expect(await admin.getByRole('button', { name: 'Review changes' }).isDisabled()).toBe(true);
    await h.screenshot(admin, '20-role-settings');
  });

  it('validates as it is edited: a bad duration or address blocks the review and says why', async () => {
    const duration = admin.getByRole('textbox', { name: 'Activation maximum duration (hours)' });
    await duration.fill('30');
    await admin.getByText('Activation maximum must be between 0.5 and 24 hours.').waitFor();
    const extra = admin.getByRole('textbox', {
      name: 'Additional recipients: Role assignment alert — when eligible members activate this role',
    });
    await extra.fill('not-an-address');
    await admin.getByText("'not-an-address' is not an email address").waitFor();
    expect(await admin.getByRole('button', { name: /^Review changes/ }).isDisabled()).toBe(true);
    await h.screenshot(admin, '21-role-settings-invalid');
    await extra.fill('');
  });

  it('shows the difference before saving, then saves it in one change', async () => {
    await admin.getByRole('textbox', { name: 'Activation maximum duration (hours)' }).fill('2');
    await admin
      .getByRole('switch', { name: 'Require ticket information on activation' })
      .click({ force: true });
    await admin
      .getByRole('textbox', {
        name: 'Additional recipients: Role assignment alert — when eligible members activate this role',
      })
      .fill('soc@contoso.com');
    await admin.getByRole('button', { name: 'Review changes (3)' }).click();

    const dialog = admin.getByRole('dialog', { name: 'Review changes' });
    const diff = dialog.getByRole('table', { name: 'Changes to save' });
    const rows = await diff.getByRole('row').allTextContents();
    expect(rows.slice(1)).toEqual([
      'ActivationActivation maximum duration8 hours2 hours',
      'ActivationRequire ticket information on activationNoYes',
      expect.stringMatching(
        /^NotificationWhen eligible members activate this role: Role assignment alertAll emails, default recipients, no additional recipientsAll emails, default recipients, also soc@contoso\.com$/,
      ),
    ]);
    await h.screenshot(admin, '22-role-settings-diff');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => admin.getByRole('status').first().textContent())
      .toContain(`Saved: 3 settings of ${helpdesk} changed.`);
    await expect.poll(() => admin.getByText(/^Last changed .* by Ada\./).count()).toBe(1);

    const rules = await helpdeskRules();
    expect(rules.Expiration_EndUser_Assignment?.maximumDuration).toBe('PT2H');
    expect(rules.Enablement_EndUser_Assignment?.enabledRules).toEqual(['Justification', 'Ticketing']);
    expect(rules.Notification_Admin_EndUser_Assignment?.notificationRecipients).toEqual(['soc@contoso.com']);
    // Rules not touched keep their values.
    expect(rules.Approval_EndUser_Assignment?.setting.isApprovalRequired).toBe(false);
    expect(await admin.getByRole('button', { name: 'Review changes' }).isDisabled()).toBe(true);

    const audit = await h.t.graph(
      h.t.admin,
      'GET',
      `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent("activityDisplayName eq 'Update role setting in PIM'")}`,
    );
    expect(audit.body.value[0].initiatedBy.user.displayName).toBe('Ada');
    await h.screenshot(admin, '23-role-settings-saved');
  });

  it("shows and enforces the new rules in the requester's next activation", async () => {
    await h.signIn(requester, adam, password);
    await requester.getByRole('button', { name: `Activate ${helpdesk}` }).click();
    const dialog = requester.getByRole('dialog', { name: `Activate ${helpdesk}` });
    const duration = dialog.getByRole('textbox', { name: 'Duration (hours)' });
    await expect.poll(() => duration.inputValue()).toBe('2');
    expect(await dialog.getByLabel("What this role's settings require").textContent()).toMatch(/ticket/i);
    await dialog.getByText('Up to 2 hours').waitFor();

    await duration.fill('3');
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Password resets for the night shift');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    // Nothing is sent: the form names what is wrong.
    expect(await dialog.isVisible()).toBe(true);
    await duration.fill('2');
    const ticket = dialog.getByRole('textbox', { name: 'Ticket number' });
    expect(await ticket.getAttribute('required')).not.toBeNull();
    await dialog.getByRole('button', { name: 'Activate' }).click();
    expect(
      await ticket.evaluate(
        (el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing,
      ),
    ).toBe(true);
    await h.screenshot(requester, '24-activation-needs-ticket');

    await ticket.fill('INC-4711');
    await dialog.getByRole('textbox', { name: 'Ticket system' }).fill('ServiceNow');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => requester.getByRole('status').first().textContent())
      .toMatch(/Helpdesk Administrator is active until/);
    const sent = await h.t.graph(
      h.t.admin,
      'GET',
      `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests?$filter=${encodeURIComponent(`principalId eq '${adam.id}'`)}`,
    );
    expect(sent.body.value[0]).toMatchObject({
      action: 'selfActivate',
      ticketInfo: { ticketNumber: 'INC-4711', ticketSystem: 'ServiceNow' },
      scheduleInfo: { expiration: { duration: 'PT2H' } },
    });
    await h.screenshot(requester, '25-activated-with-ticket');
    expect(h.consoleErrors).toEqual([]);
  });

  it("edits a group's membership settings: approval by a user found by name", async () => {
    const pag = await h.givenPag('PAG-SERVICE-DESK', [roles.helpdeskAdministrator]);
    await h.t.givenUser('Bea Approver');
    // An edit not saved: choosing another target asks first.
    await admin.getByRole('switch', { name: 'Require approval to extend' }).click({ force: true });
    await admin.getByRole('radiogroup', { name: 'Kind of target' }).getByText('Group').click();
    const leave = admin.getByRole('dialog', { name: 'Discard unsaved changes?' });
    await leave.getByRole('button', { name: 'Keep editing' }).click();
    await leave.waitFor({ state: 'hidden' });
    expect(await admin.getByRole('switch', { name: 'Require approval to extend' }).isChecked()).toBe(true);
    await admin.getByRole('radiogroup', { name: 'Kind of target' }).getByText('Group').click();
    await leave.getByRole('button', { name: 'Discard changes' }).click();
    await admin.getByRole('combobox', { name: 'Group' }).fill('PAG-SERV');
    await admin.getByRole('option', { name: 'PAG-SERVICE-DESK' }).click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('group')).toBe(pag.id);
    const approval = admin.getByRole('switch', { name: 'Require approval to activate' });
    await approval.waitFor({ state: 'attached' });
    expect(await approval.isChecked()).toBe(false);
    await approval.click({ force: true });
    await admin.getByRole('combobox', { name: 'Add an approver' }).fill('Bea');
    await admin.getByRole('option', { name: 'Bea Approver (user)' }).click();
    await admin.getByRole('list', { name: 'Chosen approvers' }).getByText('Bea Approver (user)').waitFor();
    await admin.getByRole('button', { name: 'Review changes (2)' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Review changes' });
    expect(await dialog.textContent()).toContain('2 settings of PAG-SERVICE-DESK membership change.');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => admin.getByRole('status').first().textContent())
      .toContain('Saved: 2 settings of PAG-SERVICE-DESK membership changed.');

    const found = await h.t.graph(
      h.t.admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${pag.id}' and scopeType eq 'Group' and roleDefinitionId eq 'member'&$expand=policy($expand=rules)`,
    );
    const approvalRule = found.body.value[0].policy.rules.find(
      (r: { id: string }) => r.id === 'Approval_EndUser_Assignment',
    );
    expect(approvalRule.setting.isApprovalRequired).toBe(true);
    expect(approvalRule.setting.approvalStages[0].primaryApprovers).toEqual([
      expect.objectContaining({ '@odata.type': '#microsoft.graph.singleUser', description: 'Bea Approver' }),
    ]);
    await h.screenshot(admin, '26-group-settings-saved');
    expect(h.consoleErrors).toEqual([]);
  });
});
