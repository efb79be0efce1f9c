import { describe, expect, it } from 'vitest';
import {
  accessManagerRoleIds,
  armPatternMatches,
  azureRoles,
  findAzureRole,
  azureRoleIds as ids,
  roleAllowsAction,
  settingsManagerRoleIds,
} from './azure-roles.js';

describe('Azure built-in roles', () => {
  it('carries the five roles with their real ids, each assignable everywhere', () => {
    expect(azureRoles.map((r) => [r.roleName, r.id])).toEqual([
      ['Owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'],
      ['Contributor', 'b24988ac-6180-42a0-ab88-20f7382dd24c'],
      ['Reader', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'],
      ['User Access Administrator', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'],
      ['Role Based Access Control Administrator', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'],
    ]);
    expect(findAzureRole('8E3AF657-A8FF-443C-A75C-2FE8C4BCB635')?.roleName).toBe('Owner');
    expect(findAzureRole('62e90394-69f5-4237-9190-012177145e10')).toBeUndefined();
  });

  it.each([
    ['*', 'Microsoft.Compute/virtualMachines/start/action', true],
    ['*/read', 'Microsoft.Compute/virtualMachines/read', true],
    ['*/read', 'Microsoft.Compute/virtualMachines/write', false],
    ['Microsoft.Authorization/*', 'microsoft.authorization/roleAssignments/write', true],
    ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/roleAssignments/write', true],
    ['Microsoft.Authorization/*', 'Microsoft.AuthorizationX/roleAssignments/write', false],
    ['Microsoft.Support/*', 'Microsoft.Support/supportTickets/write', true],
  ])('pattern %s matches %s: %s', (pattern, action, expected) => {
    expect(armPatternMatches(pattern, action)).toBe(expected);
  });

  it('derives who manages role assignments and role settings from the actions, as Azure RBAC does', () => {
    const contributor = findAzureRole(ids.contributor)!;
    expect(roleAllowsAction(contributor, 'Microsoft.Compute/virtualMachines/start/action')).toBe(true);
    expect(roleAllowsAction(contributor, 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
    expect(roleAllowsAction(contributor, 'Microsoft.Authorization/roleAssignments/read')).toBe(true);
    expect(roleAllowsAction(findAzureRole(ids.reader)!, 'Microsoft.Compute/virtualMachines/read')).toBe(true);
    expect(new Set(accessManagerRoleIds)).toEqual(
      new Set([ids.owner, ids.userAccessAdministrator, ids.roleBasedAccessControlAdministrator]),
    );
    expect(new Set(settingsManagerRoleIds)).toEqual(new Set([ids.owner, ids.userAccessAdministrator]));
  });
});
