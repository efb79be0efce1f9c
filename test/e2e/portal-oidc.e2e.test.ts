import { type AddressInfo, createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenIdClientProvider } from '../../src/connectors/oidc/openid-client-provider.js';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider.js';
import {
  chromiumPath,
  hasChromium,
  type PortalHarness,
  startPortalHarness,
} from './support/portal-harness.js';

const title = hasChromium
  ? 'portal in Chromium: sign-in with the identity provider'
  : `portal single sign-on — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * The sign-in page's single sign-on button in a real browser: the portal at http://localhost:<port>, a real
 * OpenID provider (npm `oidc-provider`) at http://127.0.0.1:<other port> — another site, as in production — whose
 * login completes without a form as the test's `nextLogin`. The callback sets the session cookie and lands in
 * the portal; a refusal lands on the sign-in page with the reason.
 */
describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let idp: TestIdentityProvider;
  let page: Page;

  beforeAll(async () => {
    const port = await freePort();
    idp = await startTestIdentityProvider({
      redirectUri: `http://localhost:${port}/api/auth/oidc/callback`,
    });
    idp.accounts.set('idp-adam', { sub: 'idp-adam', claims: { email: 'adam@elevate.test' } });
    idp.accounts.set('idp-nora', { sub: 'idp-nora', claims: { email: 'nora@elevate.test' } });
    h = await startPortalHarness({
      hostName: 'localhost',
      port,
      app: {
        // The provider's ID tokens carry real instants: the server's clock starts at the real time.
        now: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
        oidc: {
          provider: createOpenIdClientProvider({
            issuer: idp.issuer,
            clientId: idp.clientId,
            clientSecret: idp.clientSecret,
            scopes: 'openid profile email',
            redirectUri: idp.redirectUri,
            timeoutSeconds: 5,
          }),
          matchClaim: 'email',
          createUsers: false,
        },
      },
    });
    await h.t.givenUser('Adam', { password: 'Local-password-unused-2026!' });
  }, 120_000);

  // A new browser context each: the provider's own session cookie would otherwise sign the last person in again.
  beforeEach(async () => {
    page = await h.newPage();
  });
  afterEach(() => page.context().close());

  afterAll(async () => {
    await h?.close();
    await idp?.stop();
  });

  const button = () => page.getByRole('link', { name: `Sign in with ${new URL(idp.issuer).host}` });

  it('shows why a sign-in was refused on the sign-in page, without a session', async () => {
    idp.nextLogin = { sub: 'idp-nora', amr: ['pwd'] };
    await page.goto(`${h.baseUrl}/sign-in`);
    // Back on the page, the portal looks for the session it was promised: none (Chromium logs the 401; the
    // restore runs twice under React's StrictMode).
    h.expectConsoleError(/status of 401.*\/api\/auth\/session/);
    h.expectConsoleError(/status of 401.*\/api\/auth\/session/);
    await button().click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("No Elevate user matches email 'nora@elevate.test'");
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await h.screenshot(page, 'oidc-refused');
    const cookies = await page.context().cookies(h.baseUrl);
    expect(cookies.map((c) => c.name)).not.toContain('elevate_session');
  });

  it('signs in with the button and lands in the portal with a cookie session', async () => {
    idp.nextLogin = { sub: 'idp-adam', amr: ['pwd', 'mfa'] };
    await page.goto(`${h.baseUrl}/sign-in`);
    await button().click();
    await page.getByRole('heading', { name: 'My roles' }).waitFor();
    await h.screenshot(page, 'oidc-signed-in');
    const session = (await page.context().cookies(h.baseUrl)).find((c) => c.name === 'elevate_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // The binding cookie was spent at the callback.
    expect((await page.context().cookies(h.baseUrl)).map((c) => c.name)).not.toContain('elevate_oidc');
    // A reload keeps the session (its CSRF token comes back from GET /api/auth/session).
    await page.reload();
    await page.getByRole('heading', { name: 'My roles' }).waitFor();
    expect(h.consoleErrors).toEqual([]);
  });
});
