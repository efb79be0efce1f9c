import type { AuditRecord } from '../../core/audit/audit-record.js';
import {
  canManageRoleAssignments,
  canReadAllPim,
  requirePermission,
} from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import { nextRetry, type RetryPolicy } from '../../core/outbox/retry-schedule.js';
import {
  attemptsOf,
  claimDueDeliveries,
  countDeliveries,
  type DeliveryOutcome,
  type DeliveryRow,
  getDelivery,
  getOutboxEvent,
  listDeliveries,
  recordDeliveryOutcome,
  requeueDeadDelivery,
} from '../../db/repositories/outbox-repository.js';
import type { OutboxDeliveryStatus } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { auditInitiator } from '../shared/audit-initiator.js';
import type { Delivery } from './delivery-ports.js';

export type { DeliveryOutcome };

/** A delivery the dispatcher holds under a lease; `token` proves the claim when the outcome is recorded. */
export interface ClaimedDelivery extends Delivery {
  readonly token: string;
}

export interface DeliveryView {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly channel: string;
  readonly receiverId: string;
  readonly orderingKey: string;
  readonly status: OutboxDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastResponse: string | null;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly deadAt: Date | null;
  readonly createdAt: Date;
}

export interface AttemptView {
  readonly attempt: number;
  readonly at: Date;
  readonly outcome: 'delivered' | 'failed' | 'dead';
  readonly response: string;
}

export interface OutboxStats {
  readonly channels: readonly {
    readonly channel: string;
    readonly pending: number;
    readonly delivered: number;
    readonly dead: number;
  }[];
  readonly totals: { readonly pending: number; readonly delivered: number; readonly dead: number };
}

const uuid = /^[0-9a-f-]{36}$/i;

const toView = (r: DeliveryRow): DeliveryView => ({
  id: r.id,
  eventId: r.event_id,
  eventType: r.event_type,
  channel: r.channel,
  receiverId: r.receiver_id,
  orderingKey: r.ordering_key,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
  lastResponse: r.last_response,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
  deadAt: r.dead_at,
  createdAt: r.created_at,
});

/** The outbox after publication: the dispatcher's claims and outcomes, and what administrators see and resend. */
export function createOutboxService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & {
    audit: AuditWriter;
    retry: RetryPolicy;
    /** A number in [0, 1) for back-off jitter; compose.ts passes Math.random, tests may pass a constant. */
    random: () => number;
  },
) {
  const { db, clock, ids, audit, retry, random } = deps;

  async function resendAudit(ctx: CallContext, d: DeliveryRow): Promise<AuditRecord> {
    return {
      id: ids.newId(),
      activityDateTime: clock.now(),
      category: 'DirectoryManagement',
      activityDisplayName: 'Resend dead outbox delivery',
      operationType: 'Update',
      result: 'success',
      resultReason: null,
      loggedByService: 'PIM',
      correlationId: ctx.requestId,
      initiatedBy: auditInitiator(ctx.actor),
      targetResources: [
        {
          id: d.id,
          displayName: `${d.channel} delivery of ${d.event_type}`,
          type: 'Other',
          modifiedProperties: [{ displayName: 'status', oldValue: '"dead"', newValue: '"pending"' }],
        },
      ],
      additionalDetails: [
        { key: 'eventId', value: d.event_id },
        { key: 'receiverId', value: d.receiver_id },
      ],
    };
  }

  return {
    /**
     * Claims due deliveries on `channels` for `leaseMs` in one short transaction (several instances never hold
     * the same one; a lease that runs out lets another claimer take it again). The attempt counts from here.
     */
    async claim(q: {
      channels: readonly string[];
      limit: number;
      leaseMs: number;
    }): Promise<ClaimedDelivery[]> {
      const now = clock.now();
      const token = ids.newId();
      const rows = await db.transaction().execute((trx) =>
        claimDueDeliveries(trx, {
          now,
          leaseUntil: new Date(now.getTime() + q.leaseMs),
          token,
          limit: q.limit,
          channels: q.channels,
        }),
      );
      return rows.map((r) => ({
        id: r.id,
        eventId: r.event_id,
        eventType: r.event_type,
        channel: r.channel,
        receiverId: r.receiver_id,
        orderingKey: r.ordering_key,
        payload: r.payload,
        attempt: r.attempts,
        token,
      }));
    },

    /**
     * Records an attempt: delivered, or failed — retried after back-off, or dead when not retryable or past the
     * retry limit. Returns the outcome recorded (undefined when the lease had run out and another claimer won).
     */
    async complete(
      d: ClaimedDelivery,
      result: { ok: true; response: string } | { ok: false; error: string; retryable: boolean },
    ): Promise<DeliveryOutcome | undefined> {
      const now = clock.now();
      let outcome: DeliveryOutcome;
      if (result.ok) outcome = { kind: 'delivered', response: result.response };
      else {
        const step = nextRetry(retry, d.attempt, now, random(), result.retryable);
        outcome =
          step.kind === 'dead'
            ? { kind: 'dead', error: result.error }
            : { kind: 'retry', error: result.error, at: step.at };
      }
      const recorded = await db.transaction().execute((trx) =>
        recordDeliveryOutcome(trx, {
          id: d.id,
          token: d.token,
          attempt: d.attempt,
          attemptId: ids.newId(),
          now,
          outcome,
        }),
      );
      return recorded ? outcome : undefined;
    },

    /** Counts per channel and status. */
    async stats(ctx: CallContext): Promise<OutboxStats> {
      requirePermission(canReadAllPim(ctx.actor), 'read the outbox', 'a PIM reader or administrator role');
      const rows = await countDeliveries(db);
      const byChannel = new Map<
        string,
        { channel: string; pending: number; delivered: number; dead: number }
      >();
      const totals = { pending: 0, delivered: 0, dead: 0 };
      for (const r of rows) {
        const c = byChannel.get(r.channel) ?? { channel: r.channel, pending: 0, delivered: 0, dead: 0 };
        c[r.status] += r.count;
        totals[r.status] += r.count;
        byChannel.set(r.channel, c);
      }
      return { channels: [...byChannel.values()], totals };
    },

    /** Deliveries by status and channel, newest first. */
    async list(
      ctx: CallContext,
      q: { status?: OutboxDeliveryStatus; channel?: string; limit?: number },
    ): Promise<DeliveryView[]> {
      requirePermission(canReadAllPim(ctx.actor), 'read the outbox', 'a PIM reader or administrator role');
      return (await listDeliveries(db, { ...q, limit: Math.min(q.limit ?? 100, 1000) })).map(toView);
    },

    /** One event as published, with every delivery made of it and each delivery's attempts (the receipts). */
    async event(ctx: CallContext, eventId: string) {
      requirePermission(canReadAllPim(ctx.actor), 'read the outbox', 'a PIM reader or administrator role');
      const event = uuid.test(eventId) ? await getOutboxEvent(db, eventId.toLowerCase()) : undefined;
      if (!event) throw notFound('Event', eventId);
      const deliveries = await listDeliveries(db, { eventId: event.id, limit: 5000 });
      const attempts = await attemptsOf(
        db,
        deliveries.map((d) => d.id),
      );
      return {
        id: event.id,
        type: event.type,
        subject: event.subject,
        time: event.time,
        event: event.event,
        deliveries: deliveries.map((d) => ({
          ...toView(d),
          receipts: attempts
            .filter((a) => a.delivery_id === d.id)
            .map(
              (a): AttemptView => ({
                attempt: a.attempt,
                at: a.at,
                outcome: a.outcome,
                response: a.response,
              }),
            ),
        })),
      };
    },

    /** Puts a dead delivery back in line (audited); anything else is refused. */
    async resend(ctx: CallContext, deliveryId: string): Promise<DeliveryView> {
      requirePermission(
        canManageRoleAssignments(ctx.actor),
        'resend outbox deliveries',
        'Privileged Role Administrator or Global Administrator',
      );
      const id = uuid.test(deliveryId) ? deliveryId.toLowerCase() : undefined;
      return db.transaction().execute(async (trx) => {
        const d = id ? await getDelivery(trx, id) : undefined;
        if (!d) throw notFound('Delivery', deliveryId);
        if (!(await requeueDeadDelivery(trx, d.id, clock.now())))
          throw new ElevateError(
            'resource.conflict',
            `Delivery ${d.id} is ${d.status}, not dead: only dead deliveries are resent.`,
          );
        await audit.append(trx, [await resendAudit(ctx, d)]);
        const after = await getDelivery(trx, d.id);
        return toView(after ?? d);
      });
    },
  };
}

export type OutboxService = ReturnType<typeof createOutboxService>;
