import { describe, expect, it } from 'vitest';
import { activation, earlier, later, t0 } from '../requests/test-kit.js';
import { endSchedule } from './schedule-change.js';

describe('endSchedule', () => {
  it.each([
    ['running', activation({ start: earlier('PT1H'), end: later('PT1H') }), t0],
    ['starting exactly now', activation({ start: t0, end: later('PT1H') }), new Date(t0.getTime() + 1)],
    [
      'not yet started',
      activation({ start: later('PT1H'), end: later('PT2H') }),
      new Date(later('PT1H').getTime() + 1),
    ],
    ['already past its end', activation({ start: earlier('PT2H'), end: earlier('PT1H') }), earlier('PT1H')],
  ])(
    'given a schedule %s, then its end is now, never before start + 1 ms nor after its own end',
    (_, s, end) => {
      const c = endSchedule(s, t0, 'Revoked');
      expect(c).toEqual({ op: 'end', scheduleId: s.id, end, status: 'Revoked' });
      expect(c.end.getTime()).toBeGreaterThan(s.start.getTime());
    },
  );
});
