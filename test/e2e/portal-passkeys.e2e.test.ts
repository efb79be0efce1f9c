import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import {
  chromiumPath,
  hasChromium,
  type PortalHarness,
  startPortalHarness,
} from './support/portal-harness.js';

const password = 'Passkeys-are-nice-2026!';
const helpdesk = 'Helpdesk Administrator';

const title = hasChromium
  ? 'portal in Chromium: passkey registration, sign-in and step-up with a virtual authenticator'
  : `portal passkeys — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

/**
 * Real WebAuthn ceremonies in Chromium against a CDP virtual authenticator (CTAP2, internal, user-verifying):
 * the portal at http://localhost:<port>, which is also the server's public URL (the RP id is `localhost`).
 */
describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let eve: TestUser;
  let page: Page;
  let cdp: CDPSession;

  beforeAll(async () => {
    h = await startPortalHarness({ hostName: 'localhost' });
    eve = await h.t.givenUser('Eve', { password });
    // Helpdesk Administrator requires MFA on activation (a step-up made for it).
    await h.makeEligible(eve, { roleId: roles.helpdeskAdministrator });
    page = await h.newPage();
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('registers a passkey on the authenticator page', async () => {
    await h.signIn(page, eve, password);
    await page.getByRole('link', { name: 'Authenticator' }).click();
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await page.getByRole('textbox', { name: 'Passkey name' }).fill('This laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContain('Passkey “This laptop” added.');
    const table = page.getByRole('table', { name: 'My passkeys' });
    await expect.poll(() => table.textContent()).toContain('This laptop');
    await h.screenshot(page, 'passkeys-01-registered');
    const stored = await h.t.database.db.selectFrom('user_passkeys').select(['user_id', 'name']).execute();
    expect(stored).toEqual([{ user_id: eve.id, name: 'This laptop' }]);
  });

  it('signs out on the server, then signs in with the password and the passkey', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Elevate' }).waitFor();
    await expect.poll(() => h.t.database.db.selectFrom('portal_sessions').selectAll().execute()).toEqual([]);

    await page.getByLabel('User name').fill(eve.upn);
    await page.getByRole('textbox', { name: 'Password' }).fill(password);
    h.expectConsoleError(/status of 401.*\/api\/auth\/session/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Use a passkey instead' }).click();
    await page.getByRole('heading', { name: 'My roles' }).waitFor();
    await h.screenshot(page, 'passkeys-02-signed-in');
    // The session cookie is HttpOnly and SameSite=Strict; the page's script cannot read it.
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'elevate_session', httpOnly: true, sameSite: 'Strict', secure: false }),
    ]);
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('survives a reload (the cookie session), then activates a role that requires MFA with the passkey', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'My roles' }).waitFor();
    await page.getByRole('button', { name: `Activate ${helpdesk}` }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${helpdesk}` });
    await dialog.getByText('Activate asks for your passkey').waitFor();
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Password reset queue');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContainEqual(expect.stringContaining(helpdesk));
    await h.screenshot(page, 'passkeys-03-activated');
    const proofs = await h.t.database.db
      .selectFrom('step_up_proofs')
      .select(['method', 'target_id', 'consumed_at'])
      .execute();
    expect(proofs).toEqual([
      { method: 'webauthn', target_id: roles.helpdeskAdministrator, consumed_at: expect.any(Date) },
    ]);
  });

  it('changes the password on the authenticator page', async () => {
    await page.getByRole('link', { name: 'Authenticator' }).click();
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill(password);
    await form.getByLabel('New password').first().fill('A-new-passphrase-for-Eve');
    await form.getByLabel('New password again').fill('A-new-passphrase-for-Eve');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('status').allTextContents()).toContain('Password changed.');
    const signIn = await h.t.graph(null, 'POST', '/api/auth/passkey/options', {
      username: eve.upn,
      password: 'A-new-passphrase-for-Eve',
    });
    expect(signIn.status).toBe(200);
  });

  it('logged no console error and threw no uncaught exception', () => {
    expect(h.consoleErrors).toEqual([]);
  });
});
