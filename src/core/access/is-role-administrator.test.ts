import { describe, expect, it } from 'vitest';
import {
  globalAdministratorId,
  isRoleAdministrator,
  privilegedRoleAdministratorId,
} from './is-role-administrator.js';

describe('isRoleAdministrator (invariant 8)', () => {
  it.each([
    ['Privileged Role Administrator', [privilegedRoleAdministratorId], true],
    ['Global Administrator', [globalAdministratorId], true],
    ['Global Reader', ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'], false],
    ['no role', [], false],
  ])('given %s, then %s', (_, roleIds, expected) => {
    expect(isRoleAdministrator({ roleIds: new Set(roleIds) })).toBe(expected);
  });
});
