import { type Selectable, sql } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { OutboxAttemptsTable, OutboxDeliveriesTable, OutboxDeliveryStatus } from '../schema.js';

export type DeliveryRow = Selectable<OutboxDeliveriesTable>;
export type AttemptRow = Selectable<OutboxAttemptsTable>;

/** The channel on which PostgreSQL (and PGlite) tell listeners, at commit, that deliveries were planned. */
export const outboxNotifyChannel = 'elevate_outbox';

export interface NewEventRow {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly time: Date;
  readonly event: unknown;
  readonly createdAt: Date;
}

export interface NewDeliveryRow {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly channel: string;
  readonly receiverId: string;
  readonly orderingKey: string;
  readonly payload: unknown;
  readonly at: Date;
}

/** Stores an event once (publishing it again adds nothing). */
export async function insertOutboxEvent(db: Executor, e: NewEventRow): Promise<void> {
  await db
    .insertInto('outbox_events')
    .values({
      id: e.id,
      type: e.type,
      subject: e.subject,
      time: e.time,
      event: JSON.stringify(e.event),
      created_at: e.createdAt,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Inserts deliveries in the given order (their `seq`); one per (event, channel, receiver), duplicates ignored. */
export async function insertDeliveries(db: Executor, rows: readonly NewDeliveryRow[]): Promise<void> {
  for (const d of rows) {
    await db
      .insertInto('outbox_deliveries')
      .values({
        id: d.id,
        event_id: d.eventId,
        event_type: d.eventType,
        channel: d.channel,
        receiver_id: d.receiverId,
        ordering_key: d.orderingKey,
        payload: JSON.stringify(d.payload ?? null),
        status: 'pending',
        attempts: 0,
        next_attempt_at: d.at,
        created_at: d.at,
        updated_at: d.at,
      })
      .onConflict((oc) => oc.columns(['event_id', 'channel', 'receiver_id']).doNothing())
      .execute();
  }
}

/** Wakes every listening dispatcher when the caller's transaction commits (nothing is sent if it rolls back). */
export async function notifyOutbox(db: Executor): Promise<void> {
  await sql`select pg_notify(${outboxNotifyChannel}, '')`.execute(db);
}

/**
 * Claims up to `limit` due deliveries on `channels` for `leaseUntil`: pending, due, not held under a live lease,
 * and first of their (channel, ordering key) among the pending ones, so a later delivery never overtakes an
 * earlier one. `FOR UPDATE SKIP LOCKED` lets concurrent claimers (other instances) pass each other's rows by.
 */
export async function claimDueDeliveries(
  db: Executor,
  q: { now: Date; leaseUntil: Date; token: string; limit: number; channels: readonly string[] },
): Promise<DeliveryRow[]> {
  if (q.channels.length === 0) return [];
  const { rows } = await sql<DeliveryRow>`
    update outbox_deliveries as d
       set claim_token = ${q.token}, claimed_until = ${q.leaseUntil}, attempts = d.attempts + 1, updated_at = ${q.now}
      from (
        select c.id from outbox_deliveries as c
         where c.status = 'pending'
           and c.next_attempt_at <= ${q.now}
           and (c.claimed_until is null or c.claimed_until <= ${q.now})
           and c.channel in (${sql.join(q.channels)})
           and not exists (
             select 1 from outbox_deliveries as e
              where e.channel = c.channel and e.ordering_key = c.ordering_key
                and e.status = 'pending' and e.seq < c.seq)
         order by c.seq
         limit ${q.limit}
         for update skip locked
      ) as picked
     where d.id = picked.id
    returning d.*`.execute(db);
  return [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
}

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly response: string }
  | { readonly kind: 'retry'; readonly error: string; readonly at: Date }
  | { readonly kind: 'dead'; readonly error: string };

/**
 * Records what came of a claimed attempt, if the claim (`token`) still holds: a claimer whose lease ran out and
 * whose delivery was claimed again changes nothing. Returns whether it was recorded.
 */
export async function recordDeliveryOutcome(
  db: Executor,
  r: { id: string; token: string; attempt: number; attemptId: string; now: Date; outcome: DeliveryOutcome },
): Promise<boolean> {
  const o = r.outcome;
  const released = { claim_token: null, claimed_until: null, updated_at: r.now };
  const update =
    o.kind === 'delivered'
      ? { ...released, status: 'delivered' as const, delivered_at: r.now, last_response: o.response }
      : o.kind === 'retry'
        ? { ...released, status: 'pending' as const, next_attempt_at: o.at, last_error: o.error }
        : { ...released, status: 'dead' as const, dead_at: r.now, last_error: o.error };
  const res = await db
    .updateTable('outbox_deliveries')
    .set(update)
    .where('id', '=', r.id)
    .where('claim_token', '=', r.token)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return false;
  await db
    .insertInto('outbox_attempts')
    .values({
      id: r.attemptId,
      delivery_id: r.id,
      attempt: r.attempt,
      at: r.now,
      outcome: o.kind === 'retry' ? 'failed' : o.kind,
      response: o.kind === 'delivered' ? o.response : o.error,
    })
    .execute();
  return true;
}

/** How many deliveries are in each status, per channel. */
export async function countDeliveries(
  db: Executor,
): Promise<{ channel: string; status: OutboxDeliveryStatus; count: number }[]> {
  const rows = await db
    .selectFrom('outbox_deliveries')
    .select(['channel', 'status', (eb) => eb.fn.countAll().as('count')])
    .groupBy(['channel', 'status'])
    .orderBy('channel')
    .orderBy('status')
    .execute();
  // count(*) is a number in PGlite and a string in pg.
  return rows.map((r) => ({ channel: r.channel, status: r.status, count: Number(r.count) }));
}

/** Deliveries in one status (newest first), optionally of one channel. */
export async function listDeliveries(
  db: Executor,
  q: { status?: OutboxDeliveryStatus; channel?: string; eventId?: string; limit: number },
): Promise<DeliveryRow[]> {
  let query = db.selectFrom('outbox_deliveries').selectAll();
  if (q.status) query = query.where('status', '=', q.status);
  if (q.channel) query = query.where('channel', '=', q.channel);
  if (q.eventId) query = query.where('event_id', '=', q.eventId);
  return query
    .orderBy('seq', q.eventId ? 'asc' : 'desc')
    .limit(q.limit)
    .execute();
}

export async function getDelivery(db: Executor, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('outbox_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function attemptsOf(db: Executor, deliveryIds: readonly string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('outbox_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('at')
    .orderBy('attempt')
    .execute();
}

/** Which of these event ids the outbox already holds (one query per thousand). */
export async function existingOutboxEventIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('outbox_events')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

export async function getOutboxEvent(
  db: Executor,
  id: string,
): Promise<{ id: string; type: string; subject: string; time: Date; event: unknown } | undefined> {
  return db
    .selectFrom('outbox_events')
    .select(['id', 'type', 'subject', 'time', 'event'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Puts a dead delivery back in line, due at `now`, with a fresh retry budget. Returns whether it was dead. */
export async function requeueDeadDelivery(db: Executor, id: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('outbox_deliveries')
    .set({
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      dead_at: null,
      claim_token: null,
      claimed_until: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
