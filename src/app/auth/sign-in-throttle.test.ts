import { describe, expect, it } from 'vitest';
import { lockedError, lockoutDuration } from './sign-in-throttle.js';

describe('lockout', () => {
  it('lasts 1, 5, 15, then 60 minutes', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => lockoutDuration(n) / 60_000)).toEqual([1, 5, 15, 60, 60, 60]);
  });

  it('says when to try again, in whole seconds for Retry-After', () => {
    const e = lockedError(new Date('2026-03-02T09:01:00.400Z'), new Date('2026-03-02T09:00:00Z'));
    expect(e.code).toBe('auth.locked');
    expect(e.details.retryAfterSeconds).toBe(61);
    expect(e.message).toContain('locked until 2026-03-02T09:01:00.400Z');
  });
});
