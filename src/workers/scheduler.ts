/**
 * Runs `tick` every `intervalMs`, never two at once. The tick itself is idempotent and takes its time from
 * the injected clock; access decisions never wait for it (they compare now with [start, end) themselves).
 */
export function startScheduler(options: {
  tick: () => Promise<unknown>;
  /** Runs after each tick, whatever it did (e-mail reminders and the weekly digest); errors go to onError. */
  afterTick?: () => Promise<unknown>;
  intervalMs: number;
  onError: (error: unknown) => void;
}): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    running = running
      .then(() => options.tick().catch(options.onError))
      .then(() => options.afterTick?.().catch(options.onError));
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
