// What the primary and its workers say to each other over node:cluster's IPC channel. Every message carries an
// `elevate` field so it cannot be mistaken for Node's own cluster traffic or another library's.

/** A worker to the primary. */
export type WorkerMessage =
  /** Listening for the primary's messages: from now on it is told of every commit (its index not loaded yet). */
  | { readonly elevate: 'hello' }
  /** Its index is loaded and marks what it is told: wait for its acks from now on (answer `counted`). */
  | { readonly elevate: 'ready' }
  /** This worker committed writes; answer `known` with the same `seq` once every other worker knows. */
  | { readonly elevate: 'committed'; readonly seq: number }
  /** This worker's index has taken `changed` of that round into account. */
  | { readonly elevate: 'ack'; readonly round: number }
  /** This worker serves HTTP at `url`. */
  | { readonly elevate: 'listening'; readonly url: string };

/** The primary to a worker. */
export type PrimaryMessage =
  /** The answer to `hello`: load, then serve; `background`: also run the scheduler, reminders and outbox. */
  | { readonly elevate: 'welcome'; readonly background: boolean }
  /** The answer to `ready`: every `changed` sent before it has arrived (the channel keeps order). */
  | { readonly elevate: 'counted' }
  /** Another worker committed: mark the index changed (`accessIndex.changed()`), then `ack` the round. */
  | { readonly elevate: 'changed'; readonly round: number }
  /** Every live worker knows of the commit this worker announced as `seq` (or was given up on). */
  | { readonly elevate: 'known'; readonly seq: number }
  /** Stop gracefully (as on SIGTERM) and exit. */
  | { readonly elevate: 'stop' };

const workerKinds = new Set(['hello', 'ready', 'committed', 'ack', 'listening']);
const primaryKinds = new Set(['welcome', 'counted', 'changed', 'known', 'stop']);

const kindOf = (message: unknown): unknown =>
  typeof message === 'object' && message !== null ? (message as { elevate?: unknown }).elevate : undefined;

export const isWorkerMessage = (message: unknown): message is WorkerMessage =>
  workerKinds.has(kindOf(message) as string);

export const isPrimaryMessage = (message: unknown): message is PrimaryMessage =>
  primaryKinds.has(kindOf(message) as string);
