/**
 * A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up. `reserve()` takes one token and says
 * how many milliseconds the caller must wait before using it (0 when one was there), so callers queue fairly in
 * the order they reserved. Time comes in as a function, so the arithmetic is tested without waiting.
 */
export interface TokenBucket {
  /** Milliseconds to wait before the reserved request may go. */
  reserve(): number;
  /** Gives back a reservation that will not be used (its caller gave up instead of waiting). */
  release(): void;
}

export function createTokenBucket(options: {
  readonly ratePerSecond: number;
  /** Tokens that may be spent at once after a quiet spell; the rate (at least 1) by default. */
  readonly burst?: number;
  readonly nowMs: () => number;
}): TokenBucket {
  const { ratePerSecond, nowMs } = options;
  if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive; got ${ratePerSecond}`);
  const burst = options.burst ?? Math.max(1, ratePerSecond);
  const msPerToken = 1000 / ratePerSecond;
  let tokens = burst;
  let updatedAt = nowMs();
  return {
    reserve() {
      const now = nowMs();
      tokens = Math.min(burst, tokens + (now - updatedAt) / msPerToken);
      updatedAt = now;
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil(-tokens * msPerToken);
    },
    release() {
      tokens = Math.min(burst, tokens + 1);
    },
  };
}
