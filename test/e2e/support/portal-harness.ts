import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import type { Database } from '../../../src/db/connect.js';
import { createTestApp, type TestApp, type TestUser } from '../../support/app.js';
import { createTestDatabase } from '../../support/db.js';

const root = join(import.meta.dirname, '../../..');
export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
/** Where each flow's screenshots go (gitignored). */
export const screenshotDir = join(root, 'test-results', 'portal');

/** Held while one test file builds the portal, so files started together never build over each other. */
const buildLock = join(root, 'dist', '.web-build.lock');

/**
 * Builds the production bundle (`npm run build:web`) unless dist/web is newer than every source of it, so the
 * test drives exactly what `npm start` serves. Test files running in parallel take turns: the first builds,
 * the others then find the build fresh (a rebuild empties dist/web, which would fail a page another file loads).
 */
export async function buildPortal(): Promise<void> {
  await mkdir(join(root, 'dist'), { recursive: true });
  const since = Date.now();
  for (;;) {
    try {
      mkdirSync(buildLock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than two minutes was left by a run that was killed mid-build.
      if (Date.now() - (statSync(buildLock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000)
        rmSync(buildLock, { recursive: true, force: true });
      if (Date.now() - since > 180_000) throw new Error(`Waited 3 minutes for ${buildLock} to go away`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    const result = spawnSync(process.execPath, [join(root, 'scripts/build-web-if-stale.mjs')], {
      cwd: root,
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new Error(`npm run build:web failed:\n${result.stdout}\n${result.stderr}`);
    }
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
}

export interface PortalHarness {
  readonly t: TestApp;
  /** `http://127.0.0.1:<port>` (or `http://localhost:<port>`): the real server, serving the portal build at `/`. */
  readonly baseUrl: string;
  readonly browser: Browser;
  /** A fresh page whose clock starts at the server's test clock; its console is watched (`consoleErrors`). */
  newPage(): Promise<Page>;
  /** Console errors and uncaught exceptions seen so far, except those announced with `expectConsoleError`. */
  readonly consoleErrors: string[];
  /** Announces one console error the next step causes on purpose (Chromium logs every 4xx answer). */
  expectConsoleError(pattern: RegExp): void;
  screenshot(page: Page, name: string): Promise<void>;
  /** PATCHes one rule of a directory role's settings at '/' as the test's Global Administrator. */
  patchRule(roleId: string, rule: Record<string, unknown> & { id: string }): Promise<void>;
  /** PATCHes one rule of a group's member or owner settings as the test's Global Administrator. */
  patchGroupRule(
    groupId: string,
    accessId: 'member' | 'owner',
    rule: Record<string, unknown> & { id: string },
  ): Promise<void>;
  /** A Privileged Access Group (role-assignable) holding `roleIds` actively and permanently at '/'. */
  givenPag(name: string, roleIds: readonly string[]): Promise<{ id: string; displayName: string }>;
  /** Makes `user` eligible, permanently, for a directory role at '/' or for a group's membership. */
  makeEligible(user: TestUser, target: { roleId: string } | { groupId: string }): Promise<void>;
  /** Signs in through the page; `totp` answers the code when the account asks for one. */
  signIn(page: Page, user: TestUser, password: string, totp?: () => Promise<string>): Promise<void>;
  close(): Promise<void>;
}

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A free loopback port, for a server whose public URL must be known before it listens. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * The whole server on a loopback port over a fresh PGlite database, and headless Debian Chromium. With
 * `hostName: 'localhost'` the portal is reached at `http://localhost:<port>`, which is also the server's public
 * URL: passkeys need a host name (browsers refuse an IP address as the WebAuthn RP id).
 */
export async function startPortalHarness(
  options: {
    hostName?: 'localhost';
    /** The port to listen on, when something (an identity provider's redirect URI) must know it first. */
    port?: number;
    /** More of the server's test options (single sign-on, the clock's start). */
    app?: Omit<NonNullable<Parameters<typeof createTestApp>[1]>, 'publicUrl'>;
  } = {},
): Promise<PortalHarness> {
  await buildPortal();
  await mkdir(screenshotDir, { recursive: true });
  const database: Database = await createTestDatabase('pglite');
  const fixedPort = options.port ?? (options.hostName ? await freePort() : 0);
  const publicUrl = options.hostName ? `http://${options.hostName}:${fixedPort}` : undefined;
  const t = await createTestApp(database, { ...options.app, ...(publicUrl ? { publicUrl } : {}) });
  await t.app.listen({ port: fixedPort, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const baseUrl = publicUrl ?? `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs });

  const consoleErrors: string[] = [];
  const expected: RegExp[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} (${message.location().url})`;
    const i = expected.findIndex((p) => p.test(text));
    if (i >= 0) expected.splice(i, 1);
    else consoleErrors.push(text);
  };

  return {
    t,
    baseUrl,
    browser,
    consoleErrors,
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      // Generous: CI runs the browser beside the rest of the suite on two cores.
      page.setDefaultTimeout(20_000);
      page.on('console', onConsole);
      page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
      // The countdown reads the browser's clock; start it at the server's test clock, then let it run.
      await page.clock.install({ time: t.clock.now() });
      return page;
    },
    expectConsoleError(pattern) {
      expected.push(pattern);
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
    },
    async patchRule(roleId, rule) {
      const found = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleId}'`,
      );
      const policyId = found.body?.value?.[0]?.policyId;
      if (!policyId) throw new Error(`policy of ${roleId}: ${JSON.stringify(found.body)}`);
      const res = await t.graph(
        { ...t.admin, token: t.admin.mfaToken },
        'PATCH',
        `/v1.0/policies/roleManagementPolicies/${policyId}/rules/${rule.id}`,
        rule,
      );
      if (res.status !== 204) throw new Error(`PATCH ${rule.id}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async patchGroupRule(groupId, accessId, rule) {
      const found = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${groupId}' and scopeType eq 'Group' and roleDefinitionId eq '${accessId}'`,
      );
      const policyId = found.body?.value?.[0]?.policyId;
      if (!policyId) throw new Error(`policy of ${groupId} ${accessId}: ${JSON.stringify(found.body)}`);
      const res = await t.graph(
        { ...t.admin, token: t.admin.mfaToken },
        'PATCH',
        `/v1.0/policies/roleManagementPolicies/${policyId}/rules/${rule.id}`,
        rule,
      );
      if (res.status !== 204) throw new Error(`PATCH ${rule.id}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async givenPag(name, roleIds) {
      const admin = { ...t.admin, token: t.admin.mfaToken };
      const group = await t.graph(admin, 'POST', '/v1.0/groups', {
        displayName: name,
        mailNickname: name.toLowerCase().replace(/[^a-z0-9]/g, ''),
        securityEnabled: true,
        mailEnabled: false,
        isAssignableToRole: true,
      });
      if (group.status !== 201)
        throw new Error(`group ${name}: ${group.status} ${JSON.stringify(group.body)}`);
      for (const roleDefinitionId of roleIds) {
        const res = await t.graph(
          admin,
          'POST',
          '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
          {
            action: 'adminAssign',
            principalId: group.body.id,
            roleDefinitionId,
            directoryScopeId: '/',
            justification: 'The team role',
            scheduleInfo: { expiration: { type: 'noExpiration' } },
          },
        );
        if (res.status !== 201) throw new Error(`assign ${roleDefinitionId}: ${JSON.stringify(res.body)}`);
      }
      return { id: group.body.id, displayName: group.body.displayName };
    },
    async makeEligible(user, target) {
      const admin = { ...t.admin, token: t.admin.mfaToken };
      const res =
        'roleId' in target
          ? await t.graph(admin, 'POST', '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests', {
              action: 'adminAssign',
              principalId: user.id,
              roleDefinitionId: target.roleId,
              directoryScopeId: '/',
              justification: 'Service desk rota',
              scheduleInfo: { expiration: { type: 'noExpiration' } },
            })
          : await t.graph(
              admin,
              'POST',
              '/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests',
              {
                action: 'adminAssign',
                accessId: 'member',
                principalId: user.id,
                groupId: target.groupId,
                justification: 'Team rota',
                scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
              },
            );
      if (res.status !== 201)
        throw new Error(`eligible ${JSON.stringify(target)}: ${JSON.stringify(res.body)}`);
    },
    async signIn(page, user, password, totp) {
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('User name').fill(user.upn);
      await page.getByRole('textbox', { name: 'Password' }).fill(password);
      if (totp) expected.push(/status of 401.*\/api\/auth\/session/);
      await page.getByRole('button', { name: 'Sign in' }).click();
      if (totp) {
        const code = page.getByRole('textbox', { name: 'Authentication code' });
        await code.fill(await totp());
        await code.press('Enter');
      }
      await page.getByRole('heading', { name: 'My roles' }).waitFor();
    },
    async close() {
      await browser.close();
      await t.app.close();
      await database.close();
    },
  };
}
