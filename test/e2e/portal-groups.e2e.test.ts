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
const enablement = (enabledRules: string[]) => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
  id: 'Enablement_EndUser_Assignment',
  enabledRules,
});

const title = hasChromium
  ? 'portal in Chromium: PIM for Groups memberships with their roles, several activations at once'
  : `portal in Chromium — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let stan: TestUser;
  let page: Page;

  beforeAll(async () => {
    h = await startPortalHarness();
    stan = await h.t.givenUser('Stan', { password });
    const serviceDesk = await h.givenPag('PAG-SERVICE-DESK', [
      roles.helpdeskAdministrator,
      roles.passwordAdministrator,
    ]);
    const devTeam = await h.givenPag('PAG-DEV-TEAM', [roles.applicationAdministrator]);
    await h.patchGroupRule(serviceDesk.id, 'member', enablement(['Justification']));
    await h.patchGroupRule(devTeam.id, 'member', enablement(['MultiFactorAuthentication', 'Justification']));
    await h.patchRule(
      roles.exchangeAdministrator,
      enablement(['MultiFactorAuthentication', 'Justification']),
    );
    await h.patchRule(roles.groupsAdministrator, enablement(['Justification']));
    for (const target of [
      { groupId: serviceDesk.id },
      { groupId: devTeam.id },
      { roleId: roles.exchangeAdministrator },
      { roleId: roles.groupsAdministrator },
    ]) {
      await h.makeEligible(stan, target);
    }
    await h.t.enrolTotp(stan);
    page = await h.newPage();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  /** The row of a table whose name cell says exactly `name`. */
  const rowOf = (table: string, name: string) =>
    page
      .getByRole('table', { name: table })
      .getByRole('row')
      .filter({ has: page.getByText(name, { exact: true }) });
  const eligibleRow = (name: string) => rowOf('Eligible roles', name);
  const activeRow = (name: string) => rowOf('Active roles', name);

  it('lists an eligible group membership with the roles the group holds, and activates it', async () => {
    await h.signIn(page, stan, password, () => h.t.nextTotp(stan));
    const desk = eligibleRow('PAG-SERVICE-DESK');
    await desk.getByRole('button', { name: 'Activate PAG-SERVICE-DESK membership' }).waitFor();
    const cells = await desk.getByRole('cell').allTextContents();
    expect(cells.slice(1, 5)).toEqual([
      'PAG-SERVICE-DESKGroup→ Helpdesk Administrator, Password Administrator',
      'Membership',
      'Direct',
      expect.stringMatching(/2026/),
    ]);
    await h.screenshot(page, 'groups-01-my-roles-eligible');

    await desk.getByRole('button', { name: 'Activate PAG-SERVICE-DESK membership' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate PAG-SERVICE-DESK membership' });
    await expect
      .poll(() => dialog.textContent())
      .toContain(
        'Membership of the group PAG-SERVICE-DESK · grants Helpdesk Administrator, Password Administrator',
      );
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Password resets for the night shift');
    await dialog.getByRole('textbox', { name: 'Duration (hours)' }).fill('2');
    await h.screenshot(page, 'groups-02-activate-membership');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/PAG-SERVICE-DESK membership is active until/);
    await dialog.waitFor({ state: 'hidden' });

    // The membership, and each role it brings, until the membership ends.
    const membership = activeRow('PAG-SERVICE-DESK');
    await membership.getByRole('button', { name: 'Deactivate PAG-SERVICE-DESK membership' }).waitFor();
    const ends = (await membership.getByRole('cell').allTextContents())[4];
    for (const role of ['Helpdesk Administrator', 'Password Administrator']) {
      const row = activeRow(role);
      await row.waitFor();
      const roleCells = await row.getByRole('cell').allTextContents();
      expect(roleCells.slice(0, 5)).toEqual([role, 'Directory', 'Group: PAG-SERVICE-DESK', 'Assigned', ends]);
      expect(roleCells[6]).toBe('Ends with PAG-SERVICE-DESK');
      await expect.poll(() => row.getByRole('timer').textContent()).toMatch(/^1h 59m \d+s$/);
    }
    await h.screenshot(page, 'groups-03-membership-active');
  });

  it('activates two roles and a group at once, asking a code of each target that requires MFA', async () => {
    for (const name of ['Exchange Administrator', 'Groups Administrator', 'PAG-DEV-TEAM membership'])
      await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByRole('button', { name: 'Activate selected (3)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate 3 roles and groups' });
    const selected = dialog.getByRole('table', { name: 'Selected roles and groups' });
    await selected.waitFor();
    expect(await selected.getByRole('row', { name: /PAG-DEV-TEAM/ }).textContent()).toContain('MFA');
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Release night');
    await dialog
      .getByRole('textbox', { name: 'Authenticator code for Exchange Administrator' })
      .fill(await h.t.nextTotp(stan));
    expect(await dialog.textContent()).toContain('1 more asks for a code of its own');
    await h.screenshot(page, 'groups-04-activate-several');
    await dialog.getByRole('button', { name: 'Activate 3' }).click();

    const results = dialog.getByRole('table', { name: 'Activation results' });
    const outcome = (name: string) => results.getByRole('row', { name: new RegExp(name) });
    await expect.poll(() => outcome('Exchange Administrator').textContent()).toMatch(/is active until/);
    await expect.poll(() => outcome('Groups Administrator').textContent()).toMatch(/is active until/);
    const code = outcome('PAG-DEV-TEAM').getByRole('textbox', {
      name: 'Authenticator code for PAG-DEV-TEAM membership',
    });
    await code.waitFor();
    await h.screenshot(page, 'groups-05-one-waits-for-a-code');
    await code.fill(await h.t.nextTotp(stan));
    await outcome('PAG-DEV-TEAM').getByRole('button', { name: 'Verify and activate' }).click();
    await expect
      .poll(() => outcome('PAG-DEV-TEAM').textContent())
      .toMatch(/PAG-DEV-TEAM membership is active until/);
    await h.screenshot(page, 'groups-06-results');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    for (const name of [
      'Exchange Administrator',
      'Groups Administrator',
      'PAG-DEV-TEAM',
      'Application Administrator',
    ])
      await activeRow(name).waitFor();
    expect(await page.getByRole('button', { name: 'Activate selected' }).isDisabled()).toBe(true);
  });

  it('deactivates the membership, and the roles it brought go with it', async () => {
    h.t.clock.advanceMinutes(6);
    await page.clock.fastForward('06:00');
    await page.getByRole('button', { name: 'Deactivate PAG-SERVICE-DESK membership' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate PAG-SERVICE-DESK membership' });
    expect(await dialog.textContent()).toContain(
      'lose what it grants (Helpdesk Administrator, Password Administrator)',
    );
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('PAG-SERVICE-DESK membership is no longer active.');
    await expect.poll(() => activeRow('Helpdesk Administrator').count()).toBe(0);
    await eligibleRow('PAG-SERVICE-DESK')
      .getByRole('button', { name: 'Activate PAG-SERVICE-DESK membership' })
      .waitFor();
    await h.screenshot(page, 'groups-07-membership-ended');
  });

  it('logged no console error and threw no uncaught exception', () => {
    expect(h.consoleErrors).toEqual([]);
  });
});
