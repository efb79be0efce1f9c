import { describe, expect, it } from 'vitest';
import { adminPageSize, assignmentQuery, assignmentsSearch } from './admin-search';

const role = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

describe('assignmentsSearch', () => {
  it('given a dashboard link, when read, then its filters come through typed (the router parses JSON values)', () => {
    expect(assignmentsSearch({ privileged: true, kind: 'eligibility', expiring: 14, page: '2' })).toEqual({
      privileged: true,
      kind: 'eligibility',
      expiring: 14,
      page: 2,
    });
    expect(
      assignmentsSearch({ role, permanent: 'true', view: 'holders', state: 'active', via: 'Group' }),
    ).toEqual({
      role,
      permanent: true,
      view: 'holders',
      state: 'active',
      via: 'Group',
    });
  });

  it('given a hand-edited address, when read, then what is not valid is dropped and the rest kept', () => {
    expect(
      assignmentsSearch({
        role: 'x; drop table',
        group: 'not-a-guid',
        scope: 'no-slash',
        kind: 'active',
        expiring: 0,
        activated: 1.5,
        page: -1,
        view: 'other',
        privileged: false,
        principal: role.toUpperCase(),
      }),
    ).toEqual({ principal: role.toUpperCase() });
  });
});

describe('assignmentQuery', () => {
  it('given filters and a page, when asked, then the API query names them, skipping the pages before', () => {
    expect(assignmentQuery({ role, kind: 'assignment', expiring: 14, activated: 7, page: 3 })).toEqual({
      roleDefinitionId: role,
      kind: 'assignment',
      expiringWithinDays: 14,
      activatedWithinDays: 7,
      top: adminPageSize,
      skip: 2 * adminPageSize,
    });
    expect(assignmentQuery({})).toEqual({ top: adminPageSize, skip: 0 });
  });
});
