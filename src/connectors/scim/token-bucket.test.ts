import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './token-bucket.js';

describe('createTokenBucket', () => {
  it('lets a burst through at once, then spaces requests at the rate', () => {
    const now = 0;
    const bucket = createTokenBucket({ ratePerSecond: 2, nowMs: () => now });
    expect([bucket.reserve(), bucket.reserve()]).toEqual([0, 0]);
    // Given the burst spent, when two more are reserved at once, then they wait 500 ms and 1000 ms
    expect([bucket.reserve(), bucket.reserve()]).toEqual([500, 1000]);
  });

  it('refills with time, never beyond the burst', () => {
    let now = 0;
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 3, nowMs: () => now });
    for (let i = 0; i < 3; i++) bucket.reserve();
    now = 60_000;
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0, 100]);
  });

  it('keeps fractional rates (one request every four seconds)', () => {
    let now = 0;
    const bucket = createTokenBucket({ ratePerSecond: 0.25, nowMs: () => now });
    expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBe(4000);
    now = 8000;
    expect(bucket.reserve()).toBe(0);
  });

  it('takes back a reservation its caller gave up', () => {
    const bucket = createTokenBucket({ ratePerSecond: 1, nowMs: () => 0 });
    bucket.reserve();
    expect(bucket.reserve()).toBe(1000);
    bucket.release();
    expect(bucket.reserve()).toBe(1000);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => createTokenBucket({ ratePerSecond: 0, nowMs: () => 0 })).toThrow(/positive/);
  });
});
