import { describe, expect, it } from 'vitest';
import { scheduleActions } from '../model/request.js';
import {
  directoryActivities,
  pimActivities,
  pimActivity,
  pimCategory,
  pimPhases,
  resourceActivities,
} from './activities.js';

describe('pimActivity', () => {
  it.each([
    [
      'eligibility',
      'adminAssign',
      'completed',
      'permanent',
      'Add eligible member to role in PIM completed (permanent)',
      'Add',
    ],
    [
      'eligibility',
      'adminAssign',
      'requested',
      'timebound',
      'Add eligible member to role in PIM requested (timebound)',
      'Add',
    ],
    [
      'eligibility',
      'adminAssign',
      'canceled',
      'permanent',
      'Add eligible member to role in PIM canceled (permanent)',
      'Add',
    ],
    [
      'assignment',
      'adminAssign',
      'completed',
      'timebound',
      'Add member to role in PIM completed (timebound)',
      'Add',
    ],
    [
      'assignment',
      'adminAssign',
      'requested',
      'permanent',
      'Add member to role in PIM requested (permanent)',
      'Add',
    ],
    [
      'assignment',
      'selfActivate',
      'requested',
      'timebound',
      'Add member to role requested (PIM activation)',
      'Add',
    ],
    [
      'assignment',
      'selfActivate',
      'completed',
      'timebound',
      'Add member to role completed (PIM activation)',
      'Add',
    ],
    [
      'assignment',
      'selfActivate',
      'approvalRequested',
      'timebound',
      'Add member to role approval requested (PIM activation)',
      'Add',
    ],
    [
      'assignment',
      'selfActivate',
      'approved',
      'timebound',
      'Add member to role request approved (PIM activation)',
      'Add',
    ],
    [
      'assignment',
      'selfActivate',
      'denied',
      'timebound',
      'Add member to role request denied (PIM activation)',
      'Add',
    ],
    [
      'assignment',
      'selfActivate',
      'canceled',
      'timebound',
      'Add member to role canceled (PIM activation)',
      'Add',
    ],
    [
      'assignment',
      'selfActivate',
      'expired',
      'timebound',
      'Remove member from role (PIM activation expired)',
      'Delete',
    ],
    ['assignment', 'selfActivate', 'approvalExpired', 'timebound', 'PIM activation request expired', 'Other'],
    [
      'assignment',
      'selfDeactivate',
      'requested',
      'timebound',
      'Remove member from role requested (PIM deactivate)',
      'Delete',
    ],
    [
      'assignment',
      'selfDeactivate',
      'completed',
      'timebound',
      'Remove member from role completed (PIM deactivate)',
      'Delete',
    ],
    [
      'eligibility',
      'adminRemove',
      'completed',
      'permanent',
      'Remove eligible member from role in PIM completed (permanent)',
      'Delete',
    ],
    [
      'eligibility',
      'adminRemove',
      'requested',
      'timebound',
      'Remove eligible member from role in PIM requested (timebound)',
      'Delete',
    ],
    [
      'assignment',
      'adminRemove',
      'completed',
      'timebound',
      'Remove member from role in PIM completed (timebound)',
      'Delete',
    ],
    ['assignment', 'adminRemove', 'canceled', 'timebound', 'Cancel request for role removal', 'Other'],
    [
      'eligibility',
      'adminAssign',
      'expired',
      'timebound',
      'Remove eligible member from role in PIM completed (timebound)',
      'Delete',
    ],
    [
      'assignment',
      'adminAssign',
      'expired',
      'timebound',
      'Remove member from role in PIM completed (timebound)',
      'Delete',
    ],
    [
      'assignment',
      'selfExtend',
      'requested',
      'timebound',
      'Update member in PIM requested (extend)',
      'Update',
    ],
    [
      'assignment',
      'adminExtend',
      'requested',
      'timebound',
      'Update member in PIM requested (extend)',
      'Update',
    ],
    [
      'eligibility',
      'selfExtend',
      'requested',
      'timebound',
      'Update eligible member in PIM requested (extend)',
      'Update',
    ],
    [
      'eligibility',
      'adminExtend',
      'canceled',
      'timebound',
      'Update eligible member in PIM canceled (extend)',
      'Update',
    ],
    [
      'assignment',
      'selfExtend',
      'approved',
      'timebound',
      'Update member in PIM approved by admin (extend/renew)',
      'Update',
    ],
    [
      'assignment',
      'selfExtend',
      'denied',
      'timebound',
      'Update member in PIM denied by admin (extend/renew)',
      'Update',
    ],
    [
      'assignment',
      'selfRenew',
      'requested',
      'timebound',
      'Add member to role in PIM requested (renew)',
      'Add',
    ],
    [
      'assignment',
      'adminRenew',
      'canceled',
      'timebound',
      'Add member to role in PIM canceled (renew)',
      'Add',
    ],
    [
      'eligibility',
      'adminRenew',
      'requested',
      'timebound',
      'Add eligible member to role in PIM requested (renew)',
      'Add',
    ],
    [
      'assignment',
      'selfRenew',
      'approved',
      'timebound',
      'Update member in PIM approved by admin (extend/renew)',
      'Update',
    ],
    [
      'assignment',
      'adminRenew',
      'completed',
      'timebound',
      'Add member to role in PIM completed (timebound)',
      'Add',
    ],
    ['assignment', 'adminUpdate', 'canceled', 'timebound', 'Cancel request for role update', 'Other'],
  ] as const)('%s %s %s %s → "%s"', (kind, action, phase, window, name, operationType) => {
    expect(pimActivity(kind, action, phase, window)).toEqual({
      activityDisplayName: name,
      operationType,
      result: 'success',
    });
  });

  it('logs a refused request as its "requested" activity with result failure', () => {
    expect(pimActivity('assignment', 'selfActivate', 'failed', 'timebound')).toEqual({
      activityDisplayName: 'Add member to role requested (PIM activation)',
      operationType: 'Add',
      result: 'failure',
    });
    expect(pimActivity('eligibility', 'adminAssign', 'failed', 'permanent')).toMatchObject({
      activityDisplayName: 'Add eligible member to role in PIM requested (permanent)',
      result: 'failure',
    });
  });

  it('refuses combinations PIM never produces', () => {
    expect(() => pimActivity('eligibility', 'selfActivate', 'completed', 'timebound')).toThrow(
      'No PIM audit activity for eligibility selfActivate completed',
    );
    expect(() => pimActivity('assignment', 'adminAssign', 'approved', 'timebound')).toThrow(RangeError);
    expect(() => pimActivity('assignment', 'selfDeactivate', 'canceled', 'timebound')).toThrow(RangeError);
  });

  it('has a requested and a failed activity for every action a kind supports', () => {
    for (const kind of ['eligibility', 'assignment'] as const) {
      for (const action of scheduleActions) {
        if (kind === 'eligibility' && (action === 'selfActivate' || action === 'selfDeactivate')) continue;
        const requested = pimActivity(kind, action, 'requested', 'timebound');
        expect(pimActivity(kind, action, 'failed', 'timebound')).toEqual({ ...requested, result: 'failure' });
        expect(pimActivity(kind, action, 'completed', 'timebound').result).toBe('success');
      }
    }
  });

  it('names every activity it can return without placeholders or stray spaces', () => {
    for (const kind of ['eligibility', 'assignment'] as const) {
      for (const action of scheduleActions) {
        for (const phase of pimPhases) {
          for (const window of ['permanent', 'timebound'] as const) {
            let name: string;
            try {
              name = pimActivity(kind, action, phase, window).activityDisplayName;
            } catch {
              continue;
            }
            expect(name).toMatch(/^[A-Z][A-Za-z ()/-]+[a-z)]$/);
            expect(name).not.toMatch(/ {2}|undefined/);
          }
        }
      }
    }
  });
});

describe('pimActivity for PIM for Groups', () => {
  it.each([
    ['assignment', 'selfActivate', 'completed', 'Add member to group completed (PIM activation)', 'Add'],
    ['assignment', 'selfActivate', 'expired', 'Remove member from group (PIM activation expired)', 'Delete'],
    [
      'assignment',
      'selfDeactivate',
      'completed',
      'Remove member from group completed (PIM deactivate)',
      'Delete',
    ],
    [
      'eligibility',
      'adminAssign',
      'completed',
      'Add eligible member to group in PIM completed (timebound)',
      'Add',
    ],
    ['assignment', 'adminRemove', 'canceled', 'Cancel request for group removal', 'Other'],
    ['assignment', 'selfActivate', 'approvalExpired', 'PIM activation request expired', 'Other'],
  ] as const)('given a group target, %s %s %s → "%s"', (kind, action, phase, name, operationType) => {
    expect(pimActivity(kind, action, phase, 'timebound', 'group')).toEqual({
      activityDisplayName: name,
      operationType,
      result: 'success',
    });
  });

  it('given a directory role (the default), then the wording keeps "role"', () => {
    expect(pimActivity('assignment', 'selfActivate', 'completed', 'timebound', 'directoryRole')).toEqual(
      pimActivity('assignment', 'selfActivate', 'completed', 'timebound'),
    );
  });
});

describe('pimCategory', () => {
  it.each([
    ['directoryRole', 'RoleManagement'],
    ['group', 'GroupManagement'],
    ['resourceRole', 'ResourceManagement'],
  ] as const)('%s → %s', (target, category) => {
    expect(pimCategory(target)).toBe(category);
  });
});

describe('catalogue', () => {
  it('spells the role setting change as Entra does', () => {
    expect(pimActivities.updateRoleSetting).toEqual({
      activityDisplayName: 'Update role setting in PIM',
      operationType: 'Update',
    });
  });

  it.each([
    ['addUser', 'Add user', 'UserManagement', 'Core Directory', 'Add'],
    ['deleteGroup', 'Delete group', 'GroupManagement', 'Core Directory', 'Delete'],
    ['addMemberToGroup', 'Add member to group', 'GroupManagement', 'Core Directory', 'Assign'],
    ['removeOwnerFromGroup', 'Remove owner from group', 'GroupManagement', 'Core Directory', 'Unassign'],
    [
      'addServicePrincipalCredentials',
      'Add service principal credentials',
      'ApplicationManagement',
      'Core Directory',
      'Update',
    ],
    ['updateRoleDefinition', 'Update role definition', 'RoleManagement', 'Core Directory', 'Update'],
    ['addAdministrativeUnit', 'Add administrative unit', 'DirectoryManagement', 'Core Directory', 'Add'],
    ['userSignedIn', 'User signed in', 'Authentication', 'Authentication', 'Other'],
    ['userSignInFailed', 'User sign-in failed', 'Authentication', 'Authentication', 'Other'],
    ['servicePrincipalSignedIn', 'Service principal signed in', 'Authentication', 'Authentication', 'Other'],
  ] as const)('%s → "%s" (%s, %s)', (key, name, category, service, operationType) => {
    expect(directoryActivities[key]).toEqual({
      activityDisplayName: name,
      category,
      loggedByService: service,
      operationType,
    });
  });

  it('spells resource-tree changes as Entra does under ResourceManagement', () => {
    expect(Object.values(resourceActivities)).toEqual([
      { activityDisplayName: 'Onboarded resource from PIM', operationType: 'Add' },
      { activityDisplayName: 'Resource updated', operationType: 'Update' },
      { activityDisplayName: 'Offboarded resource from PIM', operationType: 'Delete' },
    ]);
  });

  it('given a resource role, then the wording is the role wording (ResourceManagement mirrors RoleManagement)', () => {
    expect(pimActivity('assignment', 'selfActivate', 'completed', 'timebound', 'resourceRole')).toEqual(
      pimActivity('assignment', 'selfActivate', 'completed', 'timebound'),
    );
  });

  it('spells every directory activity once', () => {
    const names = Object.values(directoryActivities).map((a) => a.activityDisplayName);
    expect(new Set(names).size).toBe(names.length);
  });
});
