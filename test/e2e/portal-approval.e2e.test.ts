import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryRoles, directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import {
  chromiumPath,
  hasChromium,
  type PortalHarness,
  startPortalHarness,
} from './support/portal-harness.js';

const password = 'Night-shift-2026!';
const helpdesk = 'Helpdesk Administrator';
const passwords = 'Password Administrator';
const groupsAdmin = 'Groups Administrator';

/** Approval by Alex or Bea, each of whom must say why. */
const approvalBy = (approverIds: string[]) => ({
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
        primaryApprovers: approverIds.map((userId) => ({
          '@odata.type': '#microsoft.graph.singleUser',
          userId,
        })),
        escalationApprovers: [],
      },
    ],
  },
});
const enablement = (enabledRules: string[]) => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
  id: 'Enablement_EndUser_Assignment',
  enabledRules,
});

const title = hasChromium
  ? 'portal in Chromium: requests needing approval, My requests, and an approver deciding in a second browser'
  : `portal in Chromium — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let rita: TestUser;
  let alex: TestUser;
  let bea: TestUser;
  let max: TestUser;
  let requester: Page;
  let approver: Page;

  beforeAll(async () => {
    h = await startPortalHarness();
    rita = await h.t.givenUser('Rita', { password });
    alex = await h.t.givenUser('Alex', { password });
    bea = await h.t.givenUser('Bea', { password });
    max = await h.t.givenUser('Max', { password });
    // Max has 22 requests (administrators assigned him 22 roles for a day): more than one page of 20.
    for (const role of directoryRoles.slice(0, 22)) {
      h.t.clock.advance(1000);
      const res = await h.t.graph(
        { ...h.t.admin, token: h.t.admin.mfaToken },
        'POST',
        '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
        {
          action: 'adminAssign',
          principalId: max.id,
          roleDefinitionId: role.id,
          directoryScopeId: '/',
          justification: `On call for ${role.displayName}`,
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P1D' } },
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const ops = await h.givenPag('PAG-OPS', [roles.exchangeAdministrator]);
    for (const roleId of [
      roles.helpdeskAdministrator,
      roles.passwordAdministrator,
      roles.groupsAdministrator,
    ]) {
      await h.patchRule(
        roleId,
        enablement(
          roleId === roles.helpdeskAdministrator ? ['Justification', 'Ticketing'] : ['Justification'],
        ),
      );
      await h.patchRule(roleId, approvalBy([alex.id, bea.id]));
      await h.makeEligible(rita, { roleId });
    }
    await h.patchGroupRule(ops.id, 'member', enablement(['Justification']));
    await h.patchGroupRule(ops.id, 'member', approvalBy([alex.id, bea.id]));
    await h.makeEligible(rita, { groupId: ops.id });
    requester = await h.newPage();
    approver = await h.newPage();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  /** Clicks a status filter (a segmented control: its radio inputs are hidden behind their labels). */
  const filterBy = (page: Page, label: string) =>
    page.getByRole('radiogroup', { name: 'Filter by status' }).getByText(label, { exact: true }).click();
  const rowOf = (page: Page, table: string, name: string) =>
    page
      .getByRole('table', { name: table })
      .getByRole('row')
      .filter({ has: page.getByText(name, { exact: true }) });

  it('sends four requests at once, each waiting for an approver, and cancels one on My requests', async () => {
    await h.signIn(requester, rita, password);
    for (const name of [helpdesk, passwords, groupsAdmin, 'PAG-OPS membership'])
      await requester.getByRole('checkbox', { name: `Select ${name}` }).check();
    await requester.getByRole('button', { name: 'Activate selected (4)' }).click();
    const dialog = requester.getByRole('dialog', { name: 'Activate 4 roles and groups' });
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Quarter-end access review');
    await dialog.getByRole('textbox', { name: 'Ticket number' }).fill('CHG-1042');
    await dialog.getByRole('textbox', { name: 'Ticket system' }).fill('ServiceNow');
    await dialog.getByRole('button', { name: 'Activate 4' }).click();
    const results = dialog.getByRole('table', { name: 'Activation results' });
    await expect.poll(() => results.getByText('Pending approval').count()).toBe(4);
    await h.screenshot(requester, 'approval-01-requests-sent');
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Each waits, and My roles says so instead of offering a second request.
    await expect
      .poll(() => rowOf(requester, 'Eligible roles', helpdesk).textContent())
      .toContain('Pending approval');
    expect(await requester.getByRole('checkbox', { name: `Select ${helpdesk}` }).isDisabled()).toBe(true);

    await requester.getByRole('link', { name: 'My requests' }).click();
    await requester.getByRole('heading', { name: 'My requests' }).waitFor();
    const row = rowOf(requester, 'My requests', groupsAdmin);
    await expect.poll(() => row.textContent()).toContain('Pending approval');
    await h.screenshot(requester, 'approval-02-my-requests-pending');
    await row.getByRole('button', { name: `Cancel request for ${groupsAdmin}` }).click();
    await requester
      .getByRole('dialog', { name: 'Cancel request' })
      .getByRole('button', { name: 'Cancel request' })
      .click();
    await expect
      .poll(() => requester.getByRole('status').first().textContent())
      .toContain(`Your request for ${groupsAdmin} is canceled.`);
    await expect.poll(() => row.textContent()).toContain('Canceled');

    // Filtered by status, in the address too.
    await filterBy(requester, 'Pending approval');
    await expect.poll(() => new URL(requester.url()).search).toBe('?status=pending');
    await expect
      .poll(() => requester.getByRole('table', { name: 'My requests' }).getByRole('row').count())
      .toBe(4);
    expect(await requester.getByRole('table', { name: 'My requests' }).textContent()).not.toContain(
      groupsAdmin,
    );
    await h.screenshot(requester, 'approval-03-my-requests-filtered');
  });

  it('lets the approver, signed in in a second browser, approve with a justification the settings require', async () => {
    await h.signIn(approver, alex, password);
    await expect
      .poll(() => approver.getByRole('link', { name: /Approve requests/ }).textContent())
      .toContain('3');
    await approver.getByRole('link', { name: /Approve requests/ }).click();
    await approver.getByRole('heading', { name: 'Approve requests' }).waitFor();
    const queue = approver.getByRole('table', { name: 'Requests to approve' });
    await expect.poll(() => queue.getByRole('button', { name: /^Review Rita's request/ }).count()).toBe(3);
    const desk = rowOf(approver, 'Requests to approve', helpdesk);
    expect(await desk.textContent()).toMatch(
      /Rita.*rita@elevate\.test.*Helpdesk Administrator.*Quarter-end access review.*CHG-1042/,
    );
    await h.screenshot(approver, 'approval-04-queue');

    for (const [name, what] of [
      [helpdesk, helpdesk],
      ['PAG-OPS', 'PAG-OPS membership'],
    ] as const) {
      await rowOf(approver, 'Requests to approve', name)
        .getByRole('button', { name: `Review Rita's request for ${what}` })
        .click();
      const dialog = approver.getByRole('dialog', { name: `Review Rita's request for ${what}` });
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await expect
        .poll(() => dialog.textContent())
        .toContain('Give a justification with your decision; the settings require one.');
      if (name === helpdesk) await h.screenshot(approver, 'approval-05-review-justification-required');
      await dialog
        .getByRole('textbox', { name: 'Your justification' })
        .fill('Quarter-end review is on the plan');
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await expect
        .poll(() => approver.getByRole('status').first().textContent())
        .toContain(`You approved Rita's request for ${what}.`);
      await dialog.waitFor({ state: 'hidden' });
    }
  });

  it('shows that another approver decided first (409), with their decision', async () => {
    await rowOf(approver, 'Requests to approve', passwords)
      .getByRole('button', { name: `Review Rita's request for ${passwords}` })
      .click();
    const dialog = approver.getByRole('dialog', { name: `Review Rita's request for ${passwords}` });
    await dialog.getByRole('textbox', { name: 'Your justification' }).fill('Not this quarter');

    // Meanwhile Bea approves through the API.
    const pending = await h.t.graph(
      bea,
      'GET',
      "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')?$filter=status eq 'PendingApproval'",
    );
    const [request] = pending.body.value;
    const approvalUrl = `/beta/roleManagement/directory/roleAssignmentApprovals/${request.approvalId}`;
    const step = (await h.t.graph(bea, 'GET', approvalUrl)).body.steps[0];
    const approved = await h.t.graph(bea, 'PATCH', `${approvalUrl}/steps/${step.id}`, {
      reviewResult: 'Approve',
      justification: 'Covered by CHG-1042',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(204);

    h.expectConsoleError(/status of 409.*roleAssignmentApprovals/);
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => dialog.textContent()).toContain('Already decided');
    await expect.poll(() => dialog.textContent()).toMatch(/Approved by Bea on .*Covered by CHG-1042/);
    expect(await dialog.getByRole('button', { name: 'Deny' }).count()).toBe(0);
    await h.screenshot(approver, 'approval-06-already-decided');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await filterBy(approver, 'Decided');
    const queue = approver.getByRole('table', { name: 'Requests to approve' });
    await expect.poll(() => queue.getByText('Provisioned').count()).toBe(3);
    await expect
      .poll(() => approver.getByRole('table', { name: 'Requests to approve' }).textContent())
      .not.toContain('Nothing waits');
    await h.screenshot(approver, 'approval-07-decided');
  });

  it("shows the requester the approved roles and membership active, and the requests' outcomes", async () => {
    await requester.getByRole('link', { name: 'My roles' }).click();
    for (const name of [helpdesk, passwords, 'PAG-OPS', 'Exchange Administrator'])
      await rowOf(requester, 'Active roles', name).waitFor();
    expect(await rowOf(requester, 'Active roles', helpdesk).textContent()).toContain('Activated');
    await h.screenshot(requester, 'approval-08-requester-active');

    await requester.getByRole('link', { name: 'My requests' }).click();
    await filterBy(requester, 'All');
    for (const [name, status] of [
      [helpdesk, 'Provisioned'],
      [passwords, 'Provisioned'],
      ['PAG-OPS', 'Provisioned'],
      [groupsAdmin, 'Canceled'],
    ] as const) {
      await expect.poll(() => rowOf(requester, 'My requests', name).textContent()).toContain(status);
    }
    await h.screenshot(requester, 'approval-09-my-requests-outcomes');
  });

  it('pages a long list: the first 20 requests, then the rest on Load more', async () => {
    const page = await h.newPage();
    await h.signIn(page, max, password);
    await page.getByRole('link', { name: 'My requests' }).click();
    const table = page.getByRole('table', { name: 'My requests' });
    await expect.poll(() => table.getByRole('row').count()).toBe(21);
    expect(await table.getByRole('row').nth(1).textContent()).toContain(directoryRoles[21]!.displayName);
    await h.screenshot(page, 'approval-10-my-requests-first-page');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(23);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(await table.getByRole('row').last().textContent()).toContain(directoryRoles[0]!.displayName);
    await page.close();
  });

  it('logged no console error and threw no uncaught exception', () => {
    expect(h.consoleErrors).toEqual([]);
  });
});
