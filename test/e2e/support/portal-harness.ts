import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import type { Database } from '../../../src/db/connect.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createTestDatabase } from '../../support/db.js';

const root = join(import.meta.dirname, '../../..');
export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
/** Where each flow's screenshots go (gitignored). */
export const screenshotDir = join(root, 'test-results', 'portal');

/**
 * Builds the production bundle (`npm run build:web`) unless dist/web is newer than every source of it, so the
 * test drives exactly what `npm start` serves.
 */
export function buildPortal(): void {
  const result = spawnSync(process.execPath, [join(root, 'scripts/build-web-if-stale.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`npm run build:web failed:\n${result.stdout}\n${result.stderr}`);
  }
}

export interface PortalHarness {
  readonly t: TestApp;
  /** `http://127.0.0.1:<port>`: the real server, serving the portal build at `/`. */
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

/** The whole server on a loopback port over a fresh PGlite database, and headless Debian Chromium. */
export async function startPortalHarness(): Promise<PortalHarness> {
  buildPortal();
  await mkdir(screenshotDir, { recursive: true });
  const database: Database = await createTestDatabase('pglite');
  const t = await createTestApp(database);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
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
      page.setDefaultTimeout(5_000);
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
    async close() {
      await browser.close();
      await t.app.close();
      await database.close();
    },
  };
}
