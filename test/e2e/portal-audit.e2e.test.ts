import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { auditCsvColumns } from '../../src/http/api/audit-export.js';
import type { TestUser } from '../support/app.js';
import {
  chromiumPath,
  hasChromium,
  type PortalHarness,
  startPortalHarness,
} from './support/portal-harness.js';

const password = 'Night-shift-2026!';

const title = hasChromium
  ? 'portal in Chromium: an auditor searches the audit log, opens a record, downloads CSV and JSON, sees the chain intact'
  : `portal in Chromium — SKIPPED: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`;

describe.skipIf(!hasChromium)(title, () => {
  let h: PortalHarness;
  let rita: TestUser;
  let ada: TestUser;
  let page: Page;
  /** Every record, newest first, as the Graph list has them. */
  let everything: {
    id: string;
    activityDisplayName: string;
    initiatedBy: { user: { displayName: string } | null };
  }[];

  beforeAll(async () => {
    h = await startPortalHarness();
    rita = await h.t.givenUser('Rita', { password, roles: [roles.globalReader] });
    ada = await h.t.givenUser('Ada', { roles: [roles.privilegedRoleAdministrator] });
    // Given Ada makes three people eligible, and the Global Administrator changes a role's settings.
    for (const name of ['Adam', 'Bea', 'Carl']) {
      const user = await h.t.givenUser(name);
      h.t.clock.advance(60_000);
      const res = await h.t.graph(
        ada,
        'POST',
        '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
        {
          action: 'adminAssign',
          principalId: user.id,
          roleDefinitionId: roles.helpdeskAdministrator,
          directoryScopeId: '/',
          justification: `Rota for ${name}`,
          scheduleInfo: { expiration: { type: 'noExpiration' } },
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    h.t.clock.advance(60_000);
    await h.patchRule(roles.helpdeskAdministrator, {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
      id: 'Enablement_EndUser_Assignment',
      enabledRules: ['Justification'],
    });
    everything = (await h.t.graph(h.t.admin, 'GET', '/v1.0/auditLogs/directoryAudits?$top=999')).body.value;
    page = await h.newPage();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('shows the newest records first, the total, and the chain verified', async () => {
    await h.signIn(page, rita, password);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    // Signing in is a record too.
    everything = (await h.t.graph(h.t.admin, 'GET', '/v1.0/auditLogs/directoryAudits?$top=999')).body.value;

    const chain = page.getByRole('region', { name: 'Audit chain' });
    await expect.poll(() => chain.textContent()).toContain('Audit chain verified');
    expect(await chain.textContent()).toContain(`All ${everything.length} records are intact`);

    const table = page.getByRole('table', { name: 'Audit records' });
    await expect
      .poll(() => page.getByText(/^Showing \d+ of \d+ records?$/).textContent())
      .toBe(`Showing ${everything.length} of ${everything.length} records`);
    const first = table.getByRole('row').nth(1);
    expect(await first.getByRole('cell').nth(1).textContent()).toBe(everything[0]?.activityDisplayName);
    expect(await first.getByRole('cell').nth(2).textContent()).toBe('Rita');
    const second = table.getByRole('row').nth(2);
    expect(await second.getByRole('cell').nth(1).textContent()).toBe('Update role setting in PIM');
    expect(await second.getByRole('cell').nth(2).textContent()).toBe('Admin');
    await h.screenshot(page, '30-audit');
  });

  it('searches by who and by activity, and opens a record', async () => {
    await page.getByRole('textbox', { name: 'Initiated by' }).fill('Ada');
    await page
      .getByRole('textbox', { name: 'Activity' })
      .fill('Add eligible member to role in PIM completed');
    await page.getByRole('button', { name: 'Search' }).click();
    const want = everything.filter(
      (r) =>
        r.initiatedBy.user?.displayName === 'Ada' &&
        r.activityDisplayName.startsWith('Add eligible member to role in PIM completed'),
    );
    expect(want).toHaveLength(3);
    await expect
      .poll(() => page.getByText(/^Showing \d+ of \d+ records? matching the search$/).textContent())
      .toBe('Showing 3 of 3 records matching the search');
    const table = page.getByRole('table', { name: 'Audit records' });
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(4);
    for (let i = 1; i < 4; i++) expect(await rows.nth(i).getByRole('cell').nth(2).textContent()).toBe('Ada');
    // Newest first: Carl was made eligible last.
    expect(await rows.nth(1).getByRole('cell').nth(3).textContent()).toContain('Carl');
    await h.screenshot(page, '31-audit-search');
    // The search is in the address: a reload shows the same search and records.
    expect(new URL(page.url()).searchParams.get('actor')).toBe('Ada');
    await page.reload();
    await expect
      .poll(() => page.getByText(/^Showing \d+ of \d+ records? matching the search$/).textContent())
      .toBe('Showing 3 of 3 records matching the search');
    expect(await page.getByRole('textbox', { name: 'Initiated by' }).inputValue()).toBe('Ada');

    await rows
      .nth(1)
      .getByRole('button', { name: /^Details of / })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Audit record' });
    expect(await dialog.textContent()).toContain('Helpdesk Administrator');
    expect(await dialog.getByRole('table', { name: 'Details' }).textContent()).toContain('Rota for Carl');
    // The dialog has faded in before the picture is taken.
    await expect
      .poll(() => dialog.evaluate((el) => (globalThis as any).getComputedStyle(el).opacity))
      .toBe('1');
    await h.screenshot(page, '32-audit-record');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // A search that finds nothing says so.
    await page.getByRole('textbox', { name: 'Initiated by' }).fill('Nobody');
    await page.getByRole('button', { name: 'Search' }).click();
    await table.getByText('No record matches this search.').waitFor();
    await page.getByRole('textbox', { name: 'Initiated by' }).fill('Ada');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(4);
  });

  it('downloads what the search found as CSV and as JSON', async () => {
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^elevate-audit-\d{4}-\d{2}-\d{2}T\d{6}Z\.csv$/);
    const lines = (await readFile((await csv.path()) as string, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe(auditCsvColumns.join(','));
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(1)) {
      expect(line).toContain('Add eligible member to role in PIM completed');
      expect(line).toContain(`Ada [user ${ada.id}]`);
    }
    // Oldest first in the file: Adam, Bea, Carl.
    expect(lines.slice(1).map((l) => /User (Adam|Bea|Carl) /.exec(l)?.[1])).toEqual(['Adam', 'Bea', 'Carl']);
    await page.getByRole('status').getByText(`Downloaded ${csv.suggestedFilename()}`).waitFor();

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    expect(json.suggestedFilename()).toMatch(/\.json$/);
    const records = JSON.parse(await readFile((await json.path()) as string, 'utf8')) as {
      activityDisplayName: string;
      hash: string;
    }[];
    expect(records).toHaveLength(3);
    expect(records.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    await h.screenshot(page, '33-audit-exported');
    expect(h.consoleErrors).toEqual([]);
  });
});
