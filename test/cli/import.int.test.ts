import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSharedQueries } from '../../bench/shared-queries.js';
import { generateTenant } from '../../bench/shared-tenant.js';
import { createAccessService } from '../../src/app/access/access-service.js';
import { wireAccessIndex } from '../../src/app/access/wire-access-index.js';
import { verifyAuditChain } from '../../src/app/audit/verify-audit-chain.js';
import { runCli } from '../../src/cli/run-cli.js';
import { openMigratedDatabase } from '../../src/compose.js';
import { listAuditEntries } from '../../src/db/repositories/audit-log-repository.js';
import { reader } from '../access/access-world.js';
import { databaseUrlFor, runAsAdmin } from '../support/global-setup.js';

/** Runs `elevate …` in-process against the data directory. */
async function elevate(argv: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    stdout: { write: (c) => (stdout += String(c)) },
    stderr: { write: (c) => (stderr += String(c)) },
    stdin: Readable.from([]),
  });
  return { code, stdout, stderr };
}

/** What the import audited: records per activity, how many imports (correlation ids), and whether the chain verifies. */
async function importAuditSummary(dataDir: string, databaseUrl: string | undefined) {
  const database = await openMigratedDatabase({ dataDir, databaseUrl });
  try {
    const entries = await listAuditEntries(database.db, { limit: 1_000_000 });
    const byActivity: Record<string, number> = {};
    for (const e of entries) byActivity[e.activityDisplayName] = (byActivity[e.activityDisplayName] ?? 0) + 1;
    const assignments = entries.filter(
      (e) => e.loggedByService === 'PIM' && e.category === 'ResourceManagement',
    );
    const isUpdate = (e: (typeof entries)[number]) =>
      e.additionalDetails.some((d) => d.key === 'MergedAssignmentId');
    return {
      byActivity,
      total: entries.length,
      chainOk: (await verifyAuditChain({ db: database.db })).ok,
      correlationIds: new Set(entries.map((e) => e.correlationId)).size,
      adminAssigned: assignments.filter(
        (e) => e.additionalDetails.some((d) => d.key === 'RoleDefinitionId') && !isUpdate(e),
      ).length,
      adminUpdated: assignments.filter(isUpdate).length,
      firstAssignmentRecord: assignments.find(
        (e) => !isUpdate(e) && e.additionalDetails.some((d) => d.key === 'RoleDefinitionId'),
      ),
    };
  } finally {
    await database.close();
  }
}

describe('elevate import tenant', () => {
  let dir: string;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = generateTenant(300);
    dataDir = await mkdtemp(join(tmpdir(), 'elevate-import-'));
    env = { ELEVATE_DATA_DIR: dataDir, HOME: dataDir };
  }, 120_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const targets = [
    { kind: 'pglite', url: undefined as string | undefined },
    ...(process.env.TEST_POSTGRES_URL ? [{ kind: 'postgres', url: process.env.TEST_POSTGRES_URL }] : []),
  ];
  it.each(targets)(
    'loads the shared tenant [$kind], whose every expected answer the index and the evaluator then give; again changes nothing',
    async ({ url }) => {
      let env = { ELEVATE_DATA_DIR: dataDir, HOME: dataDir } as Record<string, string>;
      let databaseUrl: string | undefined;
      let dropDatabase = async () => {};
      if (url) {
        const name = `elevate_import_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
        await runAsAdmin(url, `create database ${name}`);
        databaseUrl = databaseUrlFor(url, name);
        env = { ...env, ELEVATE_DATABASE_URL: databaseUrl };
        dropDatabase = () => runAsAdmin(url, `drop database if exists ${name} with (force)`);
      }
      try {
        const first = await elevate(['import', 'tenant', join(dir, 'tenant.jsonl'), '--no-progress'], env);
        expect(first.stderr).toBe('');
        expect(first.code).toBe(0);
        // Live windows overlapping another of the same principal, role and scope are merged into it (one per key).
        const merged = Number(/(\d+) overlapping live assignments were merged/.exec(first.stdout)?.[1] ?? 0);
        expect(first.stdout).toMatch(new RegExp(`roleAssignment\\s+${3000 - merged}\\s+0`));
        expect(first.stdout).toMatch(/access index: \d+ active grants loaded/);
        const audited = await importAuditSummary(dataDir, databaseUrl);
        expect(audited).toMatchObject({
          chainOk: true,
          correlationIds: 1,
          byActivity: {
            'Onboarded resource from PIM': 188, // the tenant root group and the file's 187 scopes
            'Add user': 300,
            'Add role definition': 100,
          },
          adminAssigned: 3000 - merged,
        });
        // A merge that widened a window is an update; one the window already covered changed nothing.
        expect(audited.adminUpdated).toBeLessThanOrEqual(merged);
        expect(audited.byActivity['Add member to group']).toBeGreaterThan(0);
        expect(audited.firstAssignmentRecord).toMatchObject({
          loggedByService: 'PIM',
          category: 'ResourceManagement',
          initiatedBy: { user: { displayName: 'Elevate PIM' } },
        });
        expect(audited.firstAssignmentRecord?.additionalDetails).toContainEqual({
          key: 'ImportedFrom',
          value: 'tenant.jsonl',
        });

        const database = await openMigratedDatabase({ dataDir, databaseUrl });
        try {
          const clock = { now: () => new Date('2026-01-15T12:00:00Z') };
          const { db, accessIndex } = await wireAccessIndex(database);
          const access = createAccessService({ db, clock, index: accessIndex });
          const q = readSharedQueries(dir);
          const questions = q.principalId.map((principalId, i) => ({
            principalId,
            target:
              q.permission[i] !== null
                ? { action: q.permission[i] as string }
                : { roleDefinitionId: q.roleDefinitionId[i] as string },
            scope: q.scope[i] as string,
            at: new Date(q.time[i] as number),
          }));
          const expected = [...q.expected].map((e) => e === 1);
          const decided = await access.decide(reader, questions);
          const wrong = decided.flatMap((d, i) =>
            d === expected[i] ? [] : [{ ...questions[i], category: q.category[i] }],
          );
          expect(wrong.slice(0, 3)).toEqual([]);
          expect(expected.filter(Boolean).length).toBeGreaterThan(questions.length / 3);
          // The evaluator over the database (what /access/check and explain read) agrees on a sample.
          const sample = questions.slice(0, 600);
          const checked = (await access.check(reader, sample)).map((d) => d.allowed);
          expect(checked).toEqual(expected.slice(0, 600));
        } finally {
          await database.close();
        }

        const again = await elevate(['import', 'tenant', join(dir, 'tenant.jsonl'), '--no-progress'], env);
        expect(again.code).toBe(0);
        expect(again.stdout).toMatch(/roleAssignment\s+0\s+\d+/);
        expect(again.stdout).toMatch(/scope\s+0\s+187/);
        expect(again.stdout).toMatch(/user\s+0\s+300/);
        // Nothing changed, so nothing more is audited.
        expect((await importAuditSummary(dataDir, databaseUrl)).total).toBe(audited.total);
      } finally {
        await dropDatabase();
      }
    },
    300_000,
  );

  it('refuses a missing file and a malformed one, naming the line', async () => {
    const missing = await elevate(['import', 'tenant', join(dataDir, 'nope.jsonl')], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/No tenant file at/);
    const bad = join(dataDir, 'bad.jsonl');
    await writeFile(
      bad,
      '{"type":"meta","formatVersion":1,"now":"2026-01-15T12:00:00Z","counts":{}}\n{"type":"planet"}\n',
    );
    const malformed = await elevate(['import', 'tenant', bad, '--no-progress'], env);
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toMatch(/bad\.jsonl:2: unknown record type 'planet'/);
  }, 120_000);
});
