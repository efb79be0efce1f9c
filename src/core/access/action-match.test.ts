import { describe, expect, it } from 'vitest';
import { directoryRoleIds, findDirectoryRole } from '../catalog/directory-roles.js';
import { actionMatches, type RolePermissions, roleAllowsAction, roleKey } from './action-match.js';
import { directoryRolePermissions } from './role-catalogue.js';

describe('actionMatches: ARM wildcards and Entra tokens, in any letter case', () => {
  it.each([
    [
      'an exact action',
      'Microsoft.Compute/virtualMachines/read',
      'Microsoft.Compute/virtualMachines/read',
      true,
    ],
    [
      'an exact action in another case',
      'microsoft.directory/users/password/update',
      'Microsoft.Directory/Users/Password/Update',
      true,
    ],
    [
      'a different action',
      'microsoft.directory/users/password/update',
      'microsoft.directory/users/delete',
      false,
    ],
    ['dots are literal', 'microsoft.directory/users/delete', 'microsoftXdirectory/users/delete', false],
    ['a namespace wildcard', 'Microsoft.Compute/*', 'Microsoft.Compute/virtualMachines/start/action', true],
    [
      'a namespace wildcard, another namespace sharing its prefix',
      'Microsoft.Compute/*',
      'Microsoft.ComputeSchedule/x/read',
      false,
    ],
    ['a leading wildcard on read', '*/read', 'Microsoft.Storage/storageAccounts/read', true],
    [
      'a leading wildcard on read, asked for write',
      '*/read',
      'Microsoft.Storage/storageAccounts/write',
      false,
    ],
    [
      'a wildcard in the middle',
      'Microsoft.Authorization/*/Delete',
      'microsoft.authorization/roleAssignments/delete',
      true,
    ],
    ['everything', '*', 'Microsoft.Network/virtualNetworks/subnets/join/action', true],
    [
      'allProperties/allTasks covers a property update',
      'microsoft.directory/users/allProperties/allTasks',
      'microsoft.directory/users/password/update',
      true,
    ],
    [
      'allProperties/allTasks covers create',
      'microsoft.directory/users/allProperties/allTasks',
      'microsoft.directory/users/create',
      true,
    ],
    [
      'allProperties/allTasks of users, asked of groups',
      'microsoft.directory/users/allProperties/allTasks',
      'microsoft.directory/groups/delete',
      false,
    ],
    [
      'allProperties/read covers a property read',
      'microsoft.directory/users/allProperties/read',
      'microsoft.directory/users/standard/read',
      true,
    ],
    [
      'allProperties/read does not cover an update',
      'microsoft.directory/users/allProperties/read',
      'microsoft.directory/users/password/update',
      false,
    ],
    [
      'allEntities/allTasks covers anything in its namespace',
      'microsoft.azure.serviceHealth/allEntities/allTasks',
      'microsoft.azure.serviceHealth/incidents/read',
      true,
    ],
    [
      'allEntities/allTasks, another namespace',
      'microsoft.azure.serviceHealth/allEntities/allTasks',
      'microsoft.azure.supportTickets/tickets/read',
      false,
    ],
  ])('%s', (_, pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('roleAllowsAction', () => {
  const contributorLike: RolePermissions = {
    id: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    displayName: 'Contributor',
    permissions: [
      {
        actions: ['*'],
        notActions: [
          'Microsoft.Authorization/*/Delete',
          'Microsoft.Authorization/*/Write',
          'Microsoft.Authorization/elevateAccess/Action',
        ],
      },
    ],
  };

  it.each([
    ['an action its actions cover', 'Microsoft.Compute/virtualMachines/start/action', true],
    ['an action its notActions exclude', 'Microsoft.Authorization/roleAssignments/write', false],
    ['an excluded action in another case', 'microsoft.authorization/ROLEASSIGNMENTS/delete', false],
    ['a read its notActions leave', 'Microsoft.Authorization/roleAssignments/read', true],
  ])('given Contributor-like actions, %s → %s', (_, action, expected) => {
    expect(roleAllowsAction(contributorLike, action)).toBe(expected);
  });

  it("given the catalogue's Helpdesk Administrator, it allows resetting a password and not deleting a user", () => {
    const helpdesk = directoryRolePermissions(findDirectoryRole(directoryRoleIds.helpdeskAdministrator)!);
    expect(roleAllowsAction(helpdesk, 'microsoft.directory/users/password/update')).toBe(true);
    expect(roleAllowsAction(helpdesk, 'microsoft.directory/users/delete')).toBe(false);
  });

  it("given the catalogue's Global Administrator, its users/allProperties/allTasks allows resetting a password", () => {
    const global = directoryRolePermissions(findDirectoryRole(directoryRoleIds.globalAdministrator)!);
    expect(roleAllowsAction(global, 'microsoft.directory/users/password/update')).toBe(true);
  });
});

describe('roleKey', () => {
  it('reads a full ARM role definition id and a bare GUID alike', () => {
    expect(
      roleKey(
        '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/providers/Microsoft.Authorization/roleDefinitions/8E3AF657-A8FF-443C-A75C-2FE8C4BCB635',
      ),
    ).toBe(roleKey('8e3af657-a8ff-443c-a75c-2fe8c4bcb635'));
  });
});
