import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import { armKit, contributor, owner } from '../support/arm.js';
import {
  chromiumPath,
  hasChromium,
  type PortalHarness,
  startPortalHarness,
} from './support/portal-harness.js';

const password = 'Night-shift-2026!';
const subId = '6f1e0d2c-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const sub = `/subscriptions/${subId}`;
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';

const title = hasChromium
  ? 'portal in Chromium: My roles with Azure resource roles at their scope, extend and renew requests'
  : `portal in Chromium — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let adam: TestUser;
  let olivia: TestUser;
  let page: Page;

  beforeAll(async () => {
    h = await startPortalHarness();
    adam = await h.t.givenUser('Adam', { password });
    const admin = { ...h.t.admin, token: h.t.admin.mfaToken };
    const arm = armKit(h.t);
    await arm.elevate(h.t.admin);
    await arm.putGroup(h.t.admin, 'mg-contoso');
    await arm.putSubscription(h.t.admin, subId, 'mg-contoso', 'Payments');
    await arm.justificationOnly(h.t.admin, sub, contributor, 'PT4H');
    await arm.assign(h.t.admin, sub, 'eligibility', adam.id, contributor);
    // Olivia owns the subscription (actively): she may change its roles' settings.
    olivia = await h.t.givenUser('Olivia', { password });
    await arm.assign(h.t.admin, sub, 'assignment', olivia.id, owner, 'P180D');

    // Both directory roles ask only for a justification, so a password sign-in (no MFA) may extend and renew.
    for (const role of [roles.passwordAdministrator, roles.helpdeskAdministrator]) {
      await h.patchRule(role, {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
        id: 'Enablement_EndUser_Assignment',
        enabledRules: ['Justification'],
      });
    }
    // Adam was eligible for Password Administrator for a day, two days ago: it expired, so he may renew it.
    const expired = await h.t.graph(admin, 'POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: roles.passwordAdministrator,
      directoryScopeId: '/',
      justification: 'Cover for one day',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P1D' } },
    });
    expect(expired.status, JSON.stringify(expired.body)).toBe(201);
    h.t.clock.advanceDays(2);
    // …and for Helpdesk Administrator for 10 more days: it ends within 14, so he may ask to extend it.
    const ending = await h.t.graph(admin, 'POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification: 'Service desk rota',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P10D' } },
    });
    expect(ending.status, JSON.stringify(ending.body)).toBe(201);
    page = await h.newPage();
  }, 90_000);

  afterAll(async () => {
    await h?.close();
  });

  it('lists the Azure role with its scope beside directory roles, and activates it', async () => {
    await h.signIn(page, adam, password);
    const eligible = page.getByRole('table', { name: 'Eligible Azure resource roles' });
    const row = eligible.getByRole('row', { name: /Contributor/ });
    await row.getByRole('button', { name: 'Activate Contributor on Payments (subscription)' }).waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(0, 4)).toEqual([
      'Contributor',
      `Payments (subscription)${sub}`,
      'Direct',
      expect.any(String),
    ]);
    await h.screenshot(page, '40-my-roles-resources');

    await row.getByRole('button', { name: /^Activate Contributor/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate Contributor on Payments (subscription)' });
    const duration = dialog.getByRole('textbox', { name: 'Duration (hours)' });
    await expect.poll(() => duration.inputValue()).toBe('4');
    await dialog.getByText('Up to 4 hours').waitFor();
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Deploy the payments release');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/^Contributor on Payments \(subscription\) is active until/);
    const active = page.getByRole('table', { name: 'Active Azure resource roles' });
    const activeRow = active.getByRole('row', { name: /Contributor/ });
    await activeRow
      .getByRole('button', { name: 'Deactivate Contributor on Payments (subscription)' })
      .waitFor();
    await expect.poll(() => activeRow.getByRole('timer').textContent()).toMatch(/^3h 59m \d+s$/);
    await h.screenshot(page, '41-resource-role-active');
  });

  it('asks to extend an eligibility that ends within 14 days', async () => {
    const row = page.getByRole('table', { name: 'Eligible roles' }).getByRole('row', { name: /Helpdesk/ });
    await row.getByRole('button', { name: 'Extend Helpdesk Administrator eligibility' }).click();
    const dialog = page.getByRole('dialog', { name: 'Extend Helpdesk Administrator eligibility' });
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Still on the rota next quarter');
    await h.screenshot(page, '42-extend-dialog');
    await dialog.getByRole('button', { name: 'Ask to extend' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain(
        "Your request to extend Helpdesk Administrator eligibility waits for an administrator's approval",
      );
    const sent = await h.t.graph(
      h.t.admin,
      'GET',
      `${eligibilityRequests}?$filter=${encodeURIComponent("action eq 'selfExtend'")}`,
    );
    expect(sent.body.value).toEqual([
      expect.objectContaining({ status: 'PendingApproval', justification: 'Still on the rota next quarter' }),
    ]);
  });

  it('offers to renew what expired in the last 30 days', async () => {
    const expired = page.getByRole('table', { name: 'Expired roles and groups' });
    const row = expired.getByRole('row', { name: /Password Administrator/ });
    await row.getByRole('button', { name: 'Renew Password Administrator eligibility' }).click();
    const dialog = page.getByRole('dialog', { name: 'Renew Password Administrator eligibility' });
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Covering again');
    await dialog.getByRole('button', { name: 'Ask to renew' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('Your request to renew Password Administrator eligibility waits');
    await h.screenshot(page, '43-renew-sent');
    expect(h.consoleErrors).toEqual([]);
  });

  it("lets the subscription's owner change an Azure role's settings at that scope", async () => {
    const owner = await h.newPage();
    await h.signIn(owner, olivia, password);
    await owner.getByRole('link', { name: 'Role settings' }).click();
    await owner.getByRole('radiogroup', { name: 'Kind of target' }).getByText('Azure role').click();
    const scope = owner.getByRole('textbox', { name: 'Scope' });
    await scope.fill(sub);
    await scope.press('Enter');
    await owner.getByRole('combobox', { name: 'Azure role' }).fill('Contrib');
    await owner.getByRole('option', { name: 'Contributor' }).click();
    const duration = owner.getByRole('textbox', { name: 'Activation maximum duration (hours)' });
    await expect.poll(() => duration.inputValue()).toBe('4');
    await duration.fill('1.5');
    await owner.getByRole('button', { name: 'Review changes (1)' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Review changes' });
    expect(await dialog.getByRole('table', { name: 'Changes to save' }).textContent()).toContain(
      'Activation maximum duration4 hours1 hour 30 minutes',
    );
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => owner.getByRole('status').first().textContent())
      .toContain(`Saved: one setting of Contributor at ${sub} changed.`);
    await h.screenshot(owner, '44-azure-role-settings');
    const settings = await h.t.graph(
      adam,
      'GET',
      `${sub}/providers/Microsoft.Authorization/roleManagementPolicyAssignments?api-version=2020-10-01&$filter=roleDefinitionId eq '${sub}/providers/Microsoft.Authorization/roleDefinitions/${contributor}'`,
    );
    const rules: { id: string; maximumDuration?: string }[] =
      settings.body.value[0].properties.effectiveRules;
    expect(rules.find((r) => r.id === 'Expiration_EndUser_Assignment')?.maximumDuration).toBe('PT1H30M');
    expect(h.consoleErrors).toEqual([]);
  });
});
