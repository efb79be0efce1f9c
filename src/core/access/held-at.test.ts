import { describe, expect, it } from 'vitest';
import { activation, eligibility, later, t0 } from '../requests/test-kit.js';
import { heldAt } from './held-at.js';
import { isActiveAt } from './is-active.js';

const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

describe('heldAt: a schedule in effect at any instant, past or future (invariant 1)', () => {
  const live = activation({ start: t0, end: later('PT1H') });
  const deactivated = activation({
    start: t0,
    end: later('PT20M'),
    status: 'Revoked',
    modifiedAt: later('PT20M'),
  });
  const expired = activation({ start: t0, end: later('PT1H'), status: 'Expired', modifiedAt: later('PT3H') });
  // Cancelled before it started: its end is start + 1 ms and it was changed before the start.
  const cancelled = activation({
    start: later('PT2H'),
    end: ms(later('PT2H'), 1),
    status: 'Revoked',
    modifiedAt: later('PT5M'),
  });

  it.each([
    ['a live activation, a millisecond before its start', live, ms(t0, -1), false],
    ['a live activation, at its start', live, t0, true],
    ['a live activation, a millisecond before its end', live, ms(later('PT1H'), -1), true],
    ['a live activation, at its end', live, later('PT1H'), false],
    ['a deactivated activation, before it was deactivated', deactivated, later('PT10M'), true],
    ['a deactivated activation, at the deactivation', deactivated, later('PT20M'), false],
    ['an expired activation, inside its old window', expired, later('PT30M'), true],
    ['an expired activation, at its end', expired, later('PT1H'), false],
    ['an activation cancelled before its start, at its start', cancelled, later('PT2H'), false],
    ['a permanent eligibility, a year on', eligibility(), later('P365D'), true],
  ])('%s → %s', (_, s, at, expected) => {
    expect(heldAt(s, at)).toBe(expected);
  });

  it('agrees with isActiveAt for assignments asked about the instant they were last changed or later', () => {
    for (const s of [live, deactivated, expired, cancelled]) {
      for (const at of [s.modifiedAt, later('PT30M', s.modifiedAt), later('PT4H')]) {
        if (at.getTime() >= s.modifiedAt.getTime()) expect(heldAt(s, at)).toBe(isActiveAt(s, at));
      }
    }
  });
});
