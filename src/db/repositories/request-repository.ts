import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type {
  RequestStatus,
  ScheduleAction,
  ScheduleInfo,
  ScheduleRequest,
} from '../../core/model/request.js';
import type { PimTarget, TargetKind } from '../../core/model/schedule.js';
import type { ScheduleRequestRow } from '../schema.js';

interface StoredScheduleInfo {
  startDateTime: string | null;
  expiration: {
    type: ScheduleInfo['expiration']['type'];
    endDateTime: string | null;
    duration: string | null;
  };
}

const toStoredInfo = (s: ScheduleInfo | null): StoredScheduleInfo | null =>
  s && {
    startDateTime: s.startDateTime?.toISOString() ?? null,
    expiration: {
      type: s.expiration.type,
      endDateTime: s.expiration.endDateTime?.toISOString() ?? null,
      duration: s.expiration.duration,
    },
  };

const fromStoredInfo = (s: StoredScheduleInfo | null): ScheduleInfo | null =>
  s && {
    startDateTime: s.startDateTime ? new Date(s.startDateTime) : null,
    expiration: {
      type: s.expiration.type,
      endDateTime: s.expiration.endDateTime ? new Date(s.expiration.endDateTime) : null,
      duration: s.expiration.duration,
    },
  };

export const toRequest = (r: ScheduleRequestRow): ScheduleRequest => ({
  id: r.id,
  kind: r.kind,
  action: r.action as ScheduleAction,
  status: r.status as RequestStatus,
  principalId: r.principal_id,
  principalType: r.principal_type as PrincipalType,
  targetKind: r.target_kind,
  roleDefinitionId: r.role_definition_id,
  scopeId: r.scope_id,
  justification: r.justification,
  scheduleInfo: fromStoredInfo(r.schedule_info as StoredScheduleInfo | null),
  ticketInfo: { ticketNumber: r.ticket_number, ticketSystem: r.ticket_system },
  isValidationOnly: r.is_validation_only,
  targetScheduleId: r.target_schedule_id,
  activatedUsing: r.activated_using,
  approvalId: r.approval_id,
  createdById: r.created_by_id,
  createdByType: r.created_by_type as ScheduleRequest['createdByType'],
  createdAt: r.created_at,
  completedAt: r.completed_at,
});

export async function insertRequest(db: Executor, r: ScheduleRequest, policyRules: unknown): Promise<void> {
  await db
    .insertInto('schedule_requests')
    .values({
      id: r.id,
      kind: r.kind,
      action: r.action,
      status: r.status,
      principal_id: r.principalId,
      principal_type: r.principalType,
      target_kind: r.targetKind,
      role_definition_id: r.roleDefinitionId,
      scope_id: r.scopeId,
      justification: r.justification,
      ticket_number: r.ticketInfo.ticketNumber,
      ticket_system: r.ticketInfo.ticketSystem,
      schedule_info: JSON.stringify(toStoredInfo(r.scheduleInfo)),
      is_validation_only: r.isValidationOnly,
      target_schedule_id: r.targetScheduleId,
      activated_using: r.activatedUsing,
      approval_id: r.approvalId,
      created_by_id: r.createdById,
      created_by_type: r.createdByType,
      created_at: r.createdAt,
      completed_at: r.completedAt,
      policy_rules: policyRules === undefined ? null : JSON.stringify(policyRules),
    })
    .execute();
}

/** Moves a request to its next status; returns false when it was no longer in `from` (someone else won). */
export async function transitionRequest(
  db: Executor,
  id: string,
  from: readonly RequestStatus[],
  to: {
    status: RequestStatus;
    completedAt: Date | null;
    targetScheduleId?: string | null;
    scheduleInfo?: ScheduleInfo | null;
  },
): Promise<boolean> {
  const res = await db
    .updateTable('schedule_requests')
    .set({
      status: to.status,
      completed_at: to.completedAt,
      ...(to.targetScheduleId !== undefined ? { target_schedule_id: to.targetScheduleId } : {}),
      ...(to.scheduleInfo !== undefined
        ? { schedule_info: JSON.stringify(toStoredInfo(to.scheduleInfo)) }
        : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function getRequest(
  db: Executor,
  id: string,
): Promise<(ScheduleRequest & { policyRules: unknown }) | undefined> {
  const row = await db.selectFrom('schedule_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { ...toRequest(row), policyRules: row.policy_rules };
}

export async function pendingRequestsForTarget(
  db: Executor,
  t: PimTarget & { principalId: string },
): Promise<ScheduleRequest[]> {
  const rows = await db
    .selectFrom('schedule_requests')
    .selectAll()
    .where('principal_id', '=', t.principalId)
    .where('target_kind', '=', t.targetKind)
    .where('role_definition_id', '=', t.roleDefinitionId)
    .where('scope_id', '=', t.scopeId)
    .where('status', '=', 'PendingApproval')
    .execute();
  return rows.map(toRequest);
}

export interface RequestQuery {
  readonly kind: 'eligibility' | 'assignment';
  /** Directory roles unless told. */
  readonly targetKind?: TargetKind;
  readonly principalIds?: readonly string[];
  /** Only these scopes (for group targets: these groups). */
  readonly scopeIds?: readonly string[];
  readonly createdById?: string;
  readonly ids?: readonly string[];
  /** Only requests for this role (for group targets: this access id). */
  readonly roleDefinitionId?: string;
  /** Only requests in this status (compared ignoring case, as ARM's `$filter=status eq …` does). */
  readonly status?: string;
}

export async function listRequests(db: Executor, q: RequestQuery): Promise<ScheduleRequest[]> {
  const query = filteredRequests(db, q);
  if (query === undefined) return [];
  return (await query.orderBy('created_at').orderBy('id').execute()).map(toRequest);
}

/** A keyset page of schedule requests in id order, narrowed as a Graph list narrows them. */
export interface RequestPageQuery extends RequestQuery {
  /**
   * What a caller who reads only what concerns them sees: requests for them or made by them, requests on the
   * groups they own (group targets), and requests whose approval they may decide.
   */
  readonly visibleTo?: {
    readonly actorId: string;
    readonly ownedGroupIds: readonly string[];
    /** The approvals the caller may decide (`approvalIdsDecidableBy`). */
    readonly approvalIds: readonly string[];
  };
  /** Only requests whose approval is one of these (`filterByCurrentUser(on='approver')`). */
  readonly approvalIds?: readonly string[];
  /** A further condition on the `schedule_requests` row, such as a compiled `$filter`. */
  readonly where?: Expression<SqlBool>;
  /** Resume after (or, `inclusive`, at) this request id. */
  readonly from?: { readonly key: string; readonly inclusive: boolean };
  /**
   * Order by creation time (then id) instead of id alone; `after` resumes behind the request created at `at`
   * with this id, in that order.
   */
  readonly byCreated?: {
    readonly direction: 'asc' | 'desc';
    readonly after?: { readonly at: Date; readonly id: string };
  };
  readonly limit: number;
}

/** One keyset page of `schedule_requests`, ordered by id, every condition evaluated by the database. */
export async function pageRequests(db: Executor, q: RequestPageQuery): Promise<ScheduleRequest[]> {
  let query = narrowedRequests(db, q);
  if (query === undefined) return [];
  if (q.byCreated) {
    const { direction, after } = q.byCreated;
    if (after) {
      const op = sql.raw(direction === 'asc' ? '>' : '<');
      query = query.where(sql<SqlBool>`(created_at, id) ${op} (${after.at}, ${after.id})`);
    }
    const rows = await query
      .orderBy('created_at', direction)
      .orderBy('id', direction)
      .limit(q.limit)
      .execute();
    return rows.map(toRequest);
  }
  if (q.from) query = query.where('id', q.from.inclusive ? '>=' : '>', q.from.key);
  return (await query.orderBy('id').limit(q.limit).execute()).map(toRequest);
}

/** How many requests `pageRequests` would return across all pages. */
export async function countRequests(
  db: Executor,
  q: Omit<RequestPageQuery, 'from' | 'limit'>,
): Promise<number> {
  const query = narrowedRequests(db, q);
  if (query === undefined) return 0;
  const row = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirst();
  // count(*) is a number in PGlite and a string in pg.
  return Number(row?.count ?? 0);
}

function narrowedRequests(db: Executor, q: Omit<RequestPageQuery, 'from' | 'limit'>) {
  let query = filteredRequests(db, q);
  if (query === undefined) return undefined;
  const { visibleTo, approvalIds, where } = q;
  if (visibleTo) {
    const { actorId, ownedGroupIds } = visibleTo;
    query = query.where((eb) =>
      eb.or([
        eb('principal_id', '=', actorId),
        eb('created_by_id', '=', actorId),
        ...(ownedGroupIds.length > 0
          ? [eb.and([eb('target_kind', '=', 'group'), eb('scope_id', 'in', ownedGroupIds)])]
          : []),
        ...(visibleTo.approvalIds.length > 0 ? [eb('approval_id', 'in', visibleTo.approvalIds)] : []),
      ]),
    );
  }
  if (approvalIds) {
    if (approvalIds.length === 0) return undefined;
    query = query.where('approval_id', 'in', approvalIds);
  }
  if (where) query = query.where(where);
  return query;
}

function filteredRequests(db: Executor, q: RequestQuery) {
  let query = db
    .selectFrom('schedule_requests')
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
  if (q.createdById) query = query.where('created_by_id', '=', q.createdById);
  if (q.ids) {
    if (q.ids.length === 0) return undefined;
    query = query.where('id', 'in', q.ids);
  }
  if (q.roleDefinitionId !== undefined) query = query.where('role_definition_id', '=', q.roleDefinitionId);
  if (q.status !== undefined) query = query.where(sql<SqlBool>`lower(status) = ${q.status.toLowerCase()}`);
  return query;
}
