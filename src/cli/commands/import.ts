import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadAccessIndex } from '../../app/access/access-index-sync.js';
import { createAuditWriter } from '../../app/audit/audit-writer.js';
import { importTenant, type TenantImportResult } from '../../app/import/import-tenant.js';
import { loadTenantSettings } from '../../app/tenant/tenant-settings.js';
import { openMigratedDatabase, systemClock, uuidV7Ids } from '../../compose.js';
import { loadConfig } from '../../config/config.js';
import { ElevateError } from '../../core/errors.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { formatTable } from '../format/table.js';

/** Imports a tenant file into the database the server's environment names, then loads the access index once. */
export async function importTenantFile(
  io: CliIo,
  file: string,
  options: { progress: boolean },
): Promise<TenantImportResult & { indexSeconds: number; grants: number }> {
  if (!existsSync(file)) throw new CliError(`No tenant file at ${resolve(file)}`);
  const config = loadConfig(io.env);
  const database = await openMigratedDatabase(config);
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: 'importing {phase} [{bar}] {percentage}% | {value}/{total} records | {eta}s left',
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  try {
    const { tenantId } = await loadTenantSettings(database.db, config.tenantId);
    let started = false;
    const result = await importTenant(
      { db: database.db, clock: systemClock, tenantId, ids: uuidV7Ids, audit: createAuditWriter() },
      file,
      (p) => {
        if (!bar) return;
        if (!started) {
          bar.start(p.total, p.done, { phase: p.phase });
          started = true;
        }
        bar.update(p.done, { phase: p.phase });
      },
    );
    bar?.stop();
    const t = performance.now();
    const { index } = await loadAccessIndex(database.db);
    return { ...result, indexSeconds: (performance.now() - t) / 1000, grants: index.stats().grants };
  } catch (error) {
    bar?.stop();
    if (error instanceof ElevateError) throw new CliError(error.message);
    throw error;
  } finally {
    await database.close();
  }
}

/** `elevate import tenant FILE`: bulk-load a tenant in the shared benchmark's format (../shared/bench). */
export function registerImport(program: Command, io: CliIo): void {
  const command = program
    .command('import')
    .description(
      'Bulk-load data into the database (ELEVATE_DATABASE_URL, else ELEVATE_DATA_DIR) without a server',
    );
  command
    .command('tenant')
    .description(
      'Import a tenant.jsonl in the shared benchmark format: scopes, users, groups, memberships, roles of literal actions, role assignments (again: nothing changes)',
    )
    .argument('<file>', 'the tenant.jsonl file')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, opts: { progress: boolean }) => {
      const r = await importTenantFile(io, file, { progress: opts.progress });
      const types = ['scope', 'user', 'group', 'membership', 'roleDefinition', 'roleAssignment'];
      io.stdout.write(
        `${formatTable(
          ['records', 'inserted', 'already there'],
          types.map((t) => [t, String(r.inserted[t] ?? 0), String(r.existing[t] ?? 0)]),
        )}\n`,
      );
      if (r.merged > 0)
        io.stdout.write(`${r.merged} overlapping live assignments were merged into the one they overlap.\n`);
      io.stdout.write(
        `Imported in ${r.seconds.toFixed(1)} s; access index: ${r.grants} active grants loaded in ${r.indexSeconds.toFixed(2)} s.\n`,
      );
    });
}
