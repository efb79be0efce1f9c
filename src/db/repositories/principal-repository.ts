import { sql } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { PrincipalType } from '../../core/model/principal.js';

/** Resolves an id to the kind of principal it names, or undefined. */
export async function findPrincipal(
  db: Executor,
  id: string,
): Promise<
  | { id: string; type: PrincipalType; displayName: string; isAssignableGroup: boolean; enabled: boolean }
  | undefined
> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'account_enabled'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (user)
    return {
      id: user.id,
      type: 'user',
      displayName: user.display_name,
      isAssignableGroup: false,
      enabled: user.account_enabled,
    };
  const group = await db
    .selectFrom('groups')
    .select(['id', 'display_name', 'is_assignable_to_role'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (group)
    return {
      id: group.id,
      type: 'group',
      displayName: group.display_name,
      isAssignableGroup: group.is_assignable_to_role,
      enabled: true,
    };
  const sp = await db
    .selectFrom('service_principals')
    .select(['id', 'display_name', 'account_enabled'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (sp)
    return {
      id: sp.id,
      type: 'servicePrincipal',
      displayName: sp.display_name,
      isAssignableGroup: false,
      enabled: sp.account_enabled,
    };
  return undefined;
}

/** Groups the principal is a direct member of; `roleAssignableOnly` keeps those that can hold roles. */
export async function memberGroupIds(
  db: Executor,
  principalId: string,
  roleAssignableOnly = false,
): Promise<string[]> {
  let q = db
    .selectFrom('group_relationships as r')
    .innerJoin('groups as g', 'g.id', 'r.group_id')
    .select('r.group_id')
    .where('r.principal_id', '=', principalId)
    .where('r.relationship', '=', 'member');
  if (roleAssignableOnly) q = q.where('g.is_assignable_to_role', '=', true);
  return (await q.execute()).map((r) => r.group_id);
}

/**
 * Directory roles held at `/` right now by the principal or its role-assignable groups. The window is
 * compared with `now` here, so the answer never waits for the scheduler (invariant 1).
 */
export async function activeTenantRoleIds(
  db: Executor,
  principalIds: readonly string[],
  now: Date,
): Promise<string[]> {
  if (principalIds.length === 0) return [];
  const rows = await db
    .selectFrom('schedules')
    .select('role_definition_id')
    .distinct()
    .where('kind', '=', 'assignment')
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .where('directory_scope_id', '=', '/')
    .where('principal_id', 'in', principalIds)
    .where('start_at', '<=', now)
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', now)]))
    .execute();
  return rows.map((r) => r.role_definition_id);
}

/** Users who hold any of `roleIds` at `/` right now, directly or through a role-assignable group. */
export async function usersHoldingRoles(
  db: Executor,
  roleIds: readonly string[],
  now: Date,
): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select distinct u.id from users u
    where exists (
      select 1 from schedules s
      where s.kind = 'assignment' and s.status in ('Scheduled', 'Provisioned') and s.directory_scope_id = '/'
        and s.role_definition_id in (${sql.join(roleIds)})
        and s.start_at <= ${now} and (s.end_at is null or s.end_at > ${now})
        and (s.principal_id = u.id or s.principal_id in (
          select r.group_id from group_relationships r join groups g on g.id = r.group_id
          where r.principal_id = u.id and r.relationship = 'member' and g.is_assignable_to_role))
    )`.execute(db);
  return rows.rows.map((r) => r.id);
}
