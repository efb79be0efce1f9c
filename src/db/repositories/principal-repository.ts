import { sql } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { PrincipalType } from '../../core/model/principal.js';
import { groupRelations } from './membership-repository.js';

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

/**
 * Groups the principal is a member of at `at`: statically, or through an active PIM for Groups membership whose
 * window contains `at` (never waiting for the scheduler). `roleAssignableOnly` keeps those that can hold roles.
 */
export async function memberGroupIds(
  db: Executor,
  principalId: string,
  options: { readonly at: Date; readonly roleAssignableOnly?: boolean },
): Promise<string[]> {
  const groupIds = [
    ...new Set(
      (await groupRelations(db, { relationship: 'member', at: options.at, principalIds: [principalId] })).map(
        (r) => r.groupId,
      ),
    ),
  ];
  if (!options.roleAssignableOnly || groupIds.length === 0) return groupIds;
  const assignable = await db
    .selectFrom('groups')
    .select('id')
    .where('id', 'in', groupIds)
    .where('is_assignable_to_role', '=', true)
    .execute();
  return assignable.map((g) => g.id);
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
    .where('target_kind', '=', 'directoryRole')
    .where('kind', '=', 'assignment')
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .where('scope_id', '=', '/')
    .where('principal_id', 'in', principalIds)
    .where('start_at', '<=', now)
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', now)]))
    .execute();
  return rows.map((r) => r.role_definition_id);
}

/**
 * Users who hold any of `roleIds` at `/` at `now`, directly or through a role-assignable group they are a member
 * of then — statically or through an active PIM for Groups membership.
 */
export async function usersHoldingRoles(
  db: Executor,
  roleIds: readonly string[],
  now: Date,
): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const rows = await sql<{ id: string }>`
    select distinct u.id from users u
    where exists (
      select 1 from schedules s
      where s.target_kind = 'directoryRole' and s.kind = 'assignment'
        and s.status in ('Scheduled', 'Provisioned') and s.scope_id = '/'
        and s.role_definition_id in (${sql.join(roleIds)})
        and s.start_at <= ${now} and (s.end_at is null or s.end_at > ${now})
        and (s.principal_id = u.id or s.principal_id in (
          select r.group_id from group_relationships r join groups g on g.id = r.group_id
          where r.principal_id = u.id and r.relationship = 'member' and g.is_assignable_to_role
          union
          select g.id from schedules m join groups g on g.id::text = m.scope_id
          where m.target_kind = 'group' and m.kind = 'assignment' and m.role_definition_id = 'member'
            and m.status in ('Scheduled', 'Provisioned') and m.principal_id = u.id
            and m.start_at <= ${now} and (m.end_at is null or m.end_at > ${now})
            and g.is_assignable_to_role))
    )`.execute(db);
  return rows.rows.map((r) => r.id);
}
