import type { Executor } from '../../app/context.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type { GroupAccessId } from '../../core/model/schedule.js';

/** A member or owner of a group at an instant: `direct` (a static relationship) or `pim` (an active group schedule). */
export interface GroupRelation {
  readonly groupId: string;
  readonly principalId: string;
  readonly principalType: PrincipalType;
  readonly via: 'direct' | 'pim';
}

interface RelationQuery {
  readonly relationship: GroupAccessId;
  readonly at: Date;
  readonly groupIds?: readonly string[];
  readonly principalIds?: readonly string[];
}

/**
 * Memberships (or ownerships) made by PIM for Groups that hold at `at`: live active assignment schedules of the
 * group target whose window [start, end) contains `at`. Compared here, so an activation ends at its end to the
 * millisecond without waiting for the scheduler (invariant 1).
 */
async function pimRelations(db: Executor, q: RelationQuery): Promise<GroupRelation[]> {
  if (q.groupIds?.length === 0 || q.principalIds?.length === 0) return [];
  let query = db
    .selectFrom('schedules')
    .select(['scope_id', 'principal_id', 'principal_type'])
    .where('target_kind', '=', 'group')
    .where('kind', '=', 'assignment')
    .where('role_definition_id', '=', q.relationship)
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .where('start_at', '<=', q.at)
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', q.at)]));
  if (q.groupIds) query = query.where('scope_id', 'in', q.groupIds);
  if (q.principalIds) query = query.where('principal_id', 'in', q.principalIds);
  return (await query.execute()).map((r) => ({
    groupId: r.scope_id,
    principalId: r.principal_id,
    principalType: r.principal_type as PrincipalType,
    via: 'pim',
  }));
}

async function directRelations(db: Executor, q: RelationQuery): Promise<GroupRelation[]> {
  if (q.groupIds?.length === 0 || q.principalIds?.length === 0) return [];
  let query = db
    .selectFrom('group_relationships')
    .select(['group_id', 'principal_id', 'principal_type'])
    .where('relationship', '=', q.relationship);
  if (q.groupIds) query = query.where('group_id', 'in', q.groupIds);
  if (q.principalIds) query = query.where('principal_id', 'in', q.principalIds);
  return (await query.execute()).map((r) => ({
    groupId: r.group_id,
    principalId: r.principal_id,
    principalType: r.principal_type,
    via: 'direct',
  }));
}

/**
 * Who is a member (or owner) of which group at `at`, narrowed to `groupIds` and/or `principalIds`: a static
 * relationship or a PIM-activated (or PIM-assigned) one. A principal related both ways is listed once, as direct.
 */
export async function groupRelations(db: Executor, q: RelationQuery): Promise<GroupRelation[]> {
  // Both at once: on a pool they run side by side (a transaction's one connection queues them).
  const [direct, pim] = await Promise.all([directRelations(db, q), pimRelations(db, q)]);
  const seen = new Set(direct.map((r) => `${r.groupId}|${r.principalId}`));
  return [...direct, ...pim.filter((r) => !seen.has(`${r.groupId}|${r.principalId}`))];
}

/** Whether `principalId` is a member (or owner) of the group at `at`, statically or through PIM. */
export async function isRelated(
  db: Executor,
  q: { groupId: string; principalId: string; relationship: GroupAccessId; at: Date },
): Promise<boolean> {
  const found = await groupRelations(db, {
    relationship: q.relationship,
    at: q.at,
    groupIds: [q.groupId],
    principalIds: [q.principalId],
  });
  return found.length > 0;
}

/**
 * Whether PIM governs the group's membership and ownership: it has a group schedule (of any status), or its
 * group settings were changed. In Entra the first assignment or the first settings change onboards a group.
 */
export async function isPimManaged(db: Executor, groupId: string): Promise<boolean> {
  const schedule = await db
    .selectFrom('schedules')
    .select('id')
    .where('target_kind', '=', 'group')
    .where('scope_id', '=', groupId)
    .limit(1)
    .executeTakeFirst();
  if (schedule) return true;
  const policy = await db
    .selectFrom('role_management_policies')
    .select('id')
    .where('target_kind', '=', 'group')
    .where('scope_id', '=', groupId)
    .where('last_modified_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return policy !== undefined;
}
