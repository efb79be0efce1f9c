import { ElevateError } from '../../core/errors.js';
import { canonicalScopeId, managementGroupPath } from '../../core/scope/resource-scope.js';
import { recordAccessChange } from '../../db/repositories/access-index-repository.js';
import {
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
import type { AppDeps, Executor } from '../context.js';
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
 * are left alone, so importing the same file again changes nothing. Running servers reload their access index
 * once at the end (one `all` change).
 */
export async function importTenant(
  deps: Pick<AppDeps, 'db' | 'clock' | 'tenantId'>,
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

  const inBulk = <T>(fn: (trx: Executor) => Promise<T>): Promise<T> =>
    db.transaction().execute(async (trx) => {
      await asBulkImport(trx);
      return fn(trx);
    });
  const count = (type: string, rows: number, added: number) => {
    inserted[type] = (inserted[type] ?? 0) + added;
    existing[type] = (existing[type] ?? 0) + rows - added;
  };

  await inBulk((trx) =>
    insertScopes(
      trx,
      [
        {
          id: rootId,
          path: rootPath,
          type: 'managementGroup',
          name: deps.tenantId,
          parentId: null,
          resourceType: null,
        },
      ],
      now,
    ),
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
      count('scope', rows.length, await inBulk((trx) => insertScopes(trx, rows, now)));
    } else if (type === 'user') {
      const rows = records.flatMap((r) => (r.type === 'user' ? [r] : []));
      count(type, rows.length, await inBulk((trx) => insertUsers(trx, rows, now)));
    } else if (type === 'group') {
      const rows = records.flatMap((r) => (r.type === 'group' ? [r] : []));
      count(type, rows.length, await inBulk((trx) => insertGroups(trx, rows, now)));
    } else if (type === 'membership') {
      const rows = records.flatMap((r) => (r.type === 'membership' ? [r] : []));
      count(type, rows.length, await inBulk((trx) => insertMemberships(trx, rows, now)));
    } else if (type === 'roleDefinition') {
      const rows = records.flatMap((r) => (r.type === 'roleDefinition' ? [r] : []));
      count(type, rows.length, await inBulk((trx) => insertExactRoles(trx, rows, now)));
    } else if (type === 'roleAssignment') {
      const rows = records.flatMap((r) => (r.type === 'roleAssignment' ? [toSchedule(r, now)] : []));
      const refused = new Set(await inBulk((trx) => insertResourceSchedules(trx, rows)));
      let already = 0;
      for (const row of rows) {
        if (!refused.has(row.id)) continue;
        if (await scheduleExists(db, row.id)) already++;
        else if (await inBulk((trx) => mergeIntoOverlapping(trx, row, now))) merged++;
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
