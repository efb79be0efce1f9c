import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/app/auth/totp.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import {
  chromiumPath,
  hasChromium,
  type PortalHarness,
  startPortalHarness,
} from './support/portal-harness.js';

const password = 'Night-shift-2026!';
const exchange = 'Exchange Administrator';
const stepUpError = /status of 403.*\/api\/v1\/me\/step-up/;

const title = hasChromium
  ? 'portal in Chromium: sign-in with TOTP, activation with step-up, authenticator set-up'
  : `portal in Chromium — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let eve: TestUser;
  let noah: TestUser;

  beforeAll(async () => {
    h = await startPortalHarness();
    eve = await h.t.givenUser('Eve', { password });
    noah = await h.t.givenUser('Noah', { password });
    // Exchange Administrator asks for MFA (a step-up made for the activation) and a justification.
    await h.patchRule(roles.exchangeAdministrator, {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
      id: 'Enablement_EndUser_Assignment',
      enabledRules: ['MultiFactorAuthentication', 'Justification'],
    });
    for (const user of [eve, noah]) await h.makeEligible(user, { roleId: roles.exchangeAdministrator });
    await h.patchRule(roles.groupsAdministrator, {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
      id: 'Enablement_EndUser_Assignment',
      enabledRules: ['Justification'],
    });
    await h.makeEligible(eve, { roleId: roles.groupsAdministrator });
    // Eve has an authenticator app already (enrolled through the API); Noah has none.
    await h.t.enrolTotp(eve);
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('signs in with a password and then the code of the authenticator app', async () => {
    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/sign-in`);
    await page.getByLabel('User name').fill(eve.upn);
    await page.getByRole('textbox', { name: 'Password' }).fill(password);
    h.expectConsoleError(/status of 401.*\/api\/auth\/session/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByRole('textbox', { name: 'Authentication code' });
    await code.waitFor();
    await h.screenshot(page, 'step-up-01-sign-in-code');
    await code.fill(await h.t.nextTotp(eve));
    await code.press('Enter');
    await page.getByRole('heading', { name: 'My roles' }).waitFor();
    await page.getByRole('button', { name: `Activate ${exchange}` }).waitFor();
    await activateWithStepUp(page);
    await page.close();
  });

  /** The dialog asks for a code; a wrong and a spent one are refused in words, a fresh one activates. */
  async function activateWithStepUp(page: Page) {
    await page.getByRole('button', { name: `Activate ${exchange}` }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${exchange}` });
    const code = dialog.getByRole('textbox', { name: 'Authenticator code' });
    await code.waitFor();
    expect(await dialog.getByLabel("What this role's settings require").textContent()).toContain(
      'Multi-factor authentication',
    );
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Mail flow incident');
    await code.fill('000000');
    h.expectConsoleError(stepUpError);
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => dialog.textContent()).toContain('The verification code is incorrect.');

    // The code Eve signed in with is spent: the server says so, and to wait for the next one.
    const spent = await totpCode((await h.t.enrolTotp(eve)).secret, h.t.clock.now());
    await code.fill(spent);
    h.expectConsoleError(stepUpError);
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => dialog.textContent())
      .toContain('This code was already used; wait for the next code from your authenticator app.');
    await h.screenshot(page, 'step-up-02-code-refused');

    await code.fill(await h.t.nextTotp(eve));
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/Exchange Administrator is active until/);
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('table', { name: 'Active roles' }).getByRole('row', { name: /Exchange/ });
    await row.getByRole('button', { name: `Deactivate ${exchange}` }).waitFor();
    await h.screenshot(page, 'step-up-03-active');
  }

  it('without an authenticator, says so, sets one up on the Authenticator page, then steps up', async () => {
    const page = await h.newPage();
    await h.signIn(page, noah, password);
    await page.getByRole('button', { name: `Activate ${exchange}` }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${exchange}` });
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toContain('Set up an authenticator app first');
    expect(await dialog.getByRole('button', { name: 'Activate' }).isDisabled()).toBe(true);
    await h.screenshot(page, 'step-up-04-no-authenticator');

    await dialog.getByRole('link', { name: 'Set up authenticator' }).click();
    await page.getByRole('heading', { name: 'Authenticator', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Set up authenticator' }).click();
    const key = page.getByLabel('Secret key');
    await key.waitFor();
    const secret = ((await key.textContent()) ?? '').replaceAll(' ', '');
    expect(await page.getByLabel('Setup link').textContent()).toContain(`otpauth://totp/`);
    await h.screenshot(page, 'step-up-05-authenticator-key');

    await page.getByRole('textbox', { name: 'Code from the app' }).fill('123456');
    h.expectConsoleError(/status of 403.*\/api\/v1\/me\/mfa\/totp\/verify/);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => page.getByRole('main').textContent())
      .toContain('The verification code is incorrect.');
    await page
      .getByRole('textbox', { name: 'Code from the app' })
      .fill(await totpCode(secret, h.t.clock.now()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = page.getByLabel('Recovery codes');
    await codes.waitFor();
    expect(await codes.getByRole('listitem').count()).toBe(10);
    await h.screenshot(page, 'step-up-06-recovery-codes');

    await page.getByRole('link', { name: 'Back to My roles' }).click();
    await page.getByRole('button', { name: `Activate ${exchange}` }).click();
    const again = page.getByRole('dialog', { name: `Activate ${exchange}` });
    await again.getByRole('textbox', { name: 'Justification' }).fill('Mail flow incident');
    // The confirming code is spent; the next step's code is fresh (the server allows one step of drift).
    await again
      .getByRole('textbox', { name: 'Authenticator code' })
      .fill(await totpCode(secret, new Date(h.t.clock.now().getTime() + 30_000)));
    await again.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/Exchange Administrator is active until/);
    await page.close();
  });

  it('asks for a code when the server refuses for MFA although the settings read earlier did not ask', async () => {
    const page = await h.newPage();
    await h.signIn(page, eve, password, () => h.t.nextTotp(eve));
    await page.getByRole('button', { name: 'Activate Groups Administrator' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate Groups Administrator' });
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('New project groups');
    expect(await dialog.getByLabel("What this role's settings require").textContent()).not.toContain(
      'Multi-factor',
    );
    expect(await dialog.getByRole('textbox', { name: 'Authenticator code' }).count()).toBe(0);

    // Meanwhile an administrator makes the role ask for MFA.
    await h.patchRule(roles.groupsAdministrator, {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
      id: 'Enablement_EndUser_Assignment',
      enabledRules: ['MultiFactorAuthentication', 'Justification'],
    });
    h.expectConsoleError(/status of 400.*roleAssignmentScheduleRequests/);
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toMatch(/A code from your authenticator app is needed.*requires a multi-factor step-up/);
    await h.screenshot(page, 'step-up-07-asked-after-refusal');
    await dialog.getByRole('textbox', { name: 'Authenticator code' }).fill(await h.t.nextTotp(eve));
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/Groups Administrator is active until/);
    await page.close();
  });

  it('logged no console error and threw no uncaught exception', () => {
    expect(h.consoleErrors).toEqual([]);
  });
});
