import { describe, expect, it } from 'vitest';
import { activation, earlier, eligibility, later, schedule, t0 } from '../requests/test-kit.js';
import { startScheduledActivation } from './start-scheduled-activation.js';

describe('startScheduledActivation', () => {
  const elig = eligibility({ end: later('P1D') });
  const due = activation({ start: t0, end: later('PT2H'), status: 'Scheduled', activatedUsing: elig.id });

  it('given its eligibility still covers it, then it becomes Provisioned', () => {
    expect(startScheduledActivation(due, elig, t0)).toEqual({
      kind: 'started',
      change: { op: 'update', scheduleId: due.id, end: due.end, status: 'Provisioned' },
    });
  });

  it.each([
    ['its eligibility is gone', undefined],
    ['its eligibility was revoked', { ...elig, status: 'Revoked' as const, end: earlier('PT1H') }],
    ['its eligibility now ends before it does', { ...elig, end: later('PT1H') }],
    ['another eligibility is given', eligibility({ id: 'other' })],
  ])('given %s, then it is revoked unused with a reason (invariant 2)', (_, e) => {
    const d = startScheduledActivation(due, e, t0);
    expect(d.kind).toBe('revoked');
    expect(d.change).toEqual({
      op: 'end',
      scheduleId: due.id,
      end: new Date(t0.getTime() + 1),
      status: 'Revoked',
    });
    expect(d.kind === 'revoked' && d.reason.length).toBeGreaterThan(10);
  });

  it('given an Assigned schedule (not an activation), then it starts without an eligibility', () => {
    const a = schedule('assignment', { start: t0, status: 'Scheduled' });
    expect(startScheduledActivation(a, undefined, t0).kind).toBe('started');
  });
});
