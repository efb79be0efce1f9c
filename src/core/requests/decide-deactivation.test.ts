import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import { activation, earlier, eligibility, type Given, given, later, schedule, t0 } from './test-kit.js';

const deactivate = (schedules: Given['schedules'], now = t0) =>
  decideScheduleRequest(given({ action: 'selfDeactivate', scheduleInfo: null, schedules, now }));

describe('selfDeactivate', () => {
  it('given an activation started an hour ago, when Alice deactivates, then it ends now as Revoked and the request is Revoked', () => {
    const act = activation({ start: earlier('PT1H'), end: later('PT3H') });
    const d = deactivate([eligibility(), act]);
    if (d.kind !== 'granted') throw new Error(d.kind);
    expect(d.changes).toEqual([{ op: 'end', scheduleId: act.id, end: t0, status: 'Revoked' }]);
    expect(d.request).toMatchObject({ status: 'Revoked', targetScheduleId: act.id, completedAt: t0 });
  });

  it('given an activation started 4 minutes ago, when Alice deactivates, then schedule.active_duration_too_short says when to retry', () => {
    const d = deactivate([activation({ start: earlier('PT4M') })]);
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.active_duration_too_short');
    expect(d.kind === 'rejected' && d.error.message).toContain(
      `try again after ${later('PT1M').toISOString()}`,
    );
  });

  it('given an activation started exactly 5 minutes ago, when Alice deactivates, then it ends', () => {
    expect(deactivate([activation({ start: earlier('PT5M') })]).kind).toBe('granted');
  });

  it('given a future (Scheduled) activation, when Alice deactivates, then it is revoked unused at once', () => {
    const act = activation({ start: later('P1D'), end: later('PT25H'), status: 'Scheduled' });
    const d = deactivate([act]);
    expect(d.kind === 'granted' && d.changes).toEqual([
      { op: 'end', scheduleId: act.id, end: new Date(later('P1D').getTime() + 1), status: 'Revoked' },
    ]);
  });

  it('given only an Assigned assignment, when Alice deactivates, then schedule.does_not_exist explains an administrator must remove it', () => {
    const d = deactivate([schedule('assignment')]);
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.does_not_exist');
    expect(d.kind === 'rejected' && d.error.message).toContain('given by an administrator');
  });

  it.each([
    ['nothing', []],
    ['an activation that already ended', [activation({ start: earlier('PT2H'), end: earlier('PT1H') })]],
    ['a revoked activation', [activation({ start: earlier('PT1H'), status: 'Revoked' })]],
  ])('given %s, when Alice deactivates, then schedule.does_not_exist', (_, schedules) => {
    const d = deactivate(schedules);
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.does_not_exist');
  });

  it('given an eligibility request, when Alice deactivates it, then request.invalid', () => {
    const d = decideScheduleRequest(
      given({ action: 'selfDeactivate', kind: 'eligibility', schedules: [eligibility()] }),
    );
    expect(d.kind === 'rejected' && d.error.code).toBe('request.invalid');
  });
});
