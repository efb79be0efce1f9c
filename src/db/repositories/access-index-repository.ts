import { sql } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { RolePermissions } from '../../core/access/action-match.js';
import type {
  IndexedGrant,
  IndexedMembership,
  IndexedPrincipal,
} from '../../core/access/index/access-index.js';
import { heldWindow } from '../../core/access/index/access-index.js';
import { directoryRolePermissions } from '../../core/access/role-catalogue.js';

/** One row of the access change feed: what to reload. */
export interface AccessChange {
  readonly id: number;
  readonly kind: 'holder' | 'principal' | 'scope' | 'role' | 'all';
  readonly key: string;
}

interface GrantRow {
  principal_id: string;
  directory: boolean;
  role_definition_id: string;
  scope_id: string;
  start_ms: number;
  /** `heldWindow`'s end, computed in SQL (fewer columns to read for a million rows); +Infinity when none. */
  held_end_ms: number;
}

interface MembershipRow {
  member_id: string;
  group_id: string;
  status: string | null;
  start_ms: number | null;
  end_ms: number | null;
  modified_ms: number | null;
}

// Whole milliseconds, as the JavaScript Date the evaluator reads (timestamps written by SQL may carry microseconds).
const ms = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::float8`);

const toGrant = (r: GrantRow): IndexedGrant => ({
  holderId: r.principal_id,
  targetKind: r.directory ? 'directoryRole' : 'resourceRole',
  roleDefinitionId: r.role_definition_id,
  scopeId: r.scope_id,
  start: r.start_ms,
  end: Number(r.held_end_ms),
});

const toMembership = (r: MembershipRow): IndexedMembership => ({
  memberId: r.member_id,
  groupId: r.group_id,
  ...(r.status === null || r.start_ms === null || r.modified_ms === null
    ? { start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY }
    : heldWindow({ start: r.start_ms, end: r.end_ms, status: r.status, modifiedAt: r.modified_ms })),
});

const holderFilter = (ids: readonly string[] | undefined) =>
  ids === undefined ? sql`true` : sql`s.principal_id in (${sql.join(ids)})`;

/**
 * Active role assignments (directory and resource roles, any status: ended ones answer questions about the
 * past) of `holderIds`, or of everyone; eligibilities grant nothing and are left out. Uses schedules_principal.
 */
export async function indexedGrants(db: Executor, holderIds?: readonly string[]): Promise<IndexedGrant[]> {
  if (holderIds?.length === 0) return [];
  const { rows } = await sql<GrantRow>`
    select s.principal_id, s.target_kind = 'directoryRole' as directory, s.role_definition_id, s.scope_id,
      ${ms('s.start_at')} as start_ms,
      case when s.status in ('Scheduled', 'Provisioned') then coalesce(${ms('s.end_at')}, 'Infinity'::float8)
        else least(coalesce(${ms('s.end_at')}, 'Infinity'::float8), ${ms('s.modified_at')}) end as held_end_ms
    from schedules s
    where s.kind = 'assignment' and s.target_kind <> 'group' and ${holderFilter(holderIds)}`.execute(db);
  return rows.map(toGrant);
}

/**
 * Memberships that pass group grants on, of `memberIds` or of everyone: standing members and active PIM for
 * Groups `member` assignments (eligible memberships grant nothing).
 */
export async function indexedMemberships(
  db: Executor,
  memberIds?: readonly string[],
): Promise<IndexedMembership[]> {
  if (memberIds?.length === 0) return [];
  const members = memberIds === undefined ? sql`true` : sql`r.principal_id in (${sql.join(memberIds)})`;
  const { rows } = await sql<MembershipRow>`
    select r.principal_id::text as member_id, r.group_id::text as group_id,
      null as status, null::float8 as start_ms, null::float8 as end_ms, null::float8 as modified_ms
    from group_relationships r where r.relationship = 'member' and ${members}
    union all
    select s.principal_id::text, s.scope_id, s.status,
      ${ms('s.start_at')}, ${ms('s.end_at')}, ${ms('s.modified_at')}
    from schedules s
    where s.target_kind = 'group' and s.role_definition_id = 'member' and s.kind = 'assignment'
      and ${holderFilter(memberIds)}`.execute(db);
  return rows.map(toMembership);
}

/** Users, groups and service principals (with groups' role-assignability), by id or all. */
export async function indexedPrincipals(db: Executor, ids?: readonly string[]): Promise<IndexedPrincipal[]> {
  if (ids?.length === 0) return [];
  const only = ids === undefined ? sql`true` : sql`id in (${sql.join(ids)})`;
  const { rows } = await sql<{ id: string; type: IndexedPrincipal['type']; assignable: boolean }>`
    select id::text, 'user' as type, false as assignable from users where ${only}
    union all select id::text, 'group', is_assignable_to_role from groups where ${only}
    union all select id::text, 'servicePrincipal', false from service_principals where ${only}`.execute(db);
  return rows.map((r) => ({ id: r.id, type: r.type, isAssignableToRole: r.assignable }));
}

/** The resource tree's scopes with their parents, by id or all. */
export async function indexedScopes(
  db: Executor,
  ids?: readonly string[],
): Promise<{ id: string; parentId: string | null }[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom('resource_scopes').select(['id', 'parent_id']);
  if (ids !== undefined) q = q.where('id', 'in', ids);
  return (await q.execute()).map((r) => ({ id: r.id, parentId: r.parent_id }));
}

/** Custom role definitions with their actions, by id or all. */
export async function indexedCustomRoles(db: Executor, ids?: readonly string[]): Promise<RolePermissions[]> {
  if (ids?.length === 0) return [];
  let q = db
    .selectFrom('custom_role_definitions')
    .select(['id', 'display_name', 'allowed_resource_actions', 'exact_actions']);
  if (ids !== undefined) q = q.where(sql<string>`id::text`, 'in', ids);
  return (await q.execute()).map((r) =>
    directoryRolePermissions({
      id: r.id,
      displayName: r.display_name,
      allowedResourceActions: r.allowed_resource_actions,
      exactActions: r.exact_actions,
    }),
  );
}

/** The newest change id (0 when none): a full load that reads it first has seen every change up to it. */
export async function latestAccessChange(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('access_changes')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Changes after `afterId`, oldest first, at most `limit`. */
export async function accessChangesSince(
  db: Executor,
  afterId: number,
  limit: number,
): Promise<AccessChange[]> {
  const rows = await db
    .selectFrom('access_changes')
    .select(['id', 'kind', 'key'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, key: r.key }));
}

/** Records a change nobody's trigger saw (a bulk import: `all`, a full reload). */
export async function recordAccessChange(
  db: Executor,
  kind: AccessChange['kind'],
  key: string,
): Promise<void> {
  await sql`select elevate_record_access_change(${kind}, ${key})`.execute(db);
}

/** Drops changes older than a day (every instance has long applied them; one that was away reloads in full). */
export async function pruneAccessChanges(db: Executor): Promise<void> {
  await sql`delete from access_changes where changed_at < now() - interval '1 day'`.execute(db);
}
