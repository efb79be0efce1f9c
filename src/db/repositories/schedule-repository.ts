import type { Expression, SqlBool } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type {
  AssignmentType,
  Schedule,
  ScheduleKind,
  ScheduleStatus,
  TargetKind,
} from '../../core/model/schedule.js';
import type { ScheduleChange } from '../../core/schedules/schedule-change.js';
import type { ScheduleRow } from '../schema.js';

export const toSchedule = (r: ScheduleRow): Schedule => ({
  id: r.id,
  kind: r.kind,
  principalId: r.principal_id,
  principalType: r.principal_type as PrincipalType,
  targetKind: r.target_kind,
  roleDefinitionId: r.role_definition_id,
  scopeId: r.scope_id,
  assignmentType: r.assignment_type as AssignmentType | null,
  start: r.start_at,
  end: r.end_at,
  status: r.status as ScheduleStatus,
  createdUsing: r.created_using,
  activatedUsing: r.activated_using,
  createdAt: r.created_at,
  modifiedAt: r.modified_at,
});

/** Every schedule of a target kind and role (or access id) held by any of `principalIds` at one of `scopes` (any status). */
export async function schedulesForTarget(
  db: Executor,
  args: {
    principalIds: readonly string[];
    targetKind: TargetKind;
    roleId: string;
    scopes: readonly string[];
  },
): Promise<Schedule[]> {
  if (args.principalIds.length === 0 || args.scopes.length === 0) return [];
  const rows = await db
    .selectFrom('schedules')
    .selectAll()
    .where('principal_id', 'in', args.principalIds)
    .where('target_kind', '=', args.targetKind)
    .where('role_definition_id', '=', args.roleId)
    .where('scope_id', 'in', args.scopes)
    .execute();
  return rows.map(toSchedule);
}

/** Live activations made from any of `eligibilityIds` (whoever holds them). */
export async function activationsFrom(db: Executor, eligibilityIds: readonly string[]): Promise<Schedule[]> {
  if (eligibilityIds.length === 0) return [];
  const rows = await db
    .selectFrom('schedules')
    .selectAll()
    .where('activated_using', 'in', eligibilityIds)
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .execute();
  return rows.map(toSchedule);
}

export async function getSchedule(db: Executor, id: string): Promise<Schedule | undefined> {
  const row = await db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSchedule(row);
}

export interface ScheduleQuery {
  readonly kind: ScheduleKind;
  /** Directory roles unless told. */
  readonly targetKind?: TargetKind;
  readonly principalIds?: readonly string[];
  /** Only these scopes (for group targets: these groups). */
  readonly scopeIds?: readonly string[];
  /** Only grants of this role (for group targets: this access id). */
  readonly roleDefinitionId?: string;
  readonly liveOnly?: boolean;
  /** Only schedules whose window contains this instant (instances). */
  readonly activeAt?: Date;
}

/** Schedules for Graph lists: current and future grants (`liveOnly`), or the instances in effect `activeAt`. */
export async function listSchedules(db: Executor, q: ScheduleQuery): Promise<Schedule[]> {
  const query = filteredSchedules(db, q);
  if (query === undefined) return [];
  return (await query.orderBy('created_at').orderBy('id').execute()).map(toSchedule);
}

/** A keyset page of schedules in id order, narrowed as a Graph list narrows them (see `filteredSchedules`). */
export interface SchedulePageQuery extends ScheduleQuery {
  /**
   * What a caller who reads only their own sees: schedules held by `holderIds`, and schedules on the groups in
   * `ownedGroupIds` (group targets only).
   */
  readonly visibleTo?: { readonly holderIds: readonly string[]; readonly ownedGroupIds: readonly string[] };
  /** Only these schedule ids (lower-case UUIDs). */
  readonly ids?: readonly string[];
  /** A further condition on the `schedules` row, such as a compiled `$filter`. */
  readonly where?: Expression<SqlBool>;
  /** Resume after (or, `inclusive`, at) this schedule id. */
  readonly from?: { readonly key: string; readonly inclusive: boolean };
  readonly limit: number;
}

/** One keyset page of `schedules`, ordered by id, every condition evaluated by the database. */
export async function pageSchedules(db: Executor, q: SchedulePageQuery): Promise<Schedule[]> {
  let query = narrowedSchedules(db, q);
  if (query === undefined) return [];
  if (q.from) query = query.where('id', q.from.inclusive ? '>=' : '>', q.from.key);
  return (await query.orderBy('id').limit(q.limit).execute()).map(toSchedule);
}

/** How many schedules `pageSchedules` would return across all pages. */
export async function countSchedules(
  db: Executor,
  q: Omit<SchedulePageQuery, 'from' | 'limit'>,
): Promise<number> {
  const query = narrowedSchedules(db, q);
  if (query === undefined) return 0;
  const row = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirst();
  // count(*) is a number in PGlite and a string in pg.
  return Number(row?.count ?? 0);
}

function narrowedSchedules(db: Executor, q: Omit<SchedulePageQuery, 'from' | 'limit'>) {
  let query = filteredSchedules(db, q);
  if (query === undefined) return undefined;
  const { visibleTo, where } = q;
  if (visibleTo) {
    const { holderIds, ownedGroupIds } = visibleTo;
    if (holderIds.length === 0 && ownedGroupIds.length === 0) return undefined;
    query = query.where((eb) =>
      eb.or([
        ...(holderIds.length > 0 ? [eb('principal_id', 'in', holderIds)] : []),
        ...(ownedGroupIds.length > 0
          ? [eb.and([eb('target_kind', '=', 'group'), eb('scope_id', 'in', ownedGroupIds)])]
          : []),
      ]),
    );
  }
  if (q.ids) {
    if (q.ids.length === 0) return undefined;
    query = query.where('id', 'in', q.ids);
  }
  if (where) query = query.where(where);
  return query;
}

function filteredSchedules(db: Executor, q: ScheduleQuery) {
  let query = db
    .selectFrom('schedules')
    .selectAll()
    .where('kind', '=', q.kind)
    .where('target_kind', '=', q.targetKind ?? 'directoryRole');
  if (q.principalIds) {
    if (q.principalIds.length === 0) return undefined;
    query = query.where('principal_id', 'in', q.principalIds);
  }
  if (q.scopeIds) {
    if (q.scopeIds.length === 0) return undefined;
    query = query.where('scope_id', 'in', q.scopeIds);
  }
  if (q.roleDefinitionId !== undefined) query = query.where('role_definition_id', '=', q.roleDefinitionId);
  if (q.liveOnly || q.activeAt) query = query.where('status', 'in', ['Scheduled', 'Provisioned']);
  if (q.activeAt) {
    const at = q.activeAt;
    query = query
      .where('start_at', '<=', at)
      .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', at)]));
  }
  return query;
}

/** Writes what a decision asked for. The exclusion constraint refuses any overlap a race let through. */
export async function applyScheduleChanges(
  db: Executor,
  changes: readonly ScheduleChange[],
  now: Date,
): Promise<void> {
  for (const c of changes) {
    if (c.op === 'create') {
      const s = c.schedule;
      await db
        .insertInto('schedules')
        .values({
          id: s.id,
          kind: s.kind,
          principal_id: s.principalId,
          principal_type: s.principalType,
          target_kind: s.targetKind,
          role_definition_id: s.roleDefinitionId,
          scope_id: s.scopeId,
          assignment_type: s.assignmentType,
          start_at: s.start,
          end_at: s.end,
          status: s.status,
          created_using: s.createdUsing,
          activated_using: s.activatedUsing,
          created_at: s.createdAt,
          modified_at: s.modifiedAt,
        })
        .execute();
    } else {
      await db
        .updateTable('schedules')
        .set({
          ...(c.op === 'update' && c.start ? { start_at: c.start } : {}),
          end_at: c.end,
          ...(c.status ? { status: c.status } : {}),
          modified_at: now,
        })
        .where('id', '=', c.scheduleId)
        .execute();
    }
  }
}

/** At most this many of each kind of due schedule per scheduler pass; the next pass takes the rest. */
const duePerPass = 1000;

/**
 * Live schedules whose end has passed, and Scheduled ones whose start has come (the scheduler's work): two
 * index range reads (`schedules_live_end`, `schedules_scheduled_start`) rather than one `or` over the table.
 */
export async function dueSchedules(db: Executor, now: Date): Promise<Schedule[]> {
  const ended = await db
    .selectFrom('schedules')
    .selectAll()
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .where('end_at', '<=', now)
    .orderBy('end_at')
    .limit(duePerPass)
    .execute();
  const started = await db
    .selectFrom('schedules')
    .selectAll()
    .where('status', '=', 'Scheduled')
    .where('start_at', '<=', now)
    .orderBy('start_at')
    .limit(duePerPass)
    .execute();
  const seen = new Set(ended.map((r) => r.id));
  return [...ended, ...started.filter((r) => !seen.has(r.id))].map(toSchedule);
}
