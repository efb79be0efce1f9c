import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuditWriter } from '../../src/app/audit/audit-writer.js';
import {
  type Delivery,
  type DeliveryChannel,
  DeliveryFailure,
  type DeliveryPlanner,
} from '../../src/app/outbox/delivery-ports.js';
import { createEventPublisher } from '../../src/app/outbox/event-publisher.js';
import { createOutboxService, type OutboxService } from '../../src/app/outbox/outbox-service.js';
import { uuidV7Ids } from '../../src/compose.js';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import type { PimEvent } from '../../src/core/events/pim-event.js';
import { listenForOutboxCommits } from '../../src/db/outbox-listener.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { TestClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/db.js';

const party = {
  id: uuidv7(),
  type: 'user' as const,
  displayName: 'Steve',
  userPrincipalName: 'steve@x',
  mail: null,
};

function anEvent(subject = uuidv7()): PimEvent {
  return {
    id: uuidv7(),
    type: 'elevate.activation.granted',
    time: new Date('2026-01-05T09:00:00Z'),
    tenantId: uuidv7(),
    subject,
    actor: party,
    data: {
      principal: party,
      target: {
        targetKind: 'directoryRole',
        roleDefinitionId: directoryRoleIds.globalAdministrator,
        scopeId: '/',
        displayName: 'Global Administrator',
        scopeDisplayName: 'Directory',
      },
      kind: 'assignment',
      requestId: null,
      scheduleId: subject,
      approvalId: null,
      justification: null,
      ticket: null,
      start: new Date('2026-01-05T09:00:00Z'),
      end: null,
    },
  };
}

/** A receiver on the "test" channel: receivers `r1`, `r2` per event, ordered by the event's subject. */
const planner: DeliveryPlanner = {
  channel: 'test',
  plan: async (_trx, event) =>
    ['r1', 'r2'].map((r) => ({
      receiverId: r,
      orderingKey: `${r}:${event.subject}`,
      payload: { n: event.id },
    })),
};

/** What the receiving end saw, and whether it is up; `failFor` makes one receiver refuse. */
class Receiver implements DeliveryChannel {
  readonly name = 'test';
  received: Delivery[] = [];
  up = true;
  permanentFailure = false;
  async deliver(d: Delivery) {
    if (!this.up) throw new DeliveryFailure('503 Service Unavailable', !this.permanentFailure);
    this.received.push(d);
    return { response: `OK ${d.receiverId}` };
  }
}

const admin = {
  actor: {
    id: uuidv7(),
    type: 'user' as const,
    displayName: 'Admin',
    roleIds: new Set([directoryRoleIds.globalAdministrator]),
    mfa: true,
  },
  requestId: uuidv7(),
};

describeEachDatabase('the outbox: publication and dispatch', (ctx) => {
  let clock: TestClock;
  let outbox: OutboxService;
  let receiver: Receiver;
  let dispatcher: OutboxDispatcher;
  const retry = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

  const publish = (events: PimEvent[], extraPlanners: DeliveryPlanner[] = []) =>
    ctx.db.db
      .transaction()
      .execute((trx) =>
        createEventPublisher({ clock, ids: uuidV7Ids, planners: [planner, ...extraPlanners] }).publish(
          trx,
          events,
        ),
      );

  const statuses = async () =>
    (
      await ctx.db.db
        .selectFrom('outbox_deliveries')
        .select(['receiver_id', 'status', 'attempts'])
        .orderBy('seq')
        .execute()
    ).map((r) => `${r.receiver_id}:${r.status}:${r.attempts}`);

  beforeEach(() => {
    clock = new TestClock('2026-01-05T09:00:00Z');
    outbox = createOutboxService({
      db: ctx.db.db,
      clock,
      ids: uuidV7Ids,
      audit: createAuditWriter(),
      retry,
      random: () => 0.5,
    });
    receiver = new Receiver();
    dispatcher = createOutboxDispatcher({
      outbox,
      channels: [receiver],
      pollIntervalMs: 60_000,
      onError: (e) => {
        throw e;
      },
    });
  });

  it('given an event published in a transaction, then each planned receiver gets it once', async () => {
    const event = anEvent();
    await publish([event]);
    await publish([event]); // planning twice adds nothing
    expect(await dispatcher.drain()).toBe(2);
    expect(await dispatcher.drain()).toBe(0);
    expect(receiver.received.map((d) => [d.receiverId, d.eventId, d.attempt])).toEqual([
      ['r1', event.id, 1],
      ['r2', event.id, 1],
    ]);
    const seen = await outbox.event(admin, event.id);
    expect(seen.deliveries.map((d) => [d.receiverId, d.status, d.receipts.map((r) => r.response)])).toEqual([
      ['r1', 'delivered', ['OK r1']],
      ['r2', 'delivered', ['OK r2']],
    ]);
  });

  it('given the change rolls back, or a planner fails, then nothing is delivered', async () => {
    await ctx.db.db
      .transaction()
      .execute(async (trx) => {
        await createEventPublisher({ clock, ids: uuidV7Ids, planners: [planner] }).publish(trx, [anEvent()]);
        throw new Error('the change failed');
      })
      .catch(() => {});
    const broken: DeliveryPlanner = {
      channel: 'broken',
      plan: async () => {
        throw new Error('no recipients');
      },
    };
    await expect(publish([anEvent()], [broken])).rejects.toThrow('no recipients');
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from outbox_events`.execute(
      ctx.db.db,
    );
    expect(rows[0]?.n).toBe(0);
    expect(await dispatcher.drain()).toBe(0);
  });

  it('given the receiver is down, then it retries with back-off until it returns', async () => {
    receiver.up = false;
    await publish([anEvent()]);
    expect(await dispatcher.drain()).toBe(2);
    expect(await statuses()).toEqual(['r1:pending:1', 'r2:pending:1']);
    // Back-off after the first failure: 1 s · (½ + ½ · 0.5) = 750 ms.
    clock.advance(749);
    expect(await dispatcher.drain()).toBe(0);
    clock.advance(1);
    expect(await dispatcher.drain()).toBe(2);
    // Second failure: 2 s · 0.75 = 1.5 s.
    receiver.up = true;
    clock.advance(1499);
    expect(await dispatcher.drain()).toBe(0);
    clock.advance(1);
    expect(await dispatcher.drain()).toBe(2);
    expect(await statuses()).toEqual(['r1:delivered:3', 'r2:delivered:3']);
    expect(receiver.received.map((d) => d.attempt)).toEqual([3, 3]);
  });

  it('given failures past the limit, then the delivery is dead, counted, listed, and resent by an admin', async () => {
    receiver.up = false;
    const event = anEvent();
    await publish([event]);
    for (let i = 0; i < retry.maxAttempts; i++) {
      await dispatcher.drain();
      clock.advanceMinutes(5);
    }
    expect(await statuses()).toEqual(['r1:dead:4', 'r2:dead:4']);
    expect((await outbox.stats(admin)).totals).toEqual({ pending: 0, delivered: 0, dead: 2 });
    const dead = await outbox.list(admin, { status: 'dead' });
    expect(dead.map((d) => d.lastError)).toEqual(['503 Service Unavailable', '503 Service Unavailable']);

    receiver.up = true;
    const r1 = dead.find((d) => d.receiverId === 'r1')!;
    const resent = await outbox.resend(admin, r1.id);
    expect(resent.status).toBe('pending');
    await expect(outbox.resend(admin, r1.id)).rejects.toThrow(/not dead/);
    expect(await dispatcher.drain()).toBe(1);
    expect(await statuses()).toEqual(['r1:delivered:1', 'r2:dead:4']);
    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select('activity_display_name')
      .where('activity_display_name', '=', 'Resend dead outbox delivery')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('given a non-retryable failure, then the delivery is dead at once', async () => {
    receiver.up = false;
    receiver.permanentFailure = true;
    await publish([anEvent()]);
    await dispatcher.drain();
    expect(await statuses()).toEqual(['r1:dead:1', 'r2:dead:1']);
  });

  it('given several deliveries of one ordering key, then a later one waits for the earlier one', async () => {
    const subject = uuidv7();
    const first = anEvent(subject);
    const second = anEvent(subject);
    const other = anEvent();
    await publish([first, second, other]);
    receiver.up = false;
    await dispatcher.runOnce(); // the heads of each key fail: first (r1, r2) and other (r1, r2)
    receiver.up = true;
    clock.advance(10);
    expect(await dispatcher.drain()).toBe(0); // nothing due: the heads back off, `second` waits behind `first`
    clock.advanceMinutes(1);
    await dispatcher.drain();
    const order = receiver.received.filter((d) => d.receiverId === 'r1').map((d) => d.eventId);
    expect(order.indexOf(first.id)).toBeLessThan(order.indexOf(second.id));
    expect(order).toHaveLength(3);
  });

  it('given a claimer that died holding a lease, then its deliveries are claimed again after the lease', async () => {
    await publish([anEvent()]);
    const lost = await outbox.claim({ channels: ['test'], limit: 10, leaseMs: 30_000 });
    expect(lost).toHaveLength(2);
    expect(await dispatcher.drain()).toBe(0);
    clock.advance(30_000);
    expect(await dispatcher.drain()).toBe(2);
    // The first claimer comes back late: its outcome changes nothing.
    expect(await outbox.complete(lost[0]!, { ok: false, error: 'late', retryable: true })).toBeUndefined();
    expect(await statuses()).toEqual(['r1:delivered:2', 'r2:delivered:2']);
  });

  // PostgreSQL's LISTEN needs the server's URL, which test databases do not expose; the two-instance test
  // (restart.int.test.ts) runs it there.
  it.skipIf(ctx.kind !== 'pglite')(
    'is woken by the commit of a publishing transaction, not by polling',
    async () => {
      const woken = createOutboxDispatcher({
        outbox,
        channels: [receiver],
        pollIntervalMs: 3_600_000,
        onError: (e) => {
          throw e;
        },
      });
      const unlisten = await listenForOutboxCommits(ctx.db, undefined, () => woken.wake());
      try {
        await publish([anEvent()]);
        await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 10_000, interval: 10 });
      } finally {
        await unlisten();
        await woken.stop();
      }
    },
  );

  describe('with several dispatchers at once', () => {
    it('each delivery goes to exactly one of them', async () => {
      for (let i = 0; i < 20; i++) await publish([anEvent()]);
      const receivers = [new Receiver(), new Receiver(), new Receiver()];
      const dispatchers = receivers.map((r) =>
        createOutboxDispatcher({
          outbox,
          channels: [r],
          batchSize: 3,
          pollIntervalMs: 60_000,
          onError: (e) => {
            throw e;
          },
        }),
      );
      await Promise.all(dispatchers.map((d) => d.drain()));
      const all = receivers.flatMap((r) => r.received.map((d) => d.id));
      expect(all).toHaveLength(40);
      expect(new Set(all).size).toBe(40);
    });
  });
});
