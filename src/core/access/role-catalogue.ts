import { type AzureRoleDefinition, azureRoles } from '../catalog/azure-roles.js';
import { directoryRoles } from '../catalog/directory-roles.js';
import { type RoleCatalogue, type RolePermissions, roleKey } from './action-match.js';

/** A directory role's permissions: its `allowedResourceActions` as one block (custom roles exclude nothing). */
export const directoryRolePermissions = (role: {
  readonly id: string;
  readonly displayName: string;
  readonly allowedResourceActions: readonly string[];
  readonly exactActions?: boolean;
}): RolePermissions => ({
  id: role.id.toLowerCase(),
  displayName: role.displayName,
  permissions: [{ actions: role.allowedResourceActions, notActions: [] }],
  ...(role.exactActions ? { exactActions: true } : {}),
});

/**
 * An Azure role's control-plane permissions (`actions` less `notActions`, per block). Data actions are not
 * checked: none of the built-in roles Elevate governs has any.
 */
export const azureRolePermissions = (role: AzureRoleDefinition): RolePermissions => ({
  id: role.id.toLowerCase(),
  displayName: role.roleName,
  permissions: role.permissions.map((p) => ({ actions: p.actions, notActions: p.notActions })),
});

const builtIn: ReadonlyMap<string, RolePermissions> = new Map([
  ...directoryRoles.map((r): [string, RolePermissions] => [r.id, directoryRolePermissions(r)]),
  ...azureRoles.map((r): [string, RolePermissions] => [r.id, azureRolePermissions(r)]),
]);

/**
 * The catalogue the evaluator reads: the built-in directory roles and Azure roles, then `others` (custom roles),
 * each found by its id's last segment in any letter case.
 */
export function roleCatalogue(others: readonly RolePermissions[] = []): RoleCatalogue {
  const more = new Map(others.map((r) => [roleKey(r.id), r]));
  return (id) => {
    const key = roleKey(id);
    return builtIn.get(key) ?? more.get(key);
  };
}
