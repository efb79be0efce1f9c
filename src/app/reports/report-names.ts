import { roleKey } from '../../core/access/action-match.js';
import { directoryRolePermissions, roleCatalogue } from '../../core/access/role-catalogue.js';
import { azureRoleIds, findAzureRole } from '../../core/catalog/azure-roles.js';
import { findDirectoryRole } from '../../core/catalog/directory-roles.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type { TargetKind } from '../../core/model/schedule.js';
import { scopePlane } from '../../core/scope/scope-plane.js';
import { customRolesById } from '../../db/repositories/access-repository.js';
import type { Executor } from '../context.js';

export interface PrincipalView {
  readonly id: string;
  readonly type: PrincipalType;
  readonly displayName: string;
  readonly userPrincipalName: string | null;
}

/** What the names of a batch of rows are looked up from: their principals, roles and scopes. */
export interface NamedTarget {
  readonly principalId: string;
  readonly targetKind: TargetKind;
  readonly roleDefinitionId: string;
  readonly scopeId: string;
}

export interface ReportNames {
  principal(id: string): PrincipalView;
  role(t: Pick<NamedTarget, 'targetKind' | 'roleDefinitionId'>): {
    displayName: string;
    isPrivileged: boolean;
  };
  scope(t: Pick<NamedTarget, 'targetKind' | 'scopeId'>): string;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const groupAccess: Record<string, string> = { member: 'Member', owner: 'Owner' };
/** The Azure roles Microsoft labels privileged (every built-in Elevate governs but Reader). */
const privilegedAzureRoleIds: ReadonlySet<string> = new Set(
  Object.values(azureRoleIds).filter((id) => id !== azureRoleIds.reader),
);

/** Users, groups and service principals by id (users with their UPN), in one query. */
export async function principalViews(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, PrincipalView>> {
  const out = new Map<string, PrincipalView>();
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => guidPattern.test(id));
  if (wanted.length === 0) return out;
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .select((eb) => [
      eb.ref('user_principal_name').$castTo<string | null>().as('user_principal_name'),
      eb.val<PrincipalType>('user').as('type'),
    ])
    .where('id', 'in', wanted)
    .unionAll(
      db
        .selectFrom('groups')
        .select(['id', 'display_name'])
        .select((eb) => [
          eb.val<string | null>(null).as('user_principal_name'),
          eb.val<PrincipalType>('group').as('type'),
        ])
        .where('id', 'in', wanted),
    )
    .unionAll(
      db
        .selectFrom('service_principals')
        .select(['id', 'display_name'])
        .select((eb) => [
          eb.val<string | null>(null).as('user_principal_name'),
          eb.val<PrincipalType>('servicePrincipal').as('type'),
        ])
        .where('id', 'in', wanted),
    )
    .execute();
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      type: r.type,
      displayName: r.display_name,
      userPrincipalName: r.user_principal_name,
    });
  }
  return out;
}

/**
 * The names a report shows for a batch of rows — principals, roles (built-in, custom, Azure, a group's
 * Member/Owner) and scopes (the directory, administrative units, groups, resource scopes) — from one query per
 * kind. Unknown ids show as themselves.
 */
export async function loadReportNames(db: Executor, rows: readonly NamedTarget[]): Promise<ReportNames> {
  const principals = await principalViews(
    db,
    rows.map((r) => r.principalId),
  );
  const customIds = [
    ...new Set(rows.filter((r) => r.targetKind !== 'group').map((r) => roleKey(r.roleDefinitionId))),
  ].filter((id) => guidPattern.test(id) && !findDirectoryRole(id) && !findAzureRole(id));
  const roles = roleCatalogue((await customRolesById(db, customIds)).map(directoryRolePermissions));

  const unitIds = new Set<string>();
  const groupIds = new Set<string>();
  const resourceIds = new Set<string>();
  for (const r of rows) {
    if (r.targetKind === 'group') groupIds.add(r.scopeId);
    else if (scopePlane(r.scopeId) === 'resource') resourceIds.add(r.scopeId.toLowerCase());
    else {
      const unit = /^\/administrativeUnits\/([^/]+)$/i.exec(r.scopeId)?.[1];
      if (unit && guidPattern.test(unit)) unitIds.add(unit.toLowerCase());
    }
  }
  const [units, groups, resources] = await Promise.all([
    unitIds.size
      ? db
          .selectFrom('administrative_units')
          .select(['id', 'display_name'])
          .where('id', 'in', [...unitIds])
          .execute()
      : [],
    groupIds.size
      ? db
          .selectFrom('groups')
          .select(['id', 'display_name'])
          .where(
            'id',
            'in',
            [...groupIds].filter((id) => guidPattern.test(id)),
          )
          .execute()
      : [],
    resourceIds.size
      ? db
          .selectFrom('resource_scopes')
          .select(['id', 'path'])
          .where('id', 'in', [...resourceIds])
          .execute()
      : [],
  ]);
  const unitNames = new Map(units.map((u) => [u.id, u.display_name]));
  const groupNames = new Map(groups.map((g) => [g.id, g.display_name]));
  const resourcePaths = new Map(resources.map((s) => [s.id, s.path]));

  return {
    principal: (id) =>
      principals.get(id.toLowerCase()) ?? { id, type: 'user', displayName: id, userPrincipalName: null },
    role(t) {
      if (t.targetKind === 'group')
        return { displayName: groupAccess[t.roleDefinitionId] ?? t.roleDefinitionId, isPrivileged: false };
      const key = roleKey(t.roleDefinitionId);
      return {
        displayName: roles(key)?.displayName ?? t.roleDefinitionId,
        isPrivileged: findDirectoryRole(key)?.isPrivileged ?? privilegedAzureRoleIds.has(key),
      };
    },
    scope(t) {
      if (t.targetKind === 'group') return groupNames.get(t.scopeId.toLowerCase()) ?? t.scopeId;
      if (t.scopeId === '/') return 'Directory';
      if (scopePlane(t.scopeId) === 'resource')
        return resourcePaths.get(t.scopeId.toLowerCase()) ?? t.scopeId;
      const unit = /^\/administrativeUnits\/([^/]+)$/i.exec(t.scopeId)?.[1]?.toLowerCase();
      const name = unit ? unitNames.get(unit) : undefined;
      return name ? `Administrative unit ${name}` : t.scopeId;
    },
  };
}
