import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createOidcTestApp, type OidcTestApp } from '../support/oidc.js';
import {
  type IdpLogin,
  startTestIdentityProvider,
  type TestIdentityProvider,
} from '../support/oidc-provider.js';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

describe('elevate login --oidc and activate --oidc (browser flow, loopback redirect)', () => {
  let idp: TestIdentityProvider;
  let h: CliHarness & { readonly t: OidcTestApp };
  const opened: string[] = [];
  const pages: string[] = [];
  /** The browser's work, still running when the CLI has its answer. */
  const browsing: Promise<void>[] = [];

  beforeAll(async () => {
    idp = await startTestIdentityProvider();
    idp.accounts.set('idp-adam', { sub: 'idp-adam', claims: { email: 'adam@elevate.test' } });
    idp.accounts.set('idp-stranger', { sub: 'idp-stranger', claims: { email: 'stranger@elevate.test' } });
  });
  afterAll(() => idp.stop());
  beforeEach(async () => {
    opened.length = 0;
    pages.length = 0;
    browsing.length = 0;
    await idp.start();
    h = await startCliHarness({ createApp: (db) => createOidcTestApp(db, idp) });
    await h.t.givenUser('Adam');
  });
  afterEach(() => h.close());

  /**
   * The person's browser: the provider (signing in as `login`), Elevate's callback on the running server, then the
   * CLI's loopback page, whose script posts the URL fragment back to the CLI (done here as the page would).
   */
  const browser = (login: IdpLogin) => (url: string) => {
    const run = async () => {
      opened.push(url);
      idp.nextLogin = login;
      const back = await idp.authorize(url);
      const callback = await fetch(`${h.server}${back.pathname}${back.search}`, { redirect: 'manual' });
      const loopback = new URL(callback.headers.get('location') ?? '');
      const page = await fetch(new URL(loopback.pathname, loopback));
      pages.push(await page.text());
      const relayed = await fetch(new URL(loopback.pathname, loopback), {
        method: 'POST',
        headers: { origin: loopback.origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: loopback.hash.slice(1),
      });
      pages.push(await relayed.text());
    };
    browsing.push(run());
  };

  it('signs in through the browser, keeps the token like a password sign-in, and prints the URL', async () => {
    const login = await h.run(['login', '--oidc'], {
      openUrl: browser({ sub: 'idp-adam', amr: ['pwd', 'mfa'] }),
    });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(
      `Signed in to ${h.server} as adam@elevate.test through your identity provider`,
    );
    expect(login.stderr).toContain('Opening your browser to sign in at your identity provider');
    expect(login.stderr).toContain(opened[0]);
    expect(opened[0]).toMatch(new RegExp(`^${idp.issuer}/auth\\?`));
    expect(new URL(opened[0]!).searchParams.get('redirect_uri')).toBe(idp.redirectUri);
    await Promise.all(browsing);
    expect(pages[0]).toContain('location.hash');
    expect(pages[1]).toContain('you can close this window');

    const saved = JSON.parse(await readFile(join(h.configDir, 'credentials.json'), 'utf8'));
    expect(saved).toMatchObject({
      server: h.server,
      username: 'adam@elevate.test',
      token: expect.stringMatching(/^ey/),
    });
    expect((await h.run(['whoami'])).stdout).toContain('adam@elevate.test');
  });

  it('reports a refusal brought back by the browser, and a provider that is down, with exit 1', async () => {
    const nobody = await h.run(['login', '--oidc'], { openUrl: browser({ sub: 'idp-stranger' }) });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(
      /\nelevate: No Elevate user matches email 'stranger@elevate\.test'\. An administrator must create your user first\.\n$/,
    );
    await Promise.all(browsing);
    expect(pages[1]).toContain('Elevate could not sign in');

    await idp.stop();
    const down = await h.run(['login', '--oidc'], { openUrl: browser({ sub: 'idp-adam' }) });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`elevate: The identity provider ${idp.issuer} cannot be reached`);
    expect(opened).toHaveLength(1);
    expect((await h.run(['login', '--oidc', '--username', 'adam@elevate.test'])).code).toBe(2);
  });

  it('activates a role that requires MFA with --oidc: the step-up happens in the browser', async () => {
    const adam = await h.t.givenUser('Adam2');
    const eligible = await h.t.graph(
      h.t.admin,
      'POST',
      '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
      {
        action: 'adminAssign',
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'Rota',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    );
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
    idp.accounts.set('idp-adam2', { sub: 'idp-adam2', claims: { email: 'adam2@elevate.test' } });

    const noMfa = await h.run(['activate', 'Helpdesk Administrator', '--justification', 'Queue'], {
      as: adam,
    });
    expect(noMfa.code).toBe(1);
    expect(noMfa.stderr).toContain('step up at your identity provider with --oidc');

    const res = await h.run(['activate', 'Helpdesk Administrator', '--justification', 'Queue', '--oidc'], {
      as: adam,
      openUrl: browser({ sub: 'idp-adam2', amr: ['pwd', 'mfa'] }),
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Activated Helpdesk Administrator at /');
    expect(new URL(opened[0]!).searchParams.get('max_age')).toBe('300');
    expect(res.stderr).toContain('Opening your browser to step up at your identity provider');
  });
});
