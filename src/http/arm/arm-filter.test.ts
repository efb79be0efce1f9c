import { describe, expect, it } from 'vitest';
import { parseArmFilter, roleGuidOf } from './arm-filter.js';

const id = '64caffb6-55c0-4deb-a585-68e948ea1ad6';
const owner = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

describe('parseArmFilter', () => {
  it.each([
    [undefined, {}],
    ['atScope()', { atScope: true }],
    ['asTarget()', { asTarget: true }],
    ['ASREQUESTOR()', { asRequestor: true }],
    ['asApprover()', { asApprover: true }],
    [`assignedTo('${id.toUpperCase()}')`, { assignedTo: id }],
    [`principalId eq '${id}'`, { principalId: id }],
    [`atScope() and principalId eq '${id}'`, { atScope: true, principalId: id }],
    [
      `roleDefinitionId eq '/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/${owner}'`,
      { roleDefinitionId: owner },
    ],
    [
      `status eq 'PendingApproval' AND requestorId eq '${id}'`,
      { status: 'PendingApproval', requestorId: id },
    ],
  ])('reads %s', (raw, expected) => {
    expect(parseArmFilter(raw, 'requests')).toEqual(expected);
  });

  it.each([
    ['principalId eq 1', 'requests'],
    ["principalId eq 'not-a-guid'", 'requests'],
    ['atScope() and atScope()', 'requests'],
    ['inScope()', 'requests'],
    ["displayName eq 'x'", 'requests'],
    ['asRequestor()', 'schedules'],
    ["status eq 'Provisioned'", 'schedules'],
    ["roleDefinitionId eq 'Owner'", 'requests'],
    ['x'.repeat(2000), 'requests'],
  ] as const)('refuses %s on %s', (raw, target) => {
    expect(() => parseArmFilter(raw, target)).toThrow(
      expect.objectContaining({ status: 400, code: 'InvalidFilter' }),
    );
  });

  it('reads role definition ids in either form', () => {
    expect(roleGuidOf(owner.toUpperCase())).toBe(owner);
    expect(roleGuidOf(`/providers/Microsoft.Authorization/roleDefinitions/${owner}`)).toBe(owner);
    expect(roleGuidOf(`/x/roleDefinitions/${owner}`)).toBeNull();
  });
});
