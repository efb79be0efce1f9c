import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/app/context.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import {
  chromiumPath,
  hasChromium,
  type PortalHarness,
  startPortalHarness,
} from './support/portal-harness.js';

const password = 'Night-shift-2026!';
const passwords = 'Password Administrator';
const helpdesk = 'Helpdesk Administrator';

const title = hasChromium
  ? 'portal in Chromium: an administrator reads the dashboard, adds, bulk-adds and removes assignments, and sees who can do what'
  : `portal in Chromium — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let ada: TestUser;
  let adam: TestUser;
  let bea: TestUser;
  let cy: TestUser;
  let page: Page;

  beforeAll(async () => {
    h = await startPortalHarness();
    ada = await h.t.givenUser('Ada', { password, roles: [roles.privilegedRoleAdministrator] });
    adam = await h.t.givenUser('Adam');
    bea = await h.t.givenUser('Bea');
    cy = await h.t.givenUser('Cy');
    await h.t.services.users.createUnchecked(
      { actor: systemActor, requestId: h.t.services.ids.newId() },
      {
        userPrincipalName: 'breakglass@elevate.test',
        displayName: 'Break Glass',
        password: null,
        isEmergencyAccess: true,
      },
    );
    // Bea is eligible for Helpdesk Administrator; Cy holds it through PAG-HELPDESK.
    await h.makeEligible(bea, { roleId: roles.helpdeskAdministrator });
    const pag = await h.givenPag('PAG-HELPDESK', [roles.helpdeskAdministrator]);
    const member = await h.t.graph(
      { ...h.t.admin, token: h.t.admin.mfaToken },
      'POST',
      `/v1.0/groups/${pag.id}/members/$ref`,
      {
        '@odata.id': `https://graph.microsoft.com/v1.0/users/${cy.id}`,
      },
    );
    expect(member.status).toBe(204);
    page = await h.newPage();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  const dialog = () => page.getByRole('dialog');
  /** Waits for the page's transitions (a dialog fading in) to finish, so a screenshot shows what a person sees. */
  const settled = () =>
    page.evaluate(
      'Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))).then(() => true)',
    );
  const rowOf = (name: string) =>
    page.getByRole('table', { name: 'Assignments' }).getByRole('row').filter({ hasText: name });

  it('lands an administrator on the dashboard, whose numbers each link to the list they count', async () => {
    await h.signIn(page, ada, password);
    // The portal's home is the dashboard for a reader of PIM (the session survives the reload).
    await page.goto(`${h.baseUrl}/`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assignments' }).waitFor();
    // Privileged roles: Bea's eligibility; Ada's Privileged Role Administrator and the PAG's Helpdesk, both
    // permanent and active, and the harness's own Global Administrator.
    await page.getByRole('link', { name: '1 eligible assignments: show them' }).waitFor();
    await page.getByRole('link', { name: '3 active assignments: show them' }).waitFor();
    await page.getByRole('link', { name: '1 emergency accounts: show them' }).waitFor();
    await page.getByRole('link', { name: '0 pending approvals: show them' }).waitFor();
    const helpdeskRow = page
      .getByRole('table', { name: 'Privileged roles' })
      .getByRole('row')
      .filter({ hasText: helpdesk });
    await helpdeskRow.getByRole('link', { name: `1 eligible for ${helpdesk}` }).waitFor();
    await page.getByRole('table', { name: 'Emergency accounts' }).getByText('Break Glass').waitFor();
    await h.screenshot(page, '40-admin-dashboard');

    await page.getByRole('link', { name: '1 eligible assignments: show them' }).click();
    await page.getByRole('heading', { name: 'Assignments', level: 1 }).waitFor();
    await rowOf('Bea').waitFor();
    expect(await page.getByRole('table', { name: 'Assignments' }).getByRole('row').count()).toBe(2); // header + Bea
    await page.getByText('1 in all').waitFor();
    await page.getByRole('button', { name: 'Remove filter: Privileged roles' }).waitFor();
  });

  it('adds an eligible assignment for one person', async () => {
    await page.getByRole('link', { name: 'Assignments' }).click();
    // From the keyboard: open the dialog, pick the role with the arrow keys; Escape would close it.
    await page.getByRole('button', { name: 'Add assignment' }).focus();
    await page.keyboard.press('Enter');
    const role = dialog().getByRole('combobox', { name: 'Role' });
    await role.fill('Password');
    await page.getByRole('option', { name: passwords }).waitFor();
    await role.press('ArrowDown');
    await role.press('Enter');
    expect(await role.inputValue()).toBe(passwords);
    await dialog().getByRole('combobox', { name: 'Assign to' }).fill('Ada');
    await page.getByRole('option', { name: `Adam (${adam.upn})` }).click();
    await dialog().getByRole('textbox', { name: 'Justification' }).fill('Joins the service desk');
    await settled();
    await h.screenshot(page, '41-admin-add-assignment');
    await dialog().getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('status').getByText('Adam is now eligible.').waitFor();
    await rowOf('Adam').filter({ hasText: passwords }).getByText('Eligible').waitFor();
  });

  it("changes an assignment's window: permanent becomes 30 days", async () => {
    await page.getByRole('button', { name: `Change Adam's ${passwords}` }).click();
    await dialog().getByText('For some days').click();
    await dialog().getByRole('textbox', { name: 'Days' }).fill('30');
    await dialog().getByRole('textbox', { name: 'Justification' }).fill('Until the rota is reviewed');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('status')
      .getByText(`Adam's eligible ${passwords} assignment (Directory) is changed.`)
      .waitFor();
    const end = new Date(h.t.clock.now().getTime() + 30 * 86_400_000);
    const shown = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(end);
    await rowOf('Adam').filter({ hasText: passwords }).getByText(shown, { exact: false }).waitFor();
  });

  it('bulk-adds two principals, each answered on its own line', async () => {
    await page.getByRole('button', { name: 'Bulk add' }).click();
    await dialog().getByRole('combobox', { name: 'Role' }).fill('Password');
    await page.getByRole('option', { name: passwords }).click();
    await dialog().getByRole('textbox', { name: 'Principals' }).fill(`${bea.upn}\n${cy.upn}\n`);
    await dialog().getByRole('textbox', { name: 'Justification' }).fill('Service desk rota');
    await dialog().getByRole('button', { name: 'Assign 2 principals' }).click();
    const results = dialog().getByRole('table', { name: 'Bulk add results' });
    await results.getByRole('row').filter({ hasText: bea.upn }).getByText('Assigned').waitFor();
    await results.getByRole('row').filter({ hasText: cy.upn }).getByText('Assigned').waitFor();
    await dialog().getByText('2 of 2 assigned.').waitFor();
    await settled();
    await h.screenshot(page, '42-admin-bulk-add');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await rowOf('Cy').filter({ hasText: passwords }).waitFor();
  });

  it('shows who can do what: eligible and active, direct and through a group', async () => {
    await page.getByRole('tab', { name: 'Who can do what' }).click();
    await page.getByRole('combobox', { name: 'Role' }).fill('Password');
    await page.getByRole('option', { name: passwords }).click();
    const holders = page.getByRole('table', { name: 'Who can do what' });
    for (const name of ['Adam', 'Bea', 'Cy']) {
      await holders.getByRole('row').filter({ hasText: name }).getByText('Eligible').waitFor();
    }
    await page.getByText('3 principals').waitFor();
    await h.screenshot(page, '43-admin-who-can-do-what');

    await page.getByRole('combobox', { name: 'Role' }).fill('Helpdesk');
    await page.getByRole('option', { name: helpdesk }).click();
    const cyRow = holders.getByRole('row').filter({ hasText: 'Cy' });
    await cyRow.getByText('Through group PAG-HELPDESK (member)').waitFor();
    await cyRow.getByText('Active').waitFor();
    await holders.getByRole('row').filter({ hasText: 'Bea' }).getByText('Directly').waitFor();
  });

  it('removes one assignment, and it is gone from the list and from who can do what', async () => {
    await page.getByRole('tab', { name: 'Assignments' }).click();
    await page.getByRole('combobox', { name: 'Role' }).fill('Password');
    await page.getByRole('option', { name: passwords }).click();
    await rowOf('Cy').waitFor();
    expect(await page.getByRole('table', { name: 'Assignments' }).getByRole('row').count()).toBe(4);
    await page.getByRole('button', { name: `Remove Cy's ${passwords}` }).click();
    await dialog().getByRole('textbox', { name: 'Justification' }).fill('Left the rota');
    await settled();
    await h.screenshot(page, '44-admin-remove');
    await dialog().getByRole('button', { name: 'Remove' }).click();
    await page
      .getByRole('status')
      .getByText(`Cy's eligible ${passwords} assignment (Directory) is removed.`)
      .waitFor();
    await expect
      .poll(() => page.getByRole('table', { name: 'Assignments' }).getByRole('row').count())
      .toBe(3);

    await page.getByRole('tab', { name: 'Who can do what' }).click();
    const holders = page.getByRole('table', { name: 'Who can do what' });
    await holders.getByRole('row').filter({ hasText: 'Adam' }).waitFor();
    expect(await holders.getByRole('row').filter({ hasText: 'Cy' }).count()).toBe(0);
    await h.screenshot(page, '45-admin-assignments');
    expect(h.consoleErrors).toEqual([]);
  });

  it('shows a person who is no reader of PIM neither the dashboard nor the assignments, and lands them on My roles', async () => {
    const rita = await h.t.givenUser('Rita', { password });
    const other = await h.newPage();
    await h.signIn(other, rita, password);
    await other.goto(`${h.baseUrl}/`);
    await other.getByRole('heading', { name: 'My roles', level: 1 }).waitFor();
    const nav = other.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'My requests' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Dashboard' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Assignments' }).count()).toBe(0);
    expect(h.consoleErrors).toEqual([]);
  });
});
