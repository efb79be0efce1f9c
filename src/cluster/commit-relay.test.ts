import { describe, expect, it } from 'vitest';
import type { PrimaryMessage } from './cluster-messages.js';
import { createCommitRelay } from './commit-relay.js';

/** Three ready workers whose inboxes the test reads; `relay` with a long timeout unless given one. */
function givenThreeWorkers(timeoutMs = 60_000) {
  const late: number[][] = [];
  const relay = createCommitRelay({ timeoutMs, onLate: (ids) => late.push([...ids]) });
  const inbox = new Map<number, PrimaryMessage[]>();
  for (const id of [1, 2, 3]) {
    inbox.set(id, []);
    relay.join({ id, send: (m) => inbox.get(id)?.push(m) });
    relay.ready(id);
  }
  const of = (id: number) => (inbox.get(id) ?? []).filter((m) => m.elevate !== 'counted');
  const rounds = (id: number) => of(id).flatMap((m) => (m.elevate === 'changed' ? [m.round] : []));
  return { relay, of, rounds, late };
}

/** Lets queued `setImmediate` work (the relay starts a round on the next turn) and timers run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !done(); i++) await nextTurn();
  if (!done()) throw new Error('gave up waiting');
}

describe('the commit relay (the primary’s half of read-your-writes across workers)', () => {
  it('tells every other worker, and answers the writer only once all of them acknowledged', async () => {
    const { relay, of, rounds } = givenThreeWorkers();
    relay.committed(1, 7);
    await nextTurn();
    expect(rounds(1)).toEqual([]);
    const [round] = rounds(2);
    expect(rounds(3)).toEqual([round]);

    relay.ack(2, round ?? 0);
    expect(of(1)).toEqual([]);
    relay.ack(3, round ?? 0);
    expect(of(1)).toEqual([{ elevate: 'known', seq: 7 }]);
    expect(relay.open()).toBe(0);
  });

  it('given a worker dies before it acknowledged, then the writer is answered without it', async () => {
    const { relay, of, rounds } = givenThreeWorkers();
    relay.committed(1, 1);
    await nextTurn();
    relay.ack(2, rounds(2)[0] ?? 0);
    expect(of(1)).toEqual([]);
    relay.leave(3);
    expect(of(1)).toEqual([{ elevate: 'known', seq: 1 }]);
  });

  it('given the writer dies before the round ends, then the round still ends and answers nobody', async () => {
    const { relay, of, rounds } = givenThreeWorkers();
    relay.committed(1, 1);
    await nextTurn();
    relay.leave(1);
    relay.ack(2, rounds(2)[0] ?? 0);
    relay.ack(3, rounds(3)[0] ?? 0);
    expect(relay.open()).toBe(0);
    expect(of(1)).toEqual([]);
  });

  it('shares one round among the commits announced in the same turn, telling each writer of the other’s', async () => {
    const { relay, of, rounds } = givenThreeWorkers();
    relay.committed(1, 4);
    relay.committed(2, 9);
    relay.committed(1, 5);
    await nextTurn();
    const [round] = rounds(3);
    expect(rounds(1)).toEqual([round]);
    expect(rounds(2)).toEqual([round]);
    for (const id of [1, 2, 3]) relay.ack(id, round ?? 0);
    expect(of(1).filter((m) => m.elevate === 'known')).toEqual([
      { elevate: 'known', seq: 4 },
      { elevate: 'known', seq: 5 },
    ]);
    expect(of(2).filter((m) => m.elevate === 'known')).toEqual([{ elevate: 'known', seq: 9 }]);
  });

  it('given a worker never answers, then the writer is answered at the timeout and the late worker is named', async () => {
    const { relay, of, rounds, late } = givenThreeWorkers(5);
    relay.committed(1, 1);
    await nextTurn();
    relay.ack(2, rounds(2)[0] ?? 0);
    await until(() => of(1).length > 0);
    expect(of(1)).toEqual([{ elevate: 'known', seq: 1 }]);
    expect(late).toEqual([[3]]);
    // Its ack arriving afterwards changes nothing.
    relay.ack(3, rounds(3)[0] ?? 0);
    expect(of(1)).toHaveLength(1);
  });

  it('tells a worker that is not ready yet (still loading) but does not wait for it; once ready, it waits', async () => {
    const relay = createCommitRelay({ timeoutMs: 60_000, onLate: () => {} });
    const writer: PrimaryMessage[] = [];
    const loading: PrimaryMessage[] = [];
    relay.join({ id: 1, send: (m) => writer.push(m) });
    relay.ready(1);
    relay.join({ id: 2, send: (m) => loading.push(m) });
    relay.committed(1, 1);
    await nextTurn();
    expect(loading).toEqual([{ elevate: 'changed', round: 1 }]);
    expect(writer).toContainEqual({ elevate: 'known', seq: 1 });

    relay.ready(2);
    expect(loading.at(-1)).toEqual({ elevate: 'counted' });
    relay.committed(1, 2);
    await nextTurn();
    expect(writer).not.toContainEqual({ elevate: 'known', seq: 2 });
    relay.ack(2, 2);
    expect(writer).toContainEqual({ elevate: 'known', seq: 2 });
  });

  it('answers at once when there is no other worker, and ignores a worker that has not said hello', async () => {
    const relay = createCommitRelay({ timeoutMs: 60_000, onLate: () => {} });
    const alone: PrimaryMessage[] = [];
    relay.join({ id: 1, send: (m) => alone.push(m) });
    relay.committed(1, 1);
    relay.committed(2, 1);
    await nextTurn();
    expect(alone).toEqual([{ elevate: 'known', seq: 1 }]);
  });
});
