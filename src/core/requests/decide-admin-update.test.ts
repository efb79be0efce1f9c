import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import { activation, after, before, eligibility, forDuration, given, permanent, rules, schedule, t0, until } from './test-kit.js';

describe('adminUpdate', () => {
  it('given a running eligibility, when an administrator sets an end in 90 days, then the window keeps its start and gets the end', () => {
    const elig = eligibility();
    const d = decideScheduleRequest(given({ action: 'adminUpdate', kind: 'eligibility', schedules: [elig], scheduleInfo: until(after('P90D')) }));
    if (d.kind !== 'granted') throw new Error(JSON.stringify(d));
    expect(d.changes).toEqual([{ op: 'update', scheduleId: elig.id, start: elig.start, end: after('P90D'), status: 'Provisioned' }]);
    expect(d.request).toMatchObject({ status: 'Provisioned', targetScheduleId: elig.id });
  });

  it('given a running assignment, when the update moves its start to next week, then it becomes Scheduled and the request Granted', () => {
    const a = schedule('assignment');
    const d = decideScheduleRequest(given({ action: 'adminUpdate', schedules: [a], scheduleInfo: forDuration('P30D', after('P7D')) }));
    expect(d.kind === 'granted' && d.changes[0]).toEqual({
      op: 'update',
      scheduleId: a.id,
      start: after('P7D'),
      end: after('P37D'),
      status: 'Scheduled',
    });
    expect(d.kind === 'granted' && d.request.status).toBe('Granted');
  });

  it('given an eligibility shortened to end in 30 minutes, then activations drawn from it are cut to that end or revoked (invariant 2)', () => {
    const elig = eligibility();
    const running = activation({ start: before('PT10M'), end: after('PT2H'), activatedUsing: elig.id });
    const later = activation({ start: after('PT1H'), end: after('PT2H'), status: 'Scheduled', activatedUsing: elig.id });
    const inside = activation({ start: before('PT10M'), end: after('PT10M'), activatedUsing: elig.id });
    const ctx = given({ action: 'adminUpdate', kind: 'eligibility', schedules: [elig, running, later, inside], scheduleInfo: until(after('PT30M')) });
    const d = decideScheduleRequest(ctx);
    expect(d.kind === 'granted' && d.changes.slice(1)).toEqual([
      { op: 'update', scheduleId: running.id, end: after('PT30M') },
      { op: 'end', scheduleId: later.id, end: new Date(after('PT1H').getTime() + 1), status: 'Revoked' },
    ]);
  });

  it('given stricter eligibility rules, when the update makes it permanent, then policy.violation (rules checked again)', () => {
    const ctx = given({
      action: 'adminUpdate',
      kind: 'eligibility',
      schedules: [eligibility({ end: after('P10D') })],
      scheduleInfo: permanent(),
      rules: rules({ eligible: { required: true, max: 'P90D' } }),
    });
    const d = decideScheduleRequest(ctx);
    expect(d.kind === 'rejected' && d.error.details.violations?.[0]).toMatchObject({ ruleId: 'Expiration_Admin_Eligibility', reason: 'ExpirationRule' });
  });

  it.each([
    ['no schedule', [], until(after('P1D')), 'schedule.does_not_exist'],
    ['only an activation', [activation()], until(after('P1D')), 'schedule.does_not_exist'],
    ['no scheduleInfo', [schedule('assignment')], null, 'request.invalid'],
    ['an end already passed', [schedule('assignment')], until(before('P1D')), 'request.invalid'],
  ])('given %s, when an administrator updates, then it is refused', (_, schedules, scheduleInfo, code) => {
    const d = decideScheduleRequest(given({ action: 'adminUpdate', schedules, scheduleInfo }));
    expect(d.kind === 'rejected' && d.error.code).toBe(code);
  });

  it('given two eligibilities, when the update of the current one would overlap the next, then schedule.exists', () => {
    const now = eligibility({ end: after('P10D') });
    const next = eligibility({ start: after('P20D'), end: after('P40D'), status: 'Scheduled' });
    const d = decideScheduleRequest(given({ action: 'adminUpdate', kind: 'eligibility', schedules: [now, next], scheduleInfo: until(after('P30D')) }));
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.exists');
  });

  it('given a service principal, when the update makes its assignment permanent, then schedule.principal_type_not_allowed', () => {
    const sp = { id: 'sp-1', displayName: 'Robot', type: 'servicePrincipal' as const };
    const a = schedule('assignment', { principalId: sp.id, principalType: 'servicePrincipal', end: after('P10D') });
    const d = decideScheduleRequest(given({ action: 'adminUpdate', principal: sp, schedules: [a], scheduleInfo: permanent() }));
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.principal_type_not_allowed');
  });

  it('given the start is not moved, then the update keeps the running start even though Graph would rewrite a past start', () => {
    const a = schedule('assignment', { start: before('P3D') });
    const d = decideScheduleRequest(given({ action: 'adminUpdate', schedules: [a], scheduleInfo: until(after('P5D'), before('P3D')) }));
    expect(d.kind === 'granted' && d.changes[0]).toMatchObject({ start: before('P3D'), end: after('P5D') });
  });
});
