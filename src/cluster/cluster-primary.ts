import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { isWorkerMessage, type PrimaryMessage } from './cluster-messages.js';
import { type CommitRelay, createCommitRelay } from './commit-relay.js';

/** How long a write waits for the other workers' acks before it answers anyway (they learn by NOTIFY too). */
const ackTimeoutMs = 2_000;
/** A worker that stopping did not end within this is killed. */
const stopTimeoutMs = 30_000;
/** A replacement waits this long after a crash, doubled per crash in a row (a crash loop must not spin)… */
const firstRestartDelayMs = 500;
/** … up to this. */
const maxRestartDelayMs = 30_000;
/** A worker that served this long before it died counts as a fresh start: the delay starts over. */
const healthyAfterMs = 60_000;

export interface ClusterPrimaryOptions {
  /** How many workers to keep running. */
  readonly workers: number;
  readonly logger: Logger;
  /** Called once, when every worker of the first start listens, with the URL they share. */
  readonly onListening: (url: string) => void;
}

export interface ClusterPrimary {
  /** Resolves when every worker of the first start listens; rejects if one exits before (its error is above). */
  readonly started: Promise<void>;
  /** Asks every worker to stop gracefully, waits for them (killing a straggler), then resolves. */
  stop(): Promise<void>;
}

/** One place in the pool: its role stays when its worker is replaced. */
interface Slot {
  readonly index: number;
  /** The one slot that runs the scheduler, the reminders and the outbox dispatcher. */
  readonly background: boolean;
  worker?: Worker;
  startedAt: number;
  listening: boolean;
  crashesInARow: number;
}

/**
 * The cluster's primary: forks `workers` processes of the same command (each one `startServer` with its own
 * access index), relays each worker's commits to the others before the write answers (commit-relay.ts), gives
 * the background jobs to one slot, replaces a worker that dies (with a growing delay), and stops them all.
 */
export function startClusterPrimary(options: ClusterPrimaryOptions): ClusterPrimary {
  const { logger } = options;
  const relay: CommitRelay = createCommitRelay({
    timeoutMs: ackTimeoutMs,
    onLate: (ids) =>
      logger.warn(
        { workers: ids },
        `worker(s) ${ids.join(', ')} did not confirm a commit within ${ackTimeoutMs} ms; the write answered anyway (they learn of it by LISTEN/NOTIFY)`,
      ),
  });
  const slots: Slot[] = Array.from({ length: options.workers }, (_, index) => ({
    index,
    background: index === 0,
    startedAt: 0,
    listening: false,
    crashesInARow: 0,
  }));
  let announced = false;
  let stopping = false;
  let startFailed: (error: Error) => void = () => {};
  let startDone: () => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    startDone = resolve;
    startFailed = reject;
  });
  const exits = new Set<Promise<void>>();
  const restarts = new Set<ReturnType<typeof setTimeout>>();

  function send(worker: Worker, message: PrimaryMessage) {
    if (worker.isConnected()) worker.send(message);
  }

  function fork(slot: Slot) {
    const worker = cluster.fork();
    slot.worker = worker;
    slot.startedAt = performance.now();
    slot.listening = false;
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      switch (message.elevate) {
        case 'hello':
          relay.join({ id: worker.id, send: (m) => send(worker, m) });
          return send(worker, { elevate: 'welcome', background: slot.background });
        case 'ready':
          return relay.ready(worker.id);
        case 'committed':
          return relay.committed(worker.id, message.seq);
        case 'ack':
          return relay.ack(worker.id, message.round);
        case 'listening':
          return onListening(slot, message.url);
      }
    });
    // A worker's IPC may fail while it dies; its exit says what happened.
    worker.on('error', (error) => logger.debug({ err: error, worker: worker.id }, 'worker channel error'));
    const exited = new Promise<void>((resolve) => {
      worker.once('exit', (code, signal) => {
        relay.leave(worker.id);
        if (slot.worker === worker) slot.worker = undefined;
        onExit(slot, worker, code, signal);
        resolve();
      });
    });
    exits.add(exited);
    void exited.then(() => exits.delete(exited));
  }

  function onListening(slot: Slot, url: string) {
    slot.listening = true;
    if (announced) {
      logger.info(
        { worker: slot.worker?.id },
        `worker ${slot.worker?.id} serves in place of the one that exited`,
      );
      return;
    }
    if (!slots.every((s) => s.listening)) return;
    announced = true;
    options.onListening(url);
    startDone();
  }

  function onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null) {
    if (stopping) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!announced) {
      startFailed(new Error(`worker ${worker.id} exited during start-up (${how})`));
      void stop();
      return;
    }
    const ranMs = performance.now() - slot.startedAt;
    slot.crashesInARow = ranMs >= healthyAfterMs ? 1 : slot.crashesInARow + 1;
    const delayMs = Math.min(maxRestartDelayMs, firstRestartDelayMs * 2 ** (slot.crashesInARow - 1));
    logger.error(
      { worker: worker.id, workerPid: worker.process.pid, code, signal, restartInMs: delayMs },
      `worker ${worker.id} exited (${how}); a replacement${slot.background ? ' (with the background jobs)' : ''} starts in ${delayMs} ms`,
    );
    // Not unref'd: with every worker dead at once, this timer is what keeps the primary running.
    const restart = setTimeout(() => {
      restarts.delete(restart);
      fork(slot);
    }, delayMs);
    restarts.add(restart);
  }

  let stopped: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      for (const restart of restarts) clearTimeout(restart);
      const workers = slots.flatMap((s) => (s.worker ? [s.worker] : []));
      for (const worker of workers) {
        if (worker.isConnected()) send(worker, { elevate: 'stop' });
        else worker.process.kill('SIGTERM');
      }
      const killer = setTimeout(() => {
        for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
      }, stopTimeoutMs);
      await Promise.all([...exits]);
      clearTimeout(killer);
    })();
    return stopped;
  }

  for (const slot of slots) fork(slot);
  return { started, stop };
}
