import cluster from 'node:cluster';
import { isPrimaryMessage, type PrimaryMessage, type WorkerMessage } from './cluster-messages.js';

/** Longest a write waits for the primary's answer, beyond the primary's own bound on the other workers. */
const primaryTimeoutMs = 5_000;

/** What a worker's server needs from the cluster (main.ts `StartOptions.worker`). */
export interface ClusterWorker {
  /** node:cluster's id of this worker (a replacement gets a new one): the `x-elevate-worker` header. */
  readonly id: number;
  /** Runs start-up reconciliation, the scheduler, the reminders and the outbox dispatcher (one worker does). */
  readonly background: boolean;
  /** After a commit of this worker: resolves once every other live worker's index knows of it. */
  afterCommit(): Promise<void>;
  /**
   * The index to mark changed when another worker commits (marks made before this call are replayed). Resolves
   * once the primary waits for this worker's acks: every commit relayed before has been marked. Serve after.
   */
  attach(index: { changed(): void }): Promise<void>;
  /** This worker serves HTTP at `url`. */
  listening(url: string): void;
  /** Resolves when the primary asks this worker to stop. */
  readonly stopRequested: Promise<void>;
  /** Closes the channel to the primary (last, after the server stopped): the process can then exit. */
  leave(): void;
}

function send(message: WorkerMessage): boolean {
  if (!process.connected || !process.send) return false;
  process.send(message);
  return true;
}

/**
 * Joins the cluster as a worker: listens to the primary, says hello and waits for its welcome (which carries
 * the role). From the hello on, every other worker's commit is relayed here and acknowledged at once: the
 * index only needs marking changed — the next check catches up from the database — and a worker still
 * loading just remembers to mark it once its index exists (its load may have read the commit, or not).
 */
export async function joinCluster(onSlowPrimary: (error: Error) => void = () => {}): Promise<ClusterWorker> {
  const worker = cluster.worker;
  if (!worker) throw new Error('joinCluster runs in a node:cluster worker only');
  let index: { changed(): void } | undefined;
  let changedBeforeAttach = false;
  let lastSeq = 0;
  /** The announcement not sent yet: commits of the same turn of the event loop share it. */
  let gathering: Promise<void> | undefined;
  const waiting = new Map<number, () => void>();
  let welcomed: (message: Extract<PrimaryMessage, { elevate: 'welcome' }>) => void = () => {};
  const welcome = new Promise<Extract<PrimaryMessage, { elevate: 'welcome' }>>((resolve) => {
    welcomed = resolve;
  });
  let counted: () => void = () => {};
  let stop: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    stop = resolve;
  });

  const answerAll = () => {
    for (const resolve of waiting.values()) resolve();
    waiting.clear();
  };
  const onMessage = (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    switch (message.elevate) {
      case 'welcome':
        return welcomed(message);
      case 'counted':
        return counted();
      case 'changed':
        if (index) index.changed();
        else changedBeforeAttach = true;
        send({ elevate: 'ack', round: message.round });
        return;
      case 'known':
        waiting.get(message.seq)?.();
        waiting.delete(message.seq);
        return;
      case 'stop':
        return stop();
    }
  };
  process.on('message', onMessage);
  // Without the primary nobody else needs telling: writes go on (and the process is about to end).
  process.once('disconnect', answerAll);
  send({ elevate: 'hello' });
  const { background } = await welcome;

  function announce(): Promise<void> {
    const seq = ++lastSeq;
    const known = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (!waiting.delete(seq)) return;
        onSlowPrimary(new Error(`the primary did not confirm commit ${seq} within ${primaryTimeoutMs} ms`));
        resolve();
      }, primaryTimeoutMs);
      timer.unref();
      waiting.set(seq, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    setImmediate(() => {
      gathering = undefined;
      if (!send({ elevate: 'committed', seq })) answerAll();
    });
    return known;
  }

  return {
    id: worker.id,
    background,
    afterCommit() {
      gathering ??= announce();
      return gathering;
    },
    async attach(target) {
      index = target;
      if (changedBeforeAttach) target.changed();
      const answered = new Promise<void>((resolve) => {
        counted = resolve;
      });
      if (send({ elevate: 'ready' })) await answered;
    },
    listening(url) {
      send({ elevate: 'listening', url });
    },
    stopRequested,
    leave() {
      process.off('message', onMessage);
      // The worker's own disconnect (not the channel's): the process then ends with its own exit code once
      // idle, instead of being made to exit 0 at once.
      if (process.connected) worker.disconnect();
    },
  };
}
