import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import type { Decision } from './decision.js';
import { activation, earlier, eligibility, given, later, rules, schedule } from './test-kit.js';

const errorOf = (d: Decision) => {
  if (d.kind !== 'rejected') throw new Error(`expected rejected, got ${d.kind}`);
  return d.error;
};

describe('selfActivate: conflicts', () => {
  it.each([
    [
      'a live activation overlapping',
      [eligibility(), activation({ start: earlier('PT10M') })],
      'schedule.exists',
    ],
    ['a permanent Assigned assignment', [eligibility(), schedule('assignment')], 'schedule.exists'],
  ])('given %s, when Alice activates, then schedule.exists', (_, schedules, code) => {
    expect(errorOf(decideScheduleRequest(given({ schedules }))).code).toBe(code);
  });

  it('given a request already waiting for approval, when Alice activates, then schedule.pending_request', () => {
    const waiting = decideScheduleRequest(given({ rules: rules({ approval: true }) }));
    if (waiting.kind !== 'pendingApproval') throw new Error('expected pending');
    const again = given({ pendingRequests: [{ ...waiting.request, id: 'req-old' }] });
    const e = errorOf(decideScheduleRequest(again));
    expect(e.code).toBe('schedule.pending_request');
    expect(e.details.target).toBe('req-old');
  });
});

describe('adminAssign: conflicts', () => {
  it('given an eligibility that ends before the new one starts, then there is no conflict', () => {
    const old = eligibility({ end: later('P1D') });
    const d = decideScheduleRequest(
      given({
        action: 'adminAssign',
        kind: 'eligibility',
        schedules: [old],
        scheduleInfo: {
          startDateTime: later('P1D'),
          expiration: { type: 'noExpiration', endDateTime: null, duration: null },
        },
      }),
    );
    expect(d.kind).toBe('granted');
  });
});
