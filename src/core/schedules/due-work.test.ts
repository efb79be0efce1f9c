import { describe, expect, it } from 'vitest';
import type { Approval } from '../model/approval.js';
import type { Schedule } from '../model/schedule.js';
import {
  activation,
  earlier,
  eligibility,
  later,
  openedApproval,
  schedule,
  t0,
} from '../requests/test-kit.js';
import { dueWork } from './due-work.js';

/** Applies dueWork's answer the way the scheduler's use cases would. */
function apply(schedules: readonly Schedule[], approvals: readonly Approval[], now: Date) {
  const w = dueWork({ schedules, approvals, now });
  const start = new Set(w.toStart.map((s) => s.id));
  const end = new Set(w.toExpire.map((s) => s.id));
  const timeout = new Set(w.approvalsToExpire.map((a) => a.id));
  return {
    schedules: schedules.map(
      (s): Schedule =>
        start.has(s.id) ? { ...s, status: 'Provisioned' } : end.has(s.id) ? { ...s, status: 'Expired' } : s,
    ),
    approvals: approvals.map((a): Approval => (timeout.has(a.id) ? { ...a, status: 'Expired' } : a)),
  };
}

describe('dueWork', () => {
  const dueToStart = activation({ start: earlier('PT1M'), end: later('PT1H'), status: 'Scheduled' });
  const startsAtNow = activation({ start: t0, end: later('PT1H'), status: 'Scheduled' });
  const notYet = activation({ start: later('PT1M'), end: later('PT1H'), status: 'Scheduled' });
  const endsNow = activation({ start: earlier('PT1H'), end: t0, status: 'Provisioned' });
  const endedLongAgo = eligibility({ start: earlier('P90D'), end: earlier('P1D'), status: 'Provisioned' });
  const neverStarted = activation({ start: earlier('PT2H'), end: earlier('PT1H'), status: 'Scheduled' });
  const running = schedule('assignment', { end: later('P1D') });
  const permanent = eligibility();
  const revoked = activation({ start: earlier('PT2H'), end: earlier('PT1H'), status: 'Revoked' });
  const timedOut = openedApproval('r1', { expiresAt: t0 });
  const open = openedApproval('r2', { expiresAt: later('PT1M') });
  const decided = openedApproval('r3', { expiresAt: earlier('PT1M'), status: 'Completed' });
  const schedules = [
    dueToStart,
    startsAtNow,
    notYet,
    endsNow,
    endedLongAgo,
    neverStarted,
    running,
    permanent,
    revoked,
  ];

  it('given a mix of schedules and approvals, then it lists exactly what is due, in time order', () => {
    const w = dueWork({ schedules, approvals: [timedOut, open, decided], now: t0 });
    expect(w.toStart.map((s) => s.id)).toEqual([dueToStart.id, startsAtNow.id]);
    expect(w.toExpire.map((s) => s.id)).toEqual([endedLongAgo.id, neverStarted.id, endsNow.id]);
    expect(w.approvalsToExpire.map((a) => a.id)).toEqual([timedOut.id]);
  });

  it('given the work was applied, when asked again at the same instant, then nothing is due (idempotent)', () => {
    const once = apply(schedules, [timedOut, open, decided], t0);
    expect(dueWork({ ...once, now: t0 })).toEqual({ toStart: [], toExpire: [], approvalsToExpire: [] });
  });

  it('given a restart a week later, then everything past its end is expired first, none of it started (invariant 6)', () => {
    const w = dueWork({ schedules, approvals: [], now: later('P7D') });
    expect(w.toStart).toEqual([]);
    expect(w.toExpire.map((s) => s.id).sort()).toEqual(
      [
        dueToStart.id,
        startsAtNow.id,
        notYet.id,
        endsNow.id,
        endedLongAgo.id,
        neverStarted.id,
        running.id,
      ].sort(),
    );
  });
});
