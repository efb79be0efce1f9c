import type { PrimaryMessage } from './cluster-messages.js';

/** A worker as the relay sees it: its cluster id and how to reach it. */
export interface RelayMember {
  readonly id: number;
  send(message: PrimaryMessage): void;
}

interface Member extends RelayMember {
  /** Ready: its acks are waited for. Before, it is told but not waited for (it does not serve yet). */
  counted: boolean;
}

export interface CommitRelayOptions {
  /** How long a round waits for acks before it answers anyway (a hung worker must not block writes). */
  readonly timeoutMs: number;
  /** Called with the workers that did not ack in time; they still learn by LISTEN/NOTIFY. */
  readonly onLate: (workerIds: readonly number[]) => void;
}

interface Round {
  readonly id: number;
  /** The announcements it answers: who committed, and their `seq`. */
  readonly requests: readonly { readonly from: number; readonly seq: number }[];
  /** Workers told, not yet acknowledged. */
  readonly pending: Set<number>;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The primary's half of read-your-writes across workers. A worker that committed announces it (`committed`);
 * announcements that arrive in the same turn of the event loop share one round: every other live worker is
 * told (`changed`) and acknowledges (`ack`), and only then is each announcer answered (`known`) — its write
 * returns after that. A worker that leaves (dies) is no longer waited for; one that does not answer within
 * `timeoutMs` is given up on (logged). A worker joins when it says hello, before its index loads: it is told
 * of every later commit (its first load reads every earlier one) but not waited for — its index may be busy
 * loading — until it is ready, just before it serves: the `counted` answer to its `ready` reaches it after
 * every `changed` sent before, and every round after waits for it.
 */
export function createCommitRelay(options: CommitRelayOptions) {
  const members = new Map<number, Member>();
  const rounds = new Map<number, Round>();
  let queued: { from: number; seq: number }[] = [];
  let lastRound = 0;

  function finish(round: Round) {
    if (!rounds.delete(round.id)) return;
    clearTimeout(round.timer);
    for (const r of round.requests) members.get(r.from)?.send({ elevate: 'known', seq: r.seq });
  }

  function start() {
    const requests = queued;
    queued = [];
    const round: Round = { id: ++lastRound, requests, pending: new Set() };
    const announcers = new Set(requests.map((r) => r.from));
    rounds.set(round.id, round);
    for (const member of members.values()) {
      // An announcer's own index already knows its commits; it needs telling only of the others'.
      if (announcers.size === 1 && announcers.has(member.id)) continue;
      if (member.counted) round.pending.add(member.id);
      member.send({ elevate: 'changed', round: round.id });
    }
    if (round.pending.size === 0) return finish(round);
    round.timer = setTimeout(() => {
      options.onLate([...round.pending]);
      finish(round);
    }, options.timeoutMs);
    round.timer.unref?.();
  }

  return {
    /** A worker said hello: tell it of every commit from now on. */
    join(member: RelayMember): void {
      members.set(member.id, { id: member.id, send: member.send, counted: false });
    },
    /** A worker is about to serve: answer `counted`, and wait for its acks from now on. */
    ready(id: number): void {
      const member = members.get(id);
      if (!member) return;
      member.counted = true;
      member.send({ elevate: 'counted' });
    },
    /** A worker exited (or stopped answering for good): rounds stop waiting for it. */
    leave(id: number): void {
      members.delete(id);
      queued = queued.filter((r) => r.from !== id);
      for (const round of [...rounds.values()]) {
        if (round.pending.delete(id) && round.pending.size === 0) finish(round);
      }
    },
    /** Worker `from` committed what it calls `seq`. */
    committed(from: number, seq: number): void {
      if (!members.has(from)) return;
      if (queued.length === 0) setImmediate(start);
      queued.push({ from, seq });
    },
    /** Worker `from` took round `round` into account. */
    ack(from: number, round: number): void {
      const r = rounds.get(round);
      if (r?.pending.delete(from) && r.pending.size === 0) finish(r);
    },
    /** Rounds waiting for acks (for tests and the log). */
    open: (): number => rounds.size,
  };
}

export type CommitRelay = ReturnType<typeof createCommitRelay>;
