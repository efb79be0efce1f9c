/**
 * Azure built-in roles Elevate governs as resource roles, with their real ids and permissions. Copied from the
 * generated reference pages of MicrosoftDocs/azure-docs (articles/role-based-access-control/built-in-roles/
 * privileged.md @ 0b8729ea — Contributor, Owner, Role Based Access Control Administrator, User Access
 * Administrator — and general.md @ 03e5750a — Reader). Every role is assignable at `/` and below.
 */

export interface AzurePermission {
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
}

export interface AzureRoleDefinition {
  /** The role definition's GUID (ARM `name`). */
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  readonly permissions: readonly AzurePermission[];
}

export const azureRoleIds = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  roleBasedAccessControlAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
} as const;

const only = (actions: string[], notActions: string[] = []): AzurePermission[] => [
  { actions, notActions, dataActions: [], notDataActions: [] },
];

export const azureRoles: readonly AzureRoleDefinition[] = [
  {
    id: azureRoleIds.owner,
    roleName: 'Owner',
    description:
      'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: only(['*']),
  },
  {
    id: azureRoleIds.contributor,
    roleName: 'Contributor',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    permissions: only(
      ['*'],
      [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
        'Microsoft.Compute/galleries/share/action',
        'Microsoft.Purview/consents/write',
        'Microsoft.Purview/consents/delete',
        'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
        'Microsoft.Subscription/cancel/action',
        'Microsoft.Subscription/enable/action',
      ],
    ),
  },
  {
    id: azureRoleIds.reader,
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: only(['*/read']),
  },
  {
    id: azureRoleIds.userAccessAdministrator,
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    permissions: only(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']),
  },
  {
    id: azureRoleIds.roleBasedAccessControlAdministrator,
    roleName: 'Role Based Access Control Administrator',
    description:
      'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
    permissions: only([
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Authorization/roleAssignments/delete',
      '*/read',
      'Microsoft.Support/*',
    ]),
  },
];

const byId = new Map(azureRoles.map((r) => [r.id, r]));

/** The built-in Azure role with this GUID (any letter case), if Elevate knows it. */
export const findAzureRole = (id: string): AzureRoleDefinition | undefined => byId.get(id.toLowerCase());

/**
 * Decides whether an ARM action pattern matches an action, as Azure RBAC does: case-insensitive, `*` standing
 * for any run of characters (slashes included): a lone star matches everything, star-slash-read every read,
 * and `Microsoft.Authorization/` followed by a star every action of that provider.
 */
export function armPatternMatches(pattern: string, action: string): boolean {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'i').test(action);
}

/**
 * Decides whether a role's permissions allow a control-plane action: some permission lists it in `actions` and
 * does not exclude it in its `notActions` (Azure RBAC; notActions subtract, they do not deny).
 */
export const roleAllowsAction = (role: AzureRoleDefinition, action: string): boolean =>
  role.permissions.some(
    (p) =>
      p.actions.some((a) => armPatternMatches(a, action)) &&
      !p.notActions.some((n) => armPatternMatches(n, action)),
  );

/** The action a manager of role assignments needs (Owner, User Access Administrator, RBAC Administrator). */
const roleAssignmentWriteAction = 'Microsoft.Authorization/roleAssignments/write';
/** The action a reader of role assignments needs (every built-in role here has it, through a wildcard). */
export const roleAssignmentReadAction = 'Microsoft.Authorization/roleAssignments/read';

/** The built-in roles whose holders manage role assignments (and PIM schedules) at their scope and below. */
export const accessManagerRoleIds: readonly string[] = azureRoles
  .filter((r) => roleAllowsAction(r, roleAssignmentWriteAction))
  .map((r) => r.id);

/** The action a manager of PIM role settings needs: Azure gives it to Owners and User Access Administrators. */
const roleManagementPolicyWriteAction = 'Microsoft.Authorization/roleManagementPolicies/write';

/**
 * The built-in roles whose holders change PIM role settings at their scope and below, and register scopes under
 * it (onboarding a resource to PIM): Owner and User Access Administrator.
 */
export const settingsManagerRoleIds: readonly string[] = azureRoles
  .filter((r) => roleAllowsAction(r, roleManagementPolicyWriteAction))
  .map((r) => r.id);
