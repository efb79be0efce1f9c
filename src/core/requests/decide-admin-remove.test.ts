import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import { activation, bob, earlier, eligibility, given, helpdesk, later, schedule, t0 } from './test-kit.js';

describe('adminRemove', () => {
  it('given a live eligibility with two activations drawn from it, when an administrator removes it, then all three end now as Revoked', () => {
    const elig = eligibility();
    const mine = activation({ start: earlier('PT1H'), activatedUsing: elig.id });
    const upcoming = activation({
      start: later('PT2H'),
      end: later('PT3H'),
      status: 'Scheduled',
      activatedUsing: elig.id,
    });
    const other = activation({ start: earlier('PT1H'), activatedUsing: 'another-eligibility' });
    const d = decideScheduleRequest(
      given({
        action: 'adminRemove',
        kind: 'eligibility',
        scheduleInfo: null,
        schedules: [elig, mine, upcoming, other],
      }),
    );
    if (d.kind !== 'granted') throw new Error(d.kind);
    expect(d.changes).toEqual([
      { op: 'end', scheduleId: elig.id, end: t0, status: 'Revoked' },
      { op: 'end', scheduleId: mine.id, end: t0, status: 'Revoked' },
      { op: 'end', scheduleId: upcoming.id, end: new Date(later('PT2H').getTime() + 1), status: 'Revoked' },
    ]);
    expect(d.request).toMatchObject({ status: 'Revoked', targetScheduleId: elig.id, completedAt: t0 });
  });

  it("given a group's eligibility, when an administrator removes it, then its members' activations end too", () => {
    const group = { ...helpdesk, type: 'group' as const, isAssignableGroup: true };
    const elig = eligibility({ principalId: group.id, principalType: 'group' });
    const bobs = activation({ principalId: bob.id, start: earlier('PT1H'), activatedUsing: elig.id });
    const d = decideScheduleRequest(
      given({ action: 'adminRemove', kind: 'eligibility', principal: group, schedules: [elig, bobs] }),
    );
    expect(d.kind === 'granted' && d.changes.map((c) => c.op === 'end' && c.scheduleId)).toEqual([
      elig.id,
      bobs.id,
    ]);
  });

  it('given an active assignment, when an administrator removes it, then it ends now', () => {
    const a = schedule('assignment');
    const d = decideScheduleRequest(given({ action: 'adminRemove', scheduleInfo: null, schedules: [a] }));
    expect(d.kind === 'granted' && d.changes).toEqual([
      { op: 'end', scheduleId: a.id, end: t0, status: 'Revoked' },
    ]);
  });

  it('given an activation, when an administrator removes the active assignment, then the activation ends now', () => {
    const a = activation({ start: earlier('PT1M') });
    const d = decideScheduleRequest(given({ action: 'adminRemove', schedules: [a] }));
    expect(d.kind === 'granted' && d.changes).toEqual([
      { op: 'end', scheduleId: a.id, end: t0, status: 'Revoked' },
    ]);
  });

  it.each([
    ['nothing', []],
    ['an expired eligibility', [eligibility({ end: earlier('P1D'), status: 'Expired' })]],
    ['an eligibility of another principal', [eligibility({ principalId: bob.id })]],
  ])(
    'given %s, when an administrator removes an eligibility, then schedule.does_not_exist',
    (_, schedules) => {
      const d = decideScheduleRequest(given({ action: 'adminRemove', kind: 'eligibility', schedules }));
      expect(d.kind === 'rejected' && d.error.code).toBe('schedule.does_not_exist');
    },
  );

  it('given isValidationOnly, then validated and nothing ends', () => {
    const d = decideScheduleRequest(
      given({ action: 'adminRemove', kind: 'eligibility', validationOnly: true, schedules: [eligibility()] }),
    );
    expect(d.kind).toBe('validated');
  });
});
