import type { Transaction } from 'kysely';
import type { PimEvent } from '../../core/events/pim-event.js';
import { pimEventToJson } from '../../core/events/pim-event-json.js';
import {
  insertDeliveries,
  insertOutboxEvent,
  type NewDeliveryRow,
  notifyOutbox,
} from '../../db/repositories/outbox-repository.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../context.js';
import type { DeliveryPlanner } from './delivery-ports.js';

/** How use cases tell the world what changed: in their own transaction, so it commits (or not) with the change. */
export interface EventPublisher {
  /**
   * Stores each event and the deliveries every registered planner makes of it, in `trx`. A planner that throws
   * rolls the whole change back. At commit, listening dispatchers are woken (pg_notify).
   */
  publish(trx: Transaction<DB>, events: readonly PimEvent[]): Promise<void>;
}

/** Builds the publisher over the planners of every channel (listed in compose.ts). */
export function createEventPublisher(
  deps: Pick<AppDeps, 'clock' | 'ids'> & { planners: readonly DeliveryPlanner[] },
): EventPublisher {
  const { clock, ids, planners } = deps;
  return {
    async publish(trx, events) {
      if (events.length === 0) return;
      const now = clock.now();
      for (const event of events) {
        await insertOutboxEvent(trx, {
          id: event.id,
          type: event.type,
          subject: event.subject,
          time: event.time,
          event: pimEventToJson(event),
          createdAt: now,
        });
        const rows: NewDeliveryRow[] = [];
        for (const planner of planners) {
          for (const draft of await planner.plan(trx, event)) {
            rows.push({
              id: ids.newId(),
              eventId: event.id,
              eventType: event.type,
              channel: planner.channel,
              receiverId: draft.receiverId,
              orderingKey: draft.orderingKey,
              payload: draft.payload,
              at: now,
            });
          }
        }
        await insertDeliveries(trx, rows);
      }
      await notifyOutbox(trx);
    },
  };
}
