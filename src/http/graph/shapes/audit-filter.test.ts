import { describe, expect, it } from 'vitest';
import { parseQueryOptions } from '../odata/index.js';
import { planAuditFilter } from './audit-filter.js';
import { directoryAuditListSpec } from './audit-shapes.js';

const id = '071cc716-8147-4397-a5ba-b2105951cc0b';
const plan = (filter: string) =>
  planAuditFilter(parseQueryOptions({ $filter: filter }, directoryAuditListSpec).filter);
const ms = (iso: string) => new Date(iso);

describe('planAuditFilter', () => {
  it.each<[string, object]>([
    ["loggedByService eq 'pim'", { loggedByService: 'PIM' }],
    [
      "category eq 'RoleManagement' and activityDisplayName eq 'Add user'",
      { category: 'RoleManagement', activityDisplayName: 'Add user' },
    ],
    [`correlationId eq ${id.toUpperCase()}`, { correlationId: id }],
    ['activityDateTime ge 2026-01-05T10:00:00Z', { from: ms('2026-01-05T10:00:00Z') }],
    ['activityDateTime gt 2026-01-05T10:00:00Z', { from: ms('2026-01-05T10:00:00.001Z') }],
    ['activityDateTime lt 2026-01-05T10:00:00Z', { to: ms('2026-01-05T10:00:00Z') }],
    ['activityDateTime le 2026-01-05T10:00:00Z', { to: ms('2026-01-05T10:00:00.001Z') }],
    [
      'activityDateTime eq 2026-01-05T10:00:00Z',
      { from: ms('2026-01-05T10:00:00Z'), to: ms('2026-01-05T10:00:00.001Z') },
    ],
    [
      'activityDateTime ge 2026-01-01T00:00:00Z and activityDateTime ge 2026-01-02T00:00:00Z and activityDateTime lt 2026-01-03T00:00:00Z',
      { from: ms('2026-01-02T00:00:00Z'), to: ms('2026-01-03T00:00:00Z') },
    ],
  ])('given %s, when planned, then the database answers it exactly with %j', (filter, search) => {
    expect(plan(filter)).toEqual({ search, exact: true });
  });

  it.each<[string, object]>([
    [`initiatedBy/user/id eq '${id}'`, { initiatedById: id }],
    [`initiatedBy/app/appId eq '${id}'`, { initiatedById: id }],
    [`targetResources/any(t: t/type eq 'Role' and t/id eq '${id}')`, { targetId: id }],
    [
      `loggedByService eq 'PIM' and targetResources/any(t: t/id eq 'x')`,
      { loggedByService: 'PIM', targetId: 'x' },
    ],
    [
      "startswith(activityDisplayName,'Add') and category eq 'RoleManagement'",
      { category: 'RoleManagement' },
    ],
    ["category eq 'RoleManagement' and category eq 'GroupManagement'", { category: 'RoleManagement' }],
    [`activityDisplayName eq '${id}'`, {}],
    ["loggedByService eq 'PIM' or category eq 'RoleManagement'", {}],
    ["not (loggedByService eq 'PIM')", {}],
    ['activityDateTime ne 2026-01-05T10:00:00Z', {}],
    [`targetResources/all(t: t/id eq '${id}')`, {}],
  ])(
    'given %s, when planned, then the database narrows to %j and the filter decides the rest',
    (filter, search) => {
      expect(plan(filter)).toEqual({ search, exact: false });
    },
  );

  it('given no filter, when planned, then everything is exact', () => {
    expect(planAuditFilter(undefined)).toEqual({ search: {}, exact: true });
  });
});
