import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScheduleStatus } from '../model/schedule.js';
import { activation, earlier, eligibility, later, schedule, t0 } from '../requests/test-kit.js';
import { isActiveAt } from './is-active.js';

describe('isActiveAt (invariant 1: access only while now ∈ [start, end) of an active assignment)', () => {
  const a = activation({ start: t0, end: later('PT1H') });
  it.each([
    ['a millisecond before start', new Date(t0.getTime() - 1), false],
    ['the exact instant of start', t0, true],
    ['inside the window', later('PT30M'), true],
    ['a millisecond before end', new Date(later('PT1H').getTime() - 1), true],
    ['the exact instant of end', later('PT1H'), false],
    ['after end', later('PT2H'), false],
  ])('given an activation [t0, t0+1h), at %s, then active is %s', (_, now, expected) => {
    expect(isActiveAt(a, now)).toBe(expected);
  });

  it.each<[string, ReturnType<typeof schedule>, boolean]>([
    ['a permanent Assigned assignment', schedule('assignment'), true],
    ['an eligibility (grants nothing)', eligibility(), false],
    [
      'a Revoked activation inside its window',
      activation({ start: earlier('PT1H'), status: 'Revoked' }),
      false,
    ],
    ['an Expired assignment', schedule('assignment', { status: 'Expired' }), false],
    [
      'a Scheduled activation whose start has come (scheduler not yet run)',
      activation({ start: earlier('PT1M'), status: 'Scheduled' }),
      true,
    ],
  ])('given %s, at t0, then active is %s', (_, s, expected) => {
    expect(isActiveAt(s, t0)).toBe(expected);
  });

  it('holds for any window, status, kind and instant', () => {
    const statuses: ScheduleStatus[] = ['Scheduled', 'Provisioned', 'Revoked', 'Expired'];
    fc.assert(
      fc.property(
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: null }),
        fc.integer({ min: -2e6, max: 2e6 }),
        fc.constantFrom(...statuses),
        fc.constantFrom('eligibility' as const, 'assignment' as const),
        (start, length, at, status, kind) => {
          const s = schedule(kind, {
            start: new Date(t0.getTime() + start),
            end: length === null ? null : new Date(t0.getTime() + start + length),
            status,
          });
          const now = new Date(t0.getTime() + at);
          const inWindow = at >= start && (length === null || at < start + length);
          const live = status === 'Scheduled' || status === 'Provisioned';
          expect(isActiveAt(s, now)).toBe(kind === 'assignment' && live && inWindow);
        },
      ),
    );
  });
});
