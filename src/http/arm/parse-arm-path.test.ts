import { describe, expect, it } from 'vitest';
import { parseArmPath } from './parse-arm-path.js';

const sub = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const name = '64caffb6-55c0-4deb-a585-68e948ea1ad6';

describe('parseArmPath: scopes of any depth, then Microsoft.Authorization', () => {
  it.each([
    ['/providers/Microsoft.Authorization/roleAssignmentScheduleRequests', '/', 'root'],
    [
      '/providers/Microsoft.Management/managementGroups/mg-contoso/providers/Microsoft.Authorization/roleAssignmentScheduleRequests',
      '/providers/microsoft.management/managementgroups/mg-contoso',
      'managementGroup',
    ],
    [
      `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests`,
      `/subscriptions/${sub}`,
      'subscription',
    ],
    [
      `/providers/Microsoft.Subscription/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests`,
      `/subscriptions/${sub}`,
      'subscription',
    ],
    [
      `/subscriptions/${sub}/resourceGroups/rg-web/providers/microsoft.authorization/ROLEASSIGNMENTSCHEDULEREQUESTS`,
      `/subscriptions/${sub}/resourcegroups/rg-web`,
      'resourceGroup',
    ],
    [
      `/subscriptions/${sub}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-web-01/providers/Microsoft.Authorization/roleAssignmentScheduleRequests`,
      `/subscriptions/${sub}/resourcegroups/rg-web/providers/microsoft.compute/virtualmachines/vm-web-01`,
      'resource',
    ],
  ])('%s → scope %s (%s)', (path, scopeId, type) => {
    expect(parseArmPath(path)).toMatchObject({
      kind: 'authorization',
      scope: { id: scopeId, type },
      collection: 'roleAssignmentScheduleRequests',
      name: null,
      action: null,
    });
  });

  it('reads an item name and an action', () => {
    expect(
      parseArmPath(
        `/subscriptions/${sub}/providers/Microsoft.Authorization/roleEligibilityScheduleRequests/${name}/cancel`,
      ),
    ).toMatchObject({
      kind: 'authorization',
      collection: 'roleEligibilityScheduleRequests',
      name,
      action: 'cancel',
    });
    expect(
      parseArmPath(
        `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}/Validate`,
      ),
    ).toMatchObject({ action: 'validate' });
    expect(
      parseArmPath(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${name}`),
    ).toMatchObject({
      collection: 'roleDefinitions',
      name,
    });
  });

  it('reads the tree, elevate access and approvals', () => {
    expect(parseArmPath('/providers/Microsoft.Management/managementGroups/mg-contoso')).toMatchObject({
      kind: 'scope',
      scope: { type: 'managementGroup', name: 'mg-contoso' },
    });
    expect(parseArmPath(`/subscriptions/${sub}/resourcegroups/rg-data`)).toMatchObject({
      kind: 'scope',
      scope: { type: 'resourceGroup', path: `/subscriptions/${sub}/resourceGroups/rg-data` },
    });
    expect(
      parseArmPath(`/providers/Microsoft.Management/managementGroups/mg/subscriptions/${sub}`),
    ).toMatchObject({
      kind: 'groupSubscription',
      managementGroup: { name: 'mg' },
      subscription: { name: sub },
    });
    expect(parseArmPath('/providers/Microsoft.Authorization/elevateAccess')).toEqual({
      kind: 'elevateAccess',
    });
    expect(
      parseArmPath(`/providers/Microsoft.Authorization/roleAssignmentApprovals/${name}/stages/${name}`),
    ).toEqual({
      kind: 'approval',
      approvalId: name,
      stages: true,
      stageId: name,
    });
  });

  it.each([
    `/subscriptions/not-a-guid/providers/Microsoft.Authorization/roleAssignmentScheduleRequests`,
    `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments`,
    `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}/approve`,
    `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}/cancel/x`,
    `/subscriptions/${sub}/providers/Microsoft.Authorization`,
    `/subscriptions/${sub}/providers/Microsoft.Authorization/elevateAccess`,
    '/providers/Microsoft.Authorization/roleAssignmentApprovals/not-a-guid',
    `/subscriptions/${sub}/things/x/providers/Microsoft.Authorization/roleAssignmentScheduleRequests`,
    '/providers/Microsoft.Compute/virtualMachines/x',
    `/subscriptions/${sub}/resourceGroups/rg%2Fx`,
    `/subscriptions/${sub}/resourceGroups/%E0%A4%A`,
  ])('refuses %s', (path) => {
    expect(parseArmPath(path).kind).toBe('invalid');
  });
});
