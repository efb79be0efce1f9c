import { type ExpressionBuilder, sql } from 'kysely';
import { directoryRoles } from '../../core/catalog/directory-roles.js';
import type { ScheduleKind, TargetKind } from '../../core/model/schedule.js';
import { liveScheduleStatuses } from '../../core/model/schedule.js';
import { scopePlane } from '../../core/scope/scope-plane.js';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../context.js';
import { loadReportNames, type PrincipalView } from './report-names.js';

const dayMs = 86_400_000;
const privilegedRoleIds = directoryRoles.filter((r) => r.isPrivileged).map((r) => r.id);

/** Which eligibilities and assignments a page lists; every filter narrows, none widens. */
export interface AssignmentFilter {
  readonly targetKind?: TargetKind;
  /** A role definition id (any case; an ARM role id matches by its GUID), or `member`/`owner` of a group. */
  readonly roleDefinitionId?: string;
  readonly groupId?: string;
  readonly scope?: string;
  readonly principalId?: string;
  readonly kind?: ScheduleKind;
  readonly permanent?: boolean;
  /** Only the directory roles Microsoft labels privileged (the dashboard's roles). */
  readonly privileged?: boolean;
  readonly expiringWithinDays?: number;
  /** Activations made in the last days, whatever became of them; otherwise only live schedules are listed. */
  readonly activatedWithinDays?: number;
  readonly top: number;
  readonly skip: number;
}

export interface AssignmentView {
  readonly id: string;
  readonly kind: ScheduleKind;
  readonly targetKind: TargetKind;
  readonly roleDefinitionId: string;
  readonly roleDisplayName: string;
  readonly isPrivileged: boolean;
  readonly scopeId: string;
  readonly scopeDisplayName: string;
  readonly principal: PrincipalView;
  readonly assignmentType: 'Assigned' | 'Activated' | null;
  readonly status: string;
  readonly start: Date;
  readonly end: Date | null;
  readonly createdAt: Date;
}

/** The where-clause of a filter at `now`, shared by the page and its count. */
function matching(q: AssignmentFilter, now: Date) {
  return (eb: ExpressionBuilder<DB & { s: DB['schedules'] }, 's'>) => {
    const parts = [];
    if (q.activatedWithinDays !== undefined) {
      parts.push(eb('s.kind', '=', 'assignment'));
      parts.push(eb('s.assignment_type', '=', 'Activated'));
      parts.push(eb('s.created_at', '>=', new Date(now.getTime() - q.activatedWithinDays * dayMs)));
    } else {
      parts.push(eb('s.status', 'in', [...liveScheduleStatuses]));
      parts.push(eb.or([eb('s.end_at', 'is', null), eb('s.end_at', '>', now)]));
    }
    if (q.targetKind) parts.push(eb('s.target_kind', '=', q.targetKind));
    if (q.kind) parts.push(eb('s.kind', '=', q.kind));
    if (q.principalId) parts.push(eb('s.principal_id', '=', q.principalId.toLowerCase()));
    if (q.groupId) {
      parts.push(eb('s.target_kind', '=', 'group'));
      parts.push(eb('s.scope_id', '=', q.groupId.toLowerCase()));
    }
    if (q.scope) {
      const scope = scopePlane(q.scope) === 'resource' ? q.scope.toLowerCase().replace(/\/+$/, '') : q.scope;
      parts.push(eb('s.target_kind', '<>', 'group'));
      parts.push(eb('s.scope_id', '=', scope));
    }
    if (q.roleDefinitionId) {
      const id = q.roleDefinitionId.toLowerCase();
      parts.push(
        eb.or([
          eb(eb.fn('lower', ['s.role_definition_id']), '=', id),
          eb(eb.fn('lower', ['s.role_definition_id']), 'like', `%/${id}`),
        ]),
      );
    }
    if (q.privileged) {
      parts.push(eb('s.target_kind', '=', 'directoryRole'));
      parts.push(eb(eb.fn('lower', ['s.role_definition_id']), 'in', privilegedRoleIds));
    }
    if (q.permanent === true) parts.push(eb('s.end_at', 'is', null));
    if (q.permanent === false) parts.push(eb('s.end_at', 'is not', null));
    if (q.expiringWithinDays !== undefined) {
      parts.push(eb('s.end_at', 'is not', null));
      parts.push(eb('s.end_at', '<=', new Date(now.getTime() + q.expiringWithinDays * dayMs)));
    }
    return eb.and(parts);
  };
}

/**
 * One page of eligibilities and assignments (live ones, or recent activations), ordered by principal name, then
 * role and kind, with the total over every page; names come from one query per kind of name.
 */
export async function listAssignments(
  db: Executor,
  q: AssignmentFilter,
  now: Date,
): Promise<{ items: AssignmentView[]; total: number }> {
  const where = matching(q, now);
  const counted = await db
    .selectFrom('schedules as s')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(where)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('schedules as s')
    .leftJoin('users as u', 'u.id', 's.principal_id')
    .leftJoin('groups as g', 'g.id', 's.principal_id')
    .leftJoin('service_principals as p', 'p.id', 's.principal_id')
    .selectAll('s')
    .where(where)
    .orderBy(sql`lower(coalesce(u.display_name, g.display_name, p.display_name, s.principal_id::text))`)
    .orderBy('s.role_definition_id')
    .orderBy('s.kind', 'desc')
    .orderBy(q.activatedWithinDays !== undefined ? 's.created_at' : 's.start_at', 'desc')
    .orderBy('s.id')
    .limit(q.top)
    .offset(q.skip)
    .execute();
  const names = await loadReportNames(
    db,
    rows.map((r) => ({
      principalId: r.principal_id,
      targetKind: r.target_kind,
      roleDefinitionId: r.role_definition_id,
      scopeId: r.scope_id,
    })),
  );
  const items = rows.map((r): AssignmentView => {
    const target = { targetKind: r.target_kind, roleDefinitionId: r.role_definition_id, scopeId: r.scope_id };
    const role = names.role(target);
    return {
      id: r.id,
      kind: r.kind,
      targetKind: r.target_kind,
      roleDefinitionId: r.role_definition_id,
      roleDisplayName: role.displayName,
      isPrivileged: role.isPrivileged,
      scopeId: r.scope_id,
      scopeDisplayName: names.scope(target),
      principal: names.principal(r.principal_id),
      assignmentType: r.kind === 'assignment' ? (r.assignment_type as 'Assigned' | 'Activated' | null) : null,
      status: r.status,
      start: r.start_at,
      end: r.end_at,
      createdAt: r.created_at,
    };
  });
  return { items, total: Number(counted.n) };
}
