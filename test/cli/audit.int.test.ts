import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/app/context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { composeServices, openMigratedDatabase } from '../../src/compose.js';
import type { DB } from '../../src/db/schema.js';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

/** Rewrites one audit record past the append-only trigger, as someone with database access could. */
async function tamper(db: Kysely<DB>, sequence: number): Promise<string> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('sequence', '=', sequence)
    .executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
    await sql`update audit_log set activity_display_name = 'Nothing to see' where sequence = ${sequence}`.execute(
      trx,
    );
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
  });
  return row.id;
}

describe('elevate audit list, export, verify (online)', () => {
  let h: CliHarness;

  beforeEach(async () => {
    h = await startCliHarness();
    await h.t.givenUser('Adam');
    for (const role of ['Helpdesk Administrator', 'Exchange Administrator']) {
      const r = await h.run(['assign', 'adam@elevate.test', role, '--eligible'], { as: h.t.admin });
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterEach(() => h.close());

  it('lists records newest first, filtered by category, activity, time and count', async () => {
    const all = await h.run(['audit', 'list'], { as: h.t.admin });
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+CATEGORY\s+ACTIVITY\s+RESULT\s+INITIATED BY\s+TARGET$/);
    expect(lines[1]).toMatch(
      /RoleManagement\s+Add eligible member to role in PIM completed \(permanent\)\s+success\s+Admin\s+Exchange Administrator/,
    );

    const some = await h.run(
      [
        'audit',
        'list',
        '--category',
        'rolemanagement',
        '--activity',
        'Add eligible member to role in PIM requested',
        '--top',
        '1',
        '--json',
      ],
      { as: h.t.admin },
    );
    expect(some.code, some.stderr).toBe(0);
    expect(some.json()).toEqual([
      expect.objectContaining({
        category: 'RoleManagement',
        activityDisplayName: 'Add eligible member to role in PIM requested (permanent)',
        activityDateTime: expect.stringMatching(/^2026-01-05T09:00:00(\.0+)?Z$/),
      }),
    ]);

    expect(
      (await h.run(['audit', 'list', '--since', '1h', '--json'], { as: h.t.admin })).json().length,
    ).toBeGreaterThan(3);
    const none = await h.run(['audit', 'list', '--until', '2025-12-31'], { as: h.t.admin });
    expect(none.stdout).toBe('No audit records match.\n');
    expect((await h.run(['audit', 'list', '--since', 'yesterday'], { as: h.t.admin })).code).toBe(2);
    expect((await h.run(['audit', 'list', '--top', '0'], { as: h.t.admin })).code).toBe(2);
  });

  it('exports CSV to stdout and JSON to a file (mode 0600)', async () => {
    const csv = await h.run(['audit', 'export', '--csv'], { as: h.t.admin });
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trimEnd().split(/\r?\n/);
    expect(rows[0]).toMatch(/activityDateTime/);
    expect(rows.length).toBeGreaterThan(4);
    expect(csv.stdout).toContain('Add eligible member to role in PIM completed (permanent)');

    const file = join(h.configDir, 'audit.json');
    const json = await h.run(
      ['audit', 'export', '--json', '--output', file, '--category', 'RoleManagement'],
      {
        as: h.t.admin,
      },
    );
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toBe('');
    expect(json.stderr).toBe(`Wrote the audit log to ${file}.\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const records = JSON.parse(await readFile(file, 'utf8'));
    expect(records).toHaveLength(4);
    expect(records.every((r: { category: string }) => r.category === 'RoleManagement')).toBe(true);

    expect((await h.run(['audit', 'export'], { as: h.t.admin })).code).toBe(2);
    expect((await h.run(['audit', 'export', '--csv', '--json'], { as: h.t.admin })).code).toBe(2);
  });

  it('verifies the chain on the server, and names the record that was rewritten (exit 1)', async () => {
    const ok = await h.run(['audit', 'verify'], { as: h.t.admin });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Audit chain intact: \d+ records, last hash [0-9a-f]{64}\n$/);

    const id = await tamper(h.t.database.db, 2);
    const broken = await h.run(['audit', 'verify'], { as: h.t.admin });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe(`Audit chain broken at record #2 (id ${id}): hash mismatch\n`);
    expect(broken.stderr).toBe('');
    const json = await h.run(['audit', 'verify', '--json'], { as: h.t.admin });
    expect(json.code).toBe(1);
    expect(json.json()).toEqual({ ok: false, brokenAt: 2, id, reason: 'hash mismatch', count: 1 });
  });
});

describe('elevate audit verify --offline', () => {
  let dataDir: string;
  let configDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'elevate-cli-data-'));
    configDir = await mkdtemp(join(tmpdir(), 'elevate-cli-config-'));
    const database = await openMigratedDatabase({ dataDir, databaseUrl: undefined });
    try {
      const services = await composeServices(database);
      const ctx = { actor: systemActor, requestId: services.ids.newId() };
      for (const name of ['adam', 'grace', 'stan'])
        await services.users.createUnchecked(ctx, {
          userPrincipalName: `${name}@elevate.test`,
          displayName: name,
          password: null,
        });
    } finally {
      await database.close();
    }
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(configDir, { recursive: true, force: true });
  });

  // No server and no sign-in: only the server's own environment.
  async function verify(env: Record<string, string>) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['audit', 'verify', '--offline'], {
      env: { ELEVATE_CONFIG_DIR: configDir, HOME: configDir, ...env },
      stdout: { write: (c) => (stdout += String(c)) },
      stderr: { write: (c) => (stderr += String(c)) },
      stdin: process.stdin,
    });
    return { code, stdout, stderr };
  }

  it('re-hashes the chain straight from the data directory, and reports a rewritten record', async () => {
    const ok = await verify({ ELEVATE_DATA_DIR: dataDir });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Audit chain intact: 3 records, last hash [0-9a-f]{64}\n$/);

    const database = await openMigratedDatabase({ dataDir, databaseUrl: undefined });
    let id: string;
    try {
      id = await tamper(database.db, 3);
    } finally {
      await database.close();
    }
    const broken = await verify({ ELEVATE_DATA_DIR: dataDir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe(`Audit chain broken at record #3 (id ${id}): hash mismatch\n`);
  });

  it('refuses a directory that holds no database instead of creating one', async () => {
    const empty = join(configDir, 'no-data-here');
    const r = await verify({ ELEVATE_DATA_DIR: empty });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No Elevate database in');
    await expect(stat(empty)).rejects.toThrow();
  });
});
