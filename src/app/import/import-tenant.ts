import { basename } from 'node:path';
import type { Transaction } from 'kysely';
import type { AuditRecord } from '../../core/audit/audit-record.js';
import { ElevateError } from '../../core/errors.js';
import { canonicalScopeId, managementGroupPath } from '../../core/scope/resource-scope.js';
import { recordAccessChange } from '../../db/repositories/access-index-repository.js';
import {
  analyzeImportedTables,
  asBulkImport,
  insertExactRoles,
  insertGroups,
  insertMemberships,
  insertResourceSchedules,
  insertScopes,
  insertUsers,
  mergeIntoOverlapping,
  type ScheduleInsert,
  type ScopeInsert,
  scheduleExists,
} from '../../db/repositories/bulk-import-repository.js';
import type { DB } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import { type AppDeps, systemActor } from '../context.js';
import { importAudit } from './import-audit.js';
import { readTenantRecords, type TenantRecord } from './tenant-records.js';

/** What an import did, per record type: rows inserted, and rows that were there already. */
export interface TenantImportResult {
  readonly inserted: Record<string, number>;
  readonly existing: Record<string, number>;
  /** Live assignments whose window overlapped another of the same principal, role and scope: merged into it. */
  readonly merged: number;
  readonly seconds: number;
}

export interface TenantImportProgress {
  /** Records read so far, and how many the file's `meta` announces. */
  readonly done: number;
  readonly total: number;
  readonly phase: string;
}

const batchSize = 5_000;

const scopeType = {
  managementGroup: 'managementGroup',
  subscription: 'subscription',
  resourceGroup: 'resourceGroup',
  resource: 'resource',
} as const;

/** `…/providers/{namespace}/{type}/{name}` → `{namespace}/{type}` (nested types joined). */
function resourceTypeOf(path: string): string | null {
  const segments = path.split('/').filter(Boolean);
  const at = segments.findIndex((s) => s.toLowerCase() === 'providers');
  if (at < 0) return null;
  const rest = segments.slice(at + 1);
  const types = rest.filter((_, i) => i > 0 && i % 2 === 1);
  return [rest[0], ...types].join('/');
}

/**
 * Loads a tenant in the shared benchmark's format (`../shared/bench`) into the database, in batches of
 * multi-row inserts, mapping: scopes → the resource tree (its top management groups under the tenant root
 * group); users, groups, memberships → the directory; role definitions → custom roles of literal actions
 * (`exactActions`: the format compares actions whole); role assignments → resource-role eligibility and
 * assignment schedules of users or groups (status from `now`: ended ones Expired at their end). Existing rows
 * are left alone, so importing the same file again changes nothing. Every row inserted or changed is audited in
 * its batch's transaction (import-audit.ts), initiated by the system, one correlation id per import. Running
 * servers reload their access index once at the end (one `all` change).
 */
export async function importTenant(
  deps: Pick<AppDeps, 'db' | 'clock' | 'tenantId' | 'ids'> & { readonly audit: AuditWriter },
  file: string,
  onProgress: (p: TenantImportProgress) => void = () => {},
): Promise<TenantImportResult> {
  const { db, clock } = deps;
  const started = performance.now();
  const now = clock.now();
  const rootPath = managementGroupPath(deps.tenantId);
  const rootId = canonicalScopeId(rootPath);
  const inserted: Record<string, number> = {};
  const existing: Record<string, number> = {};
  let merged = 0;
  let total = 0;
  let done = 0;

  const names = new Map<string, string>();
  const audit = importAudit({
    ctx: { actor: systemActor, requestId: deps.ids.newId() },
    at: now,
    file: basename(file),
    newId: deps.ids.newId,
    nameOf: (id) => names.get(id.toLowerCase()) ?? id,
  });
  /** One batch in one transaction: its rows, then the audit records `describe` makes of what it changed. */
  const inBulk = <T>(
    fn: (trx: Transaction<DB>) => Promise<T>,
    describe: (done: T) => AuditRecord[],
  ): Promise<T> =>
    db.transaction().execute(async (trx) => {
      await asBulkImport(trx);
      const done = await fn(trx);
      await deps.audit.append(trx, describe(done));
      return done;
    });
  /** The rows whose key the database reports inserted, each described by `record`. */
  const audited =
    <R>(rows: readonly R[], keyOf: (row: R) => string, record: (row: R) => AuditRecord) =>
    (inserted: Set<string>): AuditRecord[] =>
      rows.filter((r) => inserted.has(keyOf(r).toLowerCase())).map(record);
  const count = (type: string, rows: number, added: number) => {
    inserted[type] = (inserted[type] ?? 0) + added;
    existing[type] = (existing[type] ?? 0) + rows - added;
  };

  const root: ScopeInsert = {
    id: rootId,
    path: rootPath,
    type: 'managementGroup',
    name: deps.tenantId,
    parentId: null,
    resourceType: null,
  };
  await inBulk(
    (trx) => insertScopes(trx, [root], now),
    audited([root], (r) => r.id, audit.scope),
  );

  let pending: TenantRecord[] = [];
  let pendingType = '';
  async function flush(): Promise<void> {
    const records = pending;
    const type = pendingType;
    pending = [];
    if (records.length === 0) return;
    if (type === 'scope') {
      const rows: ScopeInsert[] = [];
      for (const r of records) {
        if (r.type !== 'scope' || r.kind === 'tenant') continue;
        const type = scopeType[r.kind];
        if (!type)
          throw new ElevateError('request.invalid', `Scope '${r.id}' has an unknown kind '${r.kind}'`);
        rows.push({
          id: canonicalScopeId(r.id),
          path: r.id,
          type,
          name: r.id.split('/').filter(Boolean).pop() ?? r.id,
          parentId: r.parentId === null || r.parentId === '/' ? rootId : canonicalScopeId(r.parentId),
          resourceType: type === 'resource' ? resourceTypeOf(r.id) : null,
        });
      }
      const added = await inBulk(
        (trx) => insertScopes(trx, rows, now),
        audited(rows, (r) => r.id, audit.scope),
      );
      count('scope', rows.length, added.size);
    } else if (type === 'user') {
      const rows = records.flatMap((r) =>
        r.type === 'user'
          ? [{ ...r, displayName: r.userPrincipalName.split('@')[0] ?? r.userPrincipalName }]
          : [],
      );
      for (const r of rows) names.set(r.id.toLowerCase(), r.displayName);
      const added = await inBulk(
        (trx) => insertUsers(trx, rows, now),
        audited(rows, (r) => r.id, audit.user),
      );
      count(type, rows.length, added.size);
    } else if (type === 'group') {
      const rows = records.flatMap((r) => (r.type === 'group' ? [r] : []));
      for (const r of rows) names.set(r.id.toLowerCase(), r.displayName);
      const added = await inBulk(
        (trx) => insertGroups(trx, rows, now),
        audited(rows, (r) => r.id, audit.group),
      );
      count(type, rows.length, added.size);
    } else if (type === 'membership') {
      const rows = records.flatMap((r) => (r.type === 'membership' ? [r] : []));
      const added = await inBulk(
        (trx) => insertMemberships(trx, rows, now),
        audited(rows, (r) => `${r.groupId}/${r.memberId}`, audit.membership),
      );
      count(type, rows.length, added.size);
    } else if (type === 'roleDefinition') {
      const rows = records.flatMap((r) => (r.type === 'roleDefinition' ? [r] : []));
      for (const r of rows) names.set(r.id.toLowerCase(), r.displayName);
      const added = await inBulk(
        (trx) => insertExactRoles(trx, rows, now),
        audited(rows, (r) => r.id, audit.roleDefinition),
      );
      count(type, rows.length, added.size);
    } else if (type === 'roleAssignment') {
      const rows = records.flatMap((r) => (r.type === 'roleAssignment' ? [toSchedule(r, now)] : []));
      const refused = new Set(
        await inBulk(
          (trx) => insertResourceSchedules(trx, rows),
          (no) => {
            const refusedIds = new Set(no);
            return rows.filter((r) => !refusedIds.has(r.id)).map((r) => audit.schedule(r));
          },
        ),
      );
      let already = 0;
      for (const row of rows) {
        if (!refused.has(row.id)) continue;
        if (await scheduleExists(db, row.id)) {
          already++;
          continue;
        }
        const into = await inBulk(
          (trx) => mergeIntoOverlapping(trx, row, now),
          (hit) => (hit?.widened ? [audit.schedule(row, hit.id)] : []),
        );
        // A window the live one already covers merges without a change (and without an audit record).
        if (into) merged++;
        else throw new ElevateError('request.invalid', `Role assignment '${row.id}' could not be imported`);
      }
      inserted[type] = (inserted[type] ?? 0) + rows.length - refused.size;
      existing[type] = (existing[type] ?? 0) + already;
    }
    done += records.length;
    onProgress({ done, total, phase: type });
  }

  for await (const record of readTenantRecords(file)) {
    if (record.type === 'meta') {
      if (record.formatVersion !== 1)
        throw new ElevateError(
          'request.invalid',
          `Unsupported tenant format version ${record.formatVersion} (1 is known)`,
        );
      total = Object.values(record.counts).reduce((a, b) => a + b, 0);
      onProgress({ done, total, phase: 'meta' });
      continue;
    }
    if (record.type !== pendingType || pending.length >= batchSize) await flush();
    pendingType = record.type;
    pending.push(record);
  }
  await flush();
  await analyzeImportedTables(db);
  await recordAccessChange(db, 'all', 'import');
  return { inserted, existing, merged, seconds: (performance.now() - started) / 1000 };
}

/** A role assignment as a resource-role schedule; its status as the scheduler would have left it at `now`. */
function toSchedule(r: Extract<TenantRecord, { type: 'roleAssignment' }>, now: Date): ScheduleInsert {
  const start = new Date(r.startDateTime);
  const end = r.endDateTime === null ? null : new Date(r.endDateTime);
  if (Number.isNaN(start.getTime()) || (end !== null && Number.isNaN(end.getTime())))
    throw new ElevateError('request.invalid', `Role assignment '${r.id}' has an invalid window`);
  const ended = end !== null && end.getTime() <= now.getTime();
  return {
    id: r.id,
    kind: r.kind === 'active' ? 'assignment' : 'eligibility',
    principalId: r.principalId,
    principalType: r.principalType,
    roleDefinitionId: r.roleDefinitionId.toLowerCase(),
    scopeId: canonicalScopeId(r.scope),
    start,
    end,
    status: ended ? 'Expired' : start.getTime() > now.getTime() ? 'Scheduled' : 'Provisioned',
    modifiedAt: ended ? end : start,
  };
}
