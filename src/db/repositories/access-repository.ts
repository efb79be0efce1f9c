import { sql } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { GroupMembership } from '../../core/access/access-grant.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type { Schedule } from '../../core/model/schedule.js';
import type { ScheduleRow } from '../schema.js';
import { toSchedule } from './schedule-repository.js';

/** The instants a batch of questions asks about: schedules outside [from, to] cannot answer any of them. */
export interface AccessSpan {
  readonly from: Date;
  readonly to: Date;
}

export interface PrincipalSummary {
  readonly id: string;
  readonly type: PrincipalType;
  readonly displayName: string;
}

/** Users, groups and service principals with these ids (one query); unknown ids are left out. */
export async function principalsById(db: Executor, ids: readonly string[]): Promise<PrincipalSummary[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', sql<PrincipalType>`'user'`.as('type')])
    .where('id', 'in', ids)
    .unionAll(
      db
        .selectFrom('groups')
        .select(['id', 'display_name', sql<PrincipalType>`'group'`.as('type')])
        .where('id', 'in', ids),
    )
    .unionAll(
      db
        .selectFrom('service_principals')
        .select(['id', 'display_name', sql<PrincipalType>`'servicePrincipal'`.as('type')])
        .where('id', 'in', ids),
    )
    .execute();
  return rows.map((r) => ({ id: r.id, type: r.type, displayName: r.display_name }));
}

type MembershipRow = Omit<ScheduleRow, 'id'> & {
  member_id: string;
  group_id: string;
  group_name: string;
  is_assignable_to_role: boolean;
  schedule_id: string | null;
};

/**
 * Every group membership of these principals that can matter in `span`, in one query: standing members
 * (group_relationships) and PIM for Groups `member` schedules of either kind and any status whose window
 * overlaps the span. Uses group_relationships_principal and schedules_principal.
 */
export async function membershipsOf(
  db: Executor,
  principalIds: readonly string[],
  span: AccessSpan,
): Promise<Map<string, GroupMembership[]>> {
  const out = new Map<string, GroupMembership[]>();
  if (principalIds.length === 0) return out;
  const ids = sql.join(principalIds);
  const { rows } = await sql<MembershipRow>`
    select m.member_id, g.id as group_id, g.display_name as group_name, g.is_assignable_to_role,
      s.id as schedule_id, s.kind, s.principal_id, s.principal_type, s.target_kind, s.role_definition_id,
      s.scope_id, s.assignment_type, s.start_at, s.end_at, s.status, s.created_using, s.activated_using,
      s.created_at, s.modified_at
    from (
      select r.principal_id as member_id, r.group_id::text as group_key, null::uuid as schedule_id
        from group_relationships r
        where r.relationship = 'member' and r.principal_id in (${ids})
      union all
      select p.principal_id, p.scope_id, p.id
        from schedules p
        where p.principal_id in (${ids}) and p.target_kind = 'group' and p.role_definition_id = 'member'
          and p.start_at <= ${span.to} and (p.end_at is null or p.end_at > ${span.from})
    ) m
    join groups g on g.id::text = m.group_key
    left join schedules s on s.id = m.schedule_id`.execute(db);
  for (const r of rows) {
    const membership: GroupMembership = {
      groupId: r.group_id,
      displayName: r.group_name,
      isAssignableToRole: r.is_assignable_to_role,
      schedule: r.schedule_id === null ? null : toSchedule({ ...r, id: r.schedule_id }),
    };
    out.set(r.member_id, [...(out.get(r.member_id) ?? []), membership]);
  }
  return out;
}

/**
 * Role schedules (directory and resource roles; either kind, any status) held by any of `holderIds` whose
 * window overlaps `span`, in one query on schedules_principal. Ended ones answer questions about the past.
 */
export async function roleSchedulesOf(
  db: Executor,
  holderIds: readonly string[],
  span: AccessSpan,
): Promise<Schedule[]> {
  if (holderIds.length === 0) return [];
  const rows = await db
    .selectFrom('schedules')
    .selectAll()
    .where('principal_id', 'in', holderIds)
    .where('target_kind', '<>', 'group')
    .where('start_at', '<=', span.to)
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', span.from)]))
    .execute();
  return rows.map(toSchedule);
}

/** Custom role definitions by id, with their actions (for action checks and names). */
export async function customRolesById(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; displayName: string; allowedResourceActions: string[]; exactActions: boolean }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('custom_role_definitions')
    .select(['id', 'display_name', 'allowed_resource_actions', 'exact_actions'])
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    allowedResourceActions: r.allowed_resource_actions,
    exactActions: r.exact_actions,
  }));
}

/**
 * For each of `scopeIds` (canonical resource scope ids) that the resource tree holds, the scope and every scope
 * above it, nearest first, following parent_id (one recursive query, bounded depth).
 */
export async function resourceTreeChains(
  db: Executor,
  scopeIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (scopeIds.length === 0) return out;
  const { rows } = await sql<{ start_id: string; id: string; depth: number }>`
    with recursive chain as (
      select s.id as start_id, s.id, s.parent_id, 0 as depth from resource_scopes s where s.id in (${sql.join(scopeIds)})
      union all
      select c.start_id, p.id, p.parent_id, c.depth + 1
        from resource_scopes p join chain c on p.id = c.parent_id where c.depth < 64
    )
    select start_id, id, depth from chain order by start_id, depth`.execute(db);
  for (const r of rows) out.set(r.start_id, [...(out.get(r.start_id) ?? []), r.id]);
  return out;
}
