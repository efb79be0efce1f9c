import { describe, expect, it } from 'vitest';
import { matchFilter } from './match-filter.js';
import { parseFilter } from './parse-filter.js';

const request = {
  id: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  status: 'PendingApproval',
  action: 'selfActivate',
  principalId: '071cc716-8147-4397-a5ba-b2105951cc0b',
  roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
  directoryScopeId: '/',
  appScopeId: null,
  isValidationOnly: false,
  priority: 3,
  createdDateTime: new Date('2024-01-15T10:00:00Z'),
  scheduleInfo: { startDateTime: '2024-01-15T10:00:00.9014347Z', expiration: { type: 'afterDuration' } },
  principal: { '@odata.type': '#microsoft.graph.user', id: '071cc716-8147-4397-a5ba-b2105951cc0b' },
  targetResources: [
    { id: 'abc', type: 'Role' },
    { id: 'def', type: 'User' },
  ],
  tags: ['a', 'b'],
  empty: [],
};

const matches = (filter: string, item: object = request) => matchFilter(parseFilter(filter), item);

describe('matchFilter', () => {
  describe('given a schedule request', () => {
    it.each([
      "status eq 'PendingApproval'",
      "status ne 'Granted'",
      "principalId eq '071cc716-8147-4397-a5ba-b2105951cc0b' and roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'",
      'principalId eq 071CC716-8147-4397-A5BA-B2105951CC0B',
      "roleDefinitionId in ('x', '62e90394-69f5-4237-9190-012177145e10')",
      "directoryScopeId eq '/'",
      'appScopeId eq null',
      'directoryScopeId ne null',
      'missing eq null',
      "appScopeId ne '/'",
      'isValidationOnly eq false',
      'priority gt 2 and priority le 3',
      'createdDateTime ge 2024-01-01T00:00:00Z and createdDateTime lt 2024-02-01T00:00:00Z',
      'createdDateTime eq 2024-01-15T12:00:00+02:00',
      'scheduleInfo/startDateTime gt 2024-01-15T10:00:00Z',
      'scheduleInfo/startDateTime ge 2024-01-15',
      "scheduleInfo/expiration/type eq 'afterDuration'",
      "principal/id eq '071cc716-8147-4397-a5ba-b2105951cc0b'",
      "isof(principal,'microsoft.graph.user')",
      "targetResources/any(t: t/id eq 'abc')",
      "targetResources/any(t: t/id eq 'def' and t/type eq 'User')",
      "targetResources/all(t: t/type ne 'Group')",
      'targetResources/any()',
      "tags/any(x: x eq 'b')",
      "empty/all(x: x eq 'never')",
      "startswith(action,'self')",
      "endswith(action,'Activate')",
      "contains(action,'fAc')",
      "not (status eq 'Denied')",
      "status eq 'Denied' or action eq 'selfActivate'",
      "targetResources/any(t: t/id eq 'abc' and status eq 'PendingApproval')",
      "'PendingApproval' eq status",
      "action gt 'adminAssign'",
    ])('when filtered by %s, then it matches', (filter) => {
      expect(matches(filter)).toBe(true);
    });

    it.each([
      "status eq 'pendingapproval'",
      "status eq 'Granted'",
      "principalId eq '00000000-0000-0000-0000-000000000000'",
      "roleDefinitionId in ('a','b')",
      'directoryScopeId eq null',
      'appScopeId ne null',
      "appScopeId eq '/'",
      "appScopeId lt '/'",
      'appScopeId gt 2024-01-01T00:00:00Z',
      'isValidationOnly eq true',
      "priority eq '3'",
      'priority lt 3',
      'createdDateTime lt 2024-01-15T10:00:00Z',
      'createdDateTime gt 2024-01-15T10:00:00Z',
      "createdDateTime eq '2024-01-15T10:00:00Z'",
      "scheduleInfo eq 'x'",
      "isof(principal,'microsoft.graph.group')",
      "isof('microsoft.graph.user')",
      "isof(missing,'microsoft.graph.user')",
      "targetResources/any(t: t/id eq 'zzz')",
      "targetResources/all(t: t/type eq 'Role')",
      'empty/any()',
      "missing/any(t: t/id eq 'x')",
      "startswith(action,'Self')",
      "startswith(priority,'3')",
      "endswith(missing,'x')",
      "contains(action,'Admin')",
      "not (status eq 'PendingApproval')",
      "status eq 'Denied' and action eq 'selfActivate'",
      "principal/missing/deeper eq 'x'",
      "tags/id eq 'a'",
    ])('when filtered by %s, then it does not match', (filter) => {
      expect(matches(filter)).toBe(false);
    });
  });

  describe('given null and missing values', () => {
    it('when lt, gt or their negation meets null, then comparisons are false and not flips them', () => {
      expect(matches('appScopeId lt 5')).toBe(false);
      expect(matches('not (appScopeId lt 5)')).toBe(true);
      expect(matches("not (missing/x eq 'a')")).toBe(true);
    });

    it('when all() ranges over a missing collection, then it holds vacuously', () => {
      expect(matches("missing/all(t: t eq 'x')")).toBe(true);
    });
  });

  describe('given items whose shapes are hostile', () => {
    it('when a path names an inherited property, then it is not read', () => {
      expect(matches('constructor ne null', {})).toBe(false);
      expect(matches('toString eq null', {})).toBe(true);
    });

    it('when a path walks into a Date or an array, then it finds nothing', () => {
      expect(matches('createdDateTime/time eq null')).toBe(true);
      expect(matches('targetResources/id eq null')).toBe(true);
    });

    it('when a date-time literal meets a string that is not a date, then it does not match', () => {
      expect(matches('status gt 2024-01-01T00:00:00Z')).toBe(false);
      expect(matches('status ne 2024-01-01T00:00:00Z')).toBe(true);
    });

    it("when isof meets an item whose @odata.type lacks '#', then it still compares the name", () => {
      expect(matches("isof('microsoft.graph.group')", { '@odata.type': 'microsoft.graph.group' })).toBe(true);
    });
  });
});
