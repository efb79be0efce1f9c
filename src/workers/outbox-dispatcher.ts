import { type DeliveryChannel, DeliveryFailure } from '../app/outbox/delivery-ports.js';
import type { ClaimedDelivery, DeliveryOutcome, OutboxService } from '../app/outbox/outbox-service.js';

export interface OutboxDispatcherOptions {
  readonly outbox: Pick<OutboxService, 'claim' | 'complete'>;
  /** One per channel name; deliveries of a channel not listed stay pending (e.g. email without SMTP). */
  readonly channels: readonly DeliveryChannel[];
  /** How many deliveries one claim takes (distinct ordering keys, delivered concurrently). */
  readonly batchSize?: number;
  /** How long a claim holds its deliveries; longer than any channel's timeout. Default 60 s. */
  readonly leaseMs?: number;
  /** How often the dispatcher looks for due deliveries without being woken (retries, other instances). */
  readonly pollIntervalMs: number;
  readonly onError: (error: unknown) => void;
  /** Told of every attempt's outcome (for the log); undefined outcome = the lease had run out. */
  readonly onAttempt?: (delivery: ClaimedDelivery, outcome: DeliveryOutcome | undefined) => void;
}

export interface OutboxDispatcher {
  /** Claims one batch of due deliveries and delivers it; resolves with how many were attempted. */
  runOnce(): Promise<number>;
  /** Runs batches until none is due now (tests: after a publish, or after moving the clock past a back-off). */
  drain(): Promise<number>;
  /** Looks for due deliveries now (after a publishing commit); coalesces with a run in progress. */
  wake(): void;
  /** Starts polling every `pollIntervalMs`. */
  start(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
}

/**
 * Delivers the outbox at least once: claims due deliveries under a lease (several instances share the work —
 * each delivery goes to one of them), hands each to its channel, and records the outcome: delivered, retried
 * after back-off, or dead. Order per (channel, ordering key) is kept by the claim, which only ever takes the
 * first pending delivery of a key. Everything it knows is in the database, so a restart loses nothing.
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const channels = new Map(options.channels.map((c) => [c.name, c]));
  const names = [...channels.keys()];
  const batchSize = options.batchSize ?? 50;
  const leaseMs = options.leaseMs ?? 60_000;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function deliverOne(d: ClaimedDelivery): Promise<void> {
    const channel = channels.get(d.channel);
    let result: Parameters<OutboxService['complete']>[1];
    try {
      if (!channel) throw new DeliveryFailure(`No channel named '${d.channel}' is configured`);
      const receipt = await channel.deliver(d);
      result = { ok: true, response: receipt.response };
    } catch (error) {
      result = {
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        retryable: !(error instanceof DeliveryFailure) || error.retryable,
      };
    }
    const outcome = await options.outbox.complete(d, result);
    options.onAttempt?.(d, outcome);
  }

  async function runOnce(): Promise<number> {
    const claimed = await options.outbox.claim({ channels: names, limit: batchSize, leaseMs });
    // The claim holds at most one delivery per ordering key, so the batch may go out in parallel.
    await Promise.all(claimed.map((d) => deliverOne(d).catch((error: unknown) => options.onError(error))));
    return claimed.length;
  }

  async function loop(): Promise<void> {
    while (again && !stopped) {
      again = false;
      try {
        if ((await runOnce()) > 0) again = true;
      } catch (error) {
        options.onError(error);
      }
    }
  }

  function wake(): void {
    if (stopped) return;
    again = true;
    running ??= loop().finally(() => {
      running = undefined;
    });
  }

  return {
    runOnce,
    async drain() {
      let total = 0;
      for (;;) {
        const n = await runOnce();
        if (n === 0) return total;
        total += n;
      }
    },
    wake,
    start() {
      if (timer || stopped) return;
      timer = setInterval(wake, options.pollIntervalMs);
      timer.unref();
      wake();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
