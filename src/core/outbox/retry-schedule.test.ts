import { describe, expect, it } from 'vitest';
import { nextRetry } from './retry-schedule.js';

const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const failedAt = new Date('2026-01-05T09:00:00Z');
const delayAfter = (attempt: number, random: number) => {
  const step = nextRetry(policy, attempt, failedAt, random);
  return step.kind === 'retry' ? step.at.getTime() - failedAt.getTime() : 'dead';
};

describe('nextRetry', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999_999, 1_000],
    [2, 0.5, 1_500],
    [3, 0, 2_000],
    [4, 1, 8_000],
  ])(
    'after failed attempt %i with random %f, waits %i ms (half fixed, half jittered)',
    (attempt, random, ms) => {
      expect(delayAfter(attempt, random)).toBe(ms);
    },
  );

  it('never waits longer than the cap', () => {
    expect(delayAfter(4, 1)).toBe(8_000);
    expect(nextRetry({ ...policy, maxAttempts: 50 }, 20, failedAt, 1)).toEqual({
      kind: 'retry',
      at: new Date(failedAt.getTime() + 10_000),
    });
  });

  it('marks the delivery dead at the limit, or at once when the failure is not retryable', () => {
    expect(delayAfter(5, 0.5)).toBe('dead');
    expect(nextRetry(policy, 1, failedAt, 0.5, false)).toEqual({ kind: 'dead' });
  });
});
