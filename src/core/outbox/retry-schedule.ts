/** How the outbox retries a failed delivery: exponential back-off with jitter, then dead after `maxAttempts`. */
export interface RetryPolicy {
  /** Attempts in all (the first included) before a delivery is marked dead. */
  readonly maxAttempts: number;
  /** The delay after the first failure; doubled after each further one. */
  readonly baseDelayMs: number;
  /** No delay is longer than this. */
  readonly maxDelayMs: number;
}

export type RetryStep = { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'dead' };

/**
 * What follows failed attempt number `attempt` (1 = the first): dead once the limit is reached, otherwise a
 * retry after base·2^(attempt−1), capped, with "equal jitter" — half fixed, half scaled by `random` in [0, 1) —
 * so receivers coming back are not hit by every instance at once.
 */
export function nextRetry(
  policy: RetryPolicy,
  attempt: number,
  failedAt: Date,
  random: number,
  retryable = true,
): RetryStep {
  if (!retryable || attempt >= policy.maxAttempts) return { kind: 'dead' };
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = delay / 2 + (delay / 2) * Math.min(Math.max(random, 0), 1);
  return { kind: 'retry', at: new Date(failedAt.getTime() + Math.round(jittered)) };
}
