import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { odataString } from '../../contracts/elevate-client.js';
import type { GraphDirectoryAudit } from '../../contracts/graph-types.js';
import type { AuditVerification } from '../../contracts/native-schemas.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo, CliOutput } from '../cli-io.js';
import { clip, formatTable } from '../format/table.js';
import { formatInstant, parseInstant } from '../format/time.js';
import { type CommandContext, commandContext, signedIn } from '../session.js';
import { verifyOffline } from './audit-verify-offline.js';

interface ListOptions {
  since?: string;
  until?: string;
  category?: string;
  activity?: string;
  top: string;
}

interface ExportOptions {
  csv?: boolean;
  output?: string;
  since?: string;
  until?: string;
  category?: string;
}

const categories = [
  'RoleManagement',
  'GroupManagement',
  'ResourceManagement',
  'UserManagement',
  'ApplicationManagement',
  'DirectoryManagement',
  'Authentication',
];

/** `elevate audit list|export|verify`: search, export and verify the hash-chained audit log. */
export function registerAudit(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('Search, export and verify the audit log');

  audit
    .command('list')
    .description('List audit records, newest first')
    .option('--since <iso>', 'from this time on (ISO 8601, or 24h / 7d ago)')
    .option('--until <iso>', 'up to this time (ISO 8601, or 24h / 7d ago)')
    .option('--category <name>', `one category: ${categories.join(', ')}`)
    .option('--activity <text>', "activities whose name starts with this text, e.g. 'Add member to role'")
    .option('--top <n>', 'at most this many records', '50')
    .action(async (opts: ListOptions, command: Command) => {
      const ctx = commandContext(io, command);
      const filter = auditFilter(ctx, opts);
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 1 || top > 100_000) {
        throw usageError(`--top must be a whole number from 1 to 100000; got '${opts.top}'`);
      }
      const { client } = await signedIn(ctx);
      const records = await client.listDirectoryAudits({ ...(filter ? { filter } : {}), top });
      if (ctx.json) {
        ctx.printJson(records);
        return;
      }
      if (records.length === 0) {
        ctx.print('No audit records match.');
        return;
      }
      ctx.print(
        formatTable(
          ['time', 'category', 'activity', 'result', 'initiated by', 'target'],
          records.map((r) => [
            formatInstant(new Date(r.activityDateTime)),
            r.category,
            clip(r.activityDisplayName, 60),
            r.result,
            initiator(r),
            clip(targets(r), 60),
          ]),
        ),
      );
    });

  audit
    .command('export')
    .description('Export the whole audit log as CSV (--csv) or JSON (--json), streamed as it is read')
    .option('--csv', 'CSV, one record per row')
    .option('--output <file>', 'write to this file (mode 0600) instead of stdout')
    .option('--since <iso>', 'records at or after this time (ISO 8601, or 24h / 7d ago)')
    .option('--until <iso>', 'records before this time (ISO 8601, or 24h / 7d ago)')
    .option('--category <name>', 'one category, e.g. RoleManagement')
    .action(async (opts: ExportOptions, command: Command) => {
      const ctx = commandContext(io, command);
      if (opts.csv && ctx.json) throw usageError('give --csv or --json, not both');
      if (!opts.csv && !ctx.json) throw usageError('give --csv or --json');
      const now = ctx.now();
      const range = {
        ...(opts.since !== undefined && { from: parseInstant(opts.since, '--since', now) }),
        ...(opts.until !== undefined && { to: parseInstant(opts.until, '--until', now) }),
        ...(opts.category !== undefined && { category: category(opts.category) }),
      };
      const { client } = await signedIn(ctx);
      const body = await client.exportAudit(opts.csv ? 'csv' : 'json', range);
      if (opts.output === undefined) {
        await copyTo(body, io.stdout);
        return;
      }
      const partial = `${opts.output}.partial`;
      try {
        await pipeline(
          Readable.fromWeb(body as import('node:stream/web').ReadableStream),
          createWriteStream(partial, { mode: 0o600 }),
        );
        await rename(partial, opts.output);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      ctx.note(`Wrote the audit log to ${opts.output}.`);
    });

  audit
    .command('verify')
    .description('Re-hash the audit chain and report the first record that was altered, if any')
    .option(
      '--offline',
      'open the database named by ELEVATE_DATA_DIR / ELEVATE_DATABASE_URL directly (server stopped)',
    )
    .action(async (opts: { offline?: boolean }, command: Command) => {
      const ctx = commandContext(io, command);
      const result = opts.offline
        ? await verifyOffline(io.env)
        : await (await signedIn(ctx)).client.verifyAudit();
      report(ctx, result);
    });
}

function auditFilter(ctx: CommandContext, opts: ListOptions): string | undefined {
  const terms: string[] = [];
  const now = ctx.now();
  if (opts.since !== undefined) {
    terms.push(`activityDateTime ge ${parseInstant(opts.since, '--since', now).toISOString()}`);
  }
  if (opts.until !== undefined) {
    terms.push(`activityDateTime le ${parseInstant(opts.until, '--until', now).toISOString()}`);
  }
  if (opts.category !== undefined) {
    const found = categories.find((c) => c.toLowerCase() === opts.category?.trim().toLowerCase());
    if (!found)
      throw usageError(`--category must be one of ${categories.join(', ')}; got '${opts.category}'`);
    terms.push(`category eq '${found}'`);
  }
  if (opts.activity !== undefined) {
    if (opts.activity.trim() === '') throw usageError('--activity must not be empty');
    terms.push(`startswith(activityDisplayName,'${odataString(opts.activity)}')`);
  }
  return terms.length ? terms.join(' and ') : undefined;
}

function category(text: string): string {
  const found = categories.find((c) => c.toLowerCase() === text.trim().toLowerCase());
  if (!found) throw usageError(`--category must be one of ${categories.join(', ')}; got '${text}'`);
  return found;
}

const initiator = (r: GraphDirectoryAudit): string =>
  r.initiatedBy.user?.userPrincipalName ??
  r.initiatedBy.user?.displayName ??
  r.initiatedBy.app?.displayName ??
  '-';

const targets = (r: GraphDirectoryAudit): string =>
  r.targetResources
    .map((t) => t.userPrincipalName ?? t.displayName ?? t.id)
    .filter(Boolean)
    .join(', ');

/** Prints the verification; a broken chain exits 1 after its report. */
function report(ctx: CommandContext, result: AuditVerification): void {
  if (ctx.json) ctx.printJson(result);
  else if (result.ok) ctx.print(`Audit chain intact: ${result.count} records, last hash ${result.lastHash}`);
  else ctx.print(`Audit chain broken at record #${result.brokenAt} (id ${result.id}): ${result.reason}`);
  if (!result.ok) throw new CliError('');
}

/** Copies a download to stdout, waiting for it to drain when it is a real stream. */
async function copyTo(body: ReadableStream<Uint8Array>, out: CliOutput): Promise<void> {
  const drainable = out as CliOutput & { once?: (event: 'drain', fn: () => void) => unknown };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const more = out.write(chunk);
    if (more === false && drainable.once)
      await new Promise<void>((resolve) => drainable.once?.('drain', resolve));
  }
}
