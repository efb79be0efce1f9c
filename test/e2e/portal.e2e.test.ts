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
  ? 'portal in Chromium: sign in, My roles, activate, countdown, deactivate, sign out'
  : `portal in Chromium — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let adam: TestUser;
  let page: Page;

  beforeAll(async () => {
    h = await startPortalHarness();
    adam = await h.t.givenUser('Adam', { password });
    // Helpdesk Administrator asks only for a justification, so a password sign-in (no MFA) may activate it.
    await h.patchRule(roles.helpdeskAdministrator, {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
      id: 'Enablement_EndUser_Assignment',
      enabledRules: ['Justification'],
    });
    const eligible = await h.t.graph(
      { ...h.t.admin, token: h.t.admin.mfaToken },
      'POST',
      '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
      {
        action: 'adminAssign',
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'Service desk rota',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    );
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
    page = await h.newPage();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('serves the portal with a strict CSP, and sends a signed-out visitor to sign in', async () => {
    const response = await page.goto(`${h.baseUrl}/my-roles`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe');
    await page.getByRole('heading', { name: 'Sign in to Elevate' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await h.screenshot(page, '01-sign-in');

    await page.getByLabel('User name').fill(adam.upn);
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    h.expectConsoleError(/status of 401.*\/api\/auth\/session/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('The user name or password is incorrect.');
    await h.screenshot(page, '02-sign-in-refused');
  });

  it('signs in (from the keyboard) and lists the eligible role', async () => {
    await page.getByRole('textbox', { name: 'Password' }).fill(password);
    await page.getByRole('textbox', { name: 'Password' }).press('Enter');
    await page.getByRole('heading', { name: 'My roles' }).waitFor();
    // Back where the visitor wanted to go.
    expect(new URL(page.url()).pathname).toBe('/my-roles');

    const eligible = page.getByRole('table', { name: 'Eligible roles' });
    const row = eligible.getByRole('row', { name: new RegExp(helpdesk) });
    await row.getByRole('button', { name: `Activate ${helpdesk}` }).waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(1, 5)).toEqual([
      helpdesk,
      'Directory',
      'Direct',
      'Permanent',
    ]);
    await expect
      .poll(() => page.getByRole('table', { name: 'Active roles' }).textContent())
      .toContain('No role or group is active for you now.');
    await h.screenshot(page, '03-my-roles');
  });

  it('activates with a justification and shows the role active with a live countdown', async () => {
    await page.getByRole('button', { name: `Activate ${helpdesk}` }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${helpdesk}` });
    const duration = dialog.getByRole('textbox', { name: 'Duration (hours)' });
    await duration.waitFor();
    // The default is the role's maximum (Entra's 8 hours).
    expect(await duration.inputValue()).toBe('8');
    expect(await dialog.getByLabel("What this role's settings require").textContent()).toMatch(
      /justification/i,
    );
    await duration.fill('2');
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Password resets for the night shift');
    await h.screenshot(page, '04-activate-dialog');
    await dialog.getByRole('button', { name: 'Activate' }).click();

    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(/Helpdesk Administrator is active until/);
    const active = page.getByRole('table', { name: 'Active roles' });
    const row = active.getByRole('row', { name: new RegExp(helpdesk) });
    await row.getByRole('button', { name: `Deactivate ${helpdesk}` }).waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(0, 4)).toEqual([
      helpdesk,
      'Directory',
      'Direct',
      'Activated',
    ]);
    const timer = row.getByRole('timer');
    await expect.poll(() => timer.textContent()).toMatch(/^1h 59m \d+s$/);
    // The countdown runs: a minute later it shows a minute less.
    await page.clock.fastForward('01:00');
    await expect.poll(() => timer.textContent()).toMatch(/^1h 58m \d+s$/);
    // The eligible row now says it is active instead of offering a second activation.
    const eligibleRow = page
      .getByRole('table', { name: 'Eligible roles' })
      .getByRole('row', { name: /Helpdesk/ });
    expect(await eligibleRow.getByRole('button').count()).toBe(0);
    await h.screenshot(page, '05-active-countdown');
  });

  it("shows the server's refusal verbatim, then deactivates once 5 minutes have passed", async () => {
    await page.getByRole('button', { name: `Deactivate ${helpdesk}` }).click();
    const dialog = page.getByRole('dialog', { name: `Deactivate ${helpdesk}` });
    h.expectConsoleError(/status of 400.*roleAssignmentScheduleRequests/);
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toContain('cannot be deactivated within 5 minutes of activation');
    await h.screenshot(page, '06-deactivate-refused');

    h.t.clock.advanceMinutes(6);
    await page.clock.fastForward('06:00');
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Helpdesk Administrator is no longer active.');
    await expect
      .poll(() => page.getByRole('table', { name: 'Active roles' }).textContent())
      .toContain('No role or group is active for you now.');
    await page.getByRole('button', { name: `Activate ${helpdesk}` }).waitFor();
    await h.screenshot(page, '07-deactivated');
  });

  it('signs out, and a reload does not sign back in (the session ended on the server)', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Elevate' }).waitFor();
    await page.goto(`${h.baseUrl}/my-roles`);
    await page.getByRole('heading', { name: 'Sign in to Elevate' }).waitFor();
    await h.screenshot(page, '08-signed-out');
  });

  it('logged no console error and threw no uncaught exception', () => {
    expect(h.consoleErrors).toEqual([]);
  });
});
