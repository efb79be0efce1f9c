import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import {
  activation,
  earlier,
  eligibility,
  forDuration,
  given,
  later,
  permanent,
  rules,
  schedule,
  until,
} from './test-kit.js';

describe('adminUpdate', () => {
  it('given a running eligibility, when an administrator sets an end in 90 days, then the window keeps its start and gets the end', () => {
    const elig = eligibility();
    const d = decideScheduleRequest(
      given({
        action: 'adminUpdate',
        kind: 'eligibility',
        schedules: [elig],
        scheduleInfo: until(later('P90D')),
      }),
    );
    if (d.kind !== 'granted') throw new Error(JSON.stringify(d));
    expect(d.changes).toEqual([
      { op: 'update', scheduleId: elig.id, start: elig.start, end: later('P90D'), status: 'Provisioned' },
    ]);
    expect(d.request).toMatchObject({ status: 'Provisioned', targetScheduleId: elig.id });
  });

  it('given a running assignment, when the update moves its start to next week, then it becomes Scheduled and the request Granted', () => {
    const a = schedule('assignment');
    const d = decideScheduleRequest(
      given({ action: 'adminUpdate', schedules: [a], scheduleInfo: forDuration('P30D', later('P7D')) }),
    );
    expect(d.kind === 'granted' && d.changes[0]).toEqual({
      op: 'update',
      scheduleId: a.id,
      start: later('P7D'),
      end: later('P37D'),
      status: 'Scheduled',
    });
    expect(d.kind === 'granted' && d.request.status).toBe('Granted');
  });

  it('given an eligibility shortened to end in 30 minutes, then activations drawn from it are cut to that end or revoked (invariant 2)', () => {
    const elig = eligibility();
    const running = activation({ start: earlier('PT10M'), end: later('PT2H'), activatedUsing: elig.id });
    const upcoming = activation({
      start: later('PT1H'),
      end: later('PT2H'),
      status: 'Scheduled',
      activatedUsing: elig.id,
    });
    const inside = activation({ start: earlier('PT10M'), end: later('PT10M'), activatedUsing: elig.id });
    const ctx = given({
      action: 'adminUpdate',
      kind: 'eligibility',
      schedules: [elig, running, upcoming, inside],
      scheduleInfo: until(later('PT30M')),
    });
    const d = decideScheduleRequest(ctx);
    expect(d.kind === 'granted' && d.changes.slice(1)).toEqual([
      { op: 'update', scheduleId: running.id, end: later('PT30M') },
      { op: 'end', scheduleId: upcoming.id, end: new Date(later('PT1H').getTime() + 1), status: 'Revoked' },
    ]);
  });

  it('given stricter eligibility rules, when the update makes it permanent, then policy.violation (rules checked again)', () => {
    const ctx = given({
      action: 'adminUpdate',
      kind: 'eligibility',
      schedules: [eligibility({ end: later('P10D') })],
      scheduleInfo: permanent(),
      rules: rules({ eligible: { required: true, max: 'P90D' } }),
    });
    const d = decideScheduleRequest(ctx);
    expect(d.kind === 'rejected' && d.error.details.violations?.[0]).toMatchObject({
      ruleId: 'Expiration_Admin_Eligibility',
      reason: 'ExpirationRule',
    });
  });

  it.each([
    ['no schedule', [], until(later('P1D')), 'schedule.does_not_exist'],
    ['only an activation', [activation()], until(later('P1D')), 'schedule.does_not_exist'],
    ['no scheduleInfo', [schedule('assignment')], null, 'request.invalid'],
    ['an end already passed', [schedule('assignment')], until(earlier('P1D')), 'request.invalid'],
  ])('given %s, when an administrator updates, then it is refused', (_, schedules, scheduleInfo, code) => {
    const d = decideScheduleRequest(given({ action: 'adminUpdate', schedules, scheduleInfo }));
    expect(d.kind === 'rejected' && d.error.code).toBe(code);
  });

  it('given two eligibilities, when the update of the current one would overlap the next, then schedule.exists', () => {
    const now = eligibility({ end: later('P10D') });
    const next = eligibility({ start: later('P20D'), end: later('P40D'), status: 'Scheduled' });
    const d = decideScheduleRequest(
      given({
        action: 'adminUpdate',
        kind: 'eligibility',
        schedules: [now, next],
        scheduleInfo: until(later('P30D')),
      }),
    );
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.exists');
  });

  it('given a service principal, when the update makes its assignment permanent, then schedule.principal_type_not_allowed', () => {
    const sp = { id: 'sp-1', displayName: 'Robot', type: 'servicePrincipal' as const };
    const a = schedule('assignment', {
      principalId: sp.id,
      principalType: 'servicePrincipal',
      end: later('P10D'),
    });
    const d = decideScheduleRequest(
      given({ action: 'adminUpdate', principal: sp, schedules: [a], scheduleInfo: permanent() }),
    );
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.principal_type_not_allowed');
  });

  it('given the start is not moved, then the update keeps the running start even though Graph would rewrite a past start', () => {
    const a = schedule('assignment', { start: earlier('P3D') });
    const d = decideScheduleRequest(
      given({ action: 'adminUpdate', schedules: [a], scheduleInfo: until(later('P5D'), earlier('P3D')) }),
    );
    expect(d.kind === 'granted' && d.changes[0]).toMatchObject({ start: earlier('P3D'), end: later('P5D') });
  });
});
