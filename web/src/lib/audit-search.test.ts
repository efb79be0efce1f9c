import { describe, expect, it } from 'vitest';
import {
  actorName,
  auditFilter,
  auditSearchParams,
  criteriaErrors,
  criteriaFromParams,
  emptyCriteria,
  paramsFromCriteria,
} from './audit-search';

const now = Date.parse('2026-01-31T12:00:00Z');

describe('the audit search', () => {
  it('given no criteria, then everything is asked for', () => {
    expect(auditFilter(emptyCriteria, now)).toBeUndefined();
  });

  it('given who, what, on what, category and result, then one $filter joins them with and, quotes doubled', () => {
    expect(
      auditFilter(
        {
          ...emptyCriteria,
          actor: " O'Brien ",
          activity: 'Add member',
          target: 'Helpdesk',
          category: 'RoleManagement',
          result: 'failure',
        },
        now,
      ),
    ).toBe(
      "(startswith(initiatedBy/user/displayName,'O''Brien') or startswith(initiatedBy/app/displayName,'O''Brien')) and " +
        "startswith(activityDisplayName,'Add member') and targetResources/any(t: startswith(t/displayName,'Helpdesk')) and " +
        "category eq 'RoleManagement' and result eq 'failure'",
    );
  });

  it('given a period, then it ends at the search; a custom range is half-open', () => {
    expect(auditFilter({ ...emptyCriteria, period: '7d' }, now)).toBe(
      'activityDateTime ge 2026-01-24T12:00:00.000Z',
    );
    expect(
      auditFilter(
        { ...emptyCriteria, period: 'custom', from: '2026-01-01T00:00Z', to: '2026-01-02T00:00Z' },
        now,
      ),
    ).toBe('activityDateTime ge 2026-01-01T00:00:00.000Z and activityDateTime lt 2026-01-02T00:00:00.000Z');
  });

  it('refuses a range that ends before it starts, naming the field', () => {
    expect(
      criteriaErrors({
        ...emptyCriteria,
        period: 'custom',
        from: '2026-01-02T00:00Z',
        to: '2026-01-01T00:00Z',
      }),
    ).toEqual({
      to: 'Must be after the start.',
    });
    expect(criteriaErrors({ ...emptyCriteria, period: '24h', from: 'garbage' })).toEqual({});
  });

  it('names the actor: a user, an app, or nobody', () => {
    expect(actorName({ user: { id: 'u', displayName: 'Ada' } })).toBe('Ada');
    expect(actorName({ user: null, app: { appId: 'a', displayName: 'Ticketing' } })).toBe('Ticketing (app)');
    expect(actorName({})).toBe('—');
  });

  it('keeps the search in the address: known, bounded fields only, and back', () => {
    const params = auditSearchParams({
      actor: 'Ada',
      period: '7d',
      result: 'maybe',
      colour: 'red',
      target: 'x'.repeat(300),
    });
    expect(params).toEqual({ actor: 'Ada', period: '7d' });
    const criteria = criteriaFromParams(params);
    expect(criteria).toEqual({ ...emptyCriteria, actor: 'Ada', period: '7d' });
    expect(paramsFromCriteria(criteria)).toEqual(params);
    expect(paramsFromCriteria(emptyCriteria)).toEqual({});
    expect(auditSearchParams({ period: 'forever' })).toEqual({});
  });
});
