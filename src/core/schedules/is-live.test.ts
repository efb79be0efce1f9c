import { describe, expect, it } from 'vitest';
import type { ScheduleStatus } from '../model/schedule.js';
import { earlier, eligibility, later, t0 } from '../requests/test-kit.js';
import { isLive } from './is-live.js';

describe('isLive', () => {
  it.each<[ScheduleStatus, Date | null, boolean]>([
    ['Provisioned', null, true],
    ['Scheduled', later('P1D'), true],
    ['Provisioned', later('PT1S'), true],
    ['Provisioned', t0, false],
    ['Provisioned', earlier('P1D'), false],
    ['Revoked', later('P1D'), false],
    ['Expired', null, false],
  ])('given status %s and end %s, then live is %s', (status, end, live) => {
    expect(isLive(eligibility({ start: earlier('P10D'), status, end }), t0)).toBe(live);
  });
});
