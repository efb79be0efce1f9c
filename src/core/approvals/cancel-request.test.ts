import { describe, expect, it } from 'vitest';
import type { Schedule } from '../model/schedule.js';
import { decideScheduleRequest } from '../requests/decide-schedule-request.js';
import { actor, alice, bob, forDuration, given, later, roleAdmin, rules, t0 } from '../requests/test-kit.js';
import { cancelRequest } from './cancel-request.js';

const pending = () => {
  const d = decideScheduleRequest(given({ rules: rules({ approval: true }) }));
  if (d.kind !== 'pendingApproval') throw new Error(d.kind);
  return d;
};
const futureGrant = () => {
  const d = decideScheduleRequest(given({ scheduleInfo: forDuration('PT1H', later('P1D')) }));
  if (d.kind !== 'granted' || d.changes[0]?.op !== 'create') throw new Error(d.kind);
  return { request: d.request, schedule: d.changes[0].schedule as Schedule };
};

describe('cancelRequest', () => {
  it('given a request waiting for approval, when Alice cancels it, then the request and its approval are Canceled', () => {
    const { request, approval } = pending();
    const d = cancelRequest({ request, approval, schedule: null, actor: actor(alice), now: later('PT1H') });
    expect(d).toEqual({
      kind: 'canceled',
      request: { ...request, status: 'Canceled', completedAt: later('PT1H') },
      approval: { ...approval, status: 'Canceled' },
      changes: [],
    });
  });

  it('given an activation granted for tomorrow, when Alice cancels it today, then the future schedule is revoked unused', () => {
    const { request, schedule } = futureGrant();
    const d = cancelRequest({ request, approval: null, schedule, actor: actor(alice), now: t0 });
    expect(d.kind === 'canceled' && d.changes).toEqual([
      { op: 'end', scheduleId: schedule.id, end: new Date(schedule.start.getTime() + 1), status: 'Revoked' },
    ]);
  });

  it('given an activation granted for tomorrow, once it has started, then request.not_cancelable', () => {
    const { request, schedule } = futureGrant();
    const d = cancelRequest({
      request,
      approval: null,
      schedule: { ...schedule, status: 'Provisioned' },
      actor: actor(alice),
      now: later('P1D'),
    });
    expect(d.kind === 'rejected' && d.error.code).toBe('request.not_cancelable');
  });

  it.each(['Provisioned', 'Denied', 'Canceled', 'Revoked', 'Failed'] as const)(
    'given a %s request, when Alice cancels it, then request.not_cancelable',
    (status) => {
      const { request, approval } = pending();
      const d = cancelRequest({
        request: { ...request, status },
        approval,
        schedule: null,
        actor: actor(alice),
        now: t0,
      });
      expect(d.kind === 'rejected' && d.error.code).toBe('request.not_cancelable');
    },
  );

  it.each([
    ['Bob', actor(bob)],
    ['an administrator who did not make it', roleAdmin()],
  ])("given Alice's pending request, when %s cancels it, then auth.forbidden", (_, who) => {
    const { request, approval } = pending();
    const d = cancelRequest({ request, approval, schedule: null, actor: who, now: t0 });
    expect(d.kind === 'rejected' && d.error.code).toBe('auth.forbidden');
  });

  it('given an administrator scheduled an assignment for next week, when the assignee tries to cancel it, then auth.forbidden; the administrator can', () => {
    const d = decideScheduleRequest(
      given({ action: 'adminAssign', scheduleInfo: forDuration('P30D', later('P7D')) }),
    );
    if (d.kind !== 'granted' || d.changes[0]?.op !== 'create') throw new Error(d.kind);
    const schedule = d.changes[0].schedule;
    const byAlice = cancelRequest({
      request: d.request,
      approval: null,
      schedule,
      actor: actor(alice),
      now: t0,
    });
    const byAdmin = cancelRequest({
      request: d.request,
      approval: null,
      schedule,
      actor: roleAdmin(),
      now: t0,
    });
    expect([byAlice.kind, byAdmin.kind]).toEqual(['rejected', 'canceled']);
  });
});
