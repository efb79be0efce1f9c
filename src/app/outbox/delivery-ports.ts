import type { Transaction } from 'kysely';
import type { PimEvent } from '../../core/events/pim-event.js';
import type { DB } from '../../db/schema.js';

/**
 * The contract between the outbox and its channels (email, webhook, SCIM). Planning happens inside the
 * transaction of the change (so what must be told commits with it); delivery happens after, at least once,
 * in order per (channel, orderingKey), retried with back-off until it succeeds or is marked dead.
 */

/** One message a planner wants delivered. Unique per (event, channel, receiverId): planning twice adds nothing. */
export interface DeliveryDraft {
  /** Who receives it on this channel: an e-mail address, a webhook subscription id, a SCIM application id. */
  readonly receiverId: string;
  /** Deliveries with the same channel and ordering key are delivered in the order they were planned. */
  readonly orderingKey: string;
  /** Everything the channel needs to deliver, as JSON (no secrets: channels look those up at delivery). */
  readonly payload: unknown;
}

/** Decides, in the change's transaction, which deliveries an event needs on one channel. */
export interface DeliveryPlanner {
  readonly channel: string;
  plan(trx: Transaction<DB>, event: PimEvent): Promise<readonly DeliveryDraft[]>;
}

/** One stored delivery, as the dispatcher hands it to its channel. */
export interface Delivery {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly channel: string;
  readonly receiverId: string;
  readonly orderingKey: string;
  readonly payload: unknown;
  /** 1 on the first try. */
  readonly attempt: number;
}

/** What the receiving end answered, kept with the delivery (shown by explain and the outbox API). */
export interface DeliveryReceipt {
  /** e.g. `250 2.0.0 OK`, `HTTP 204`, `SCIM 201 user created; 204 member added`. */
  readonly response: string;
}

/** Thrown by a channel when a delivery failed; `retryable: false` marks it dead at once (e.g. HTTP 400). */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean = true,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

/** Delivers one message; resolves with a receipt or throws (a DeliveryFailure or anything else = retryable). */
export interface DeliveryChannel {
  readonly name: string;
  deliver(delivery: Delivery): Promise<DeliveryReceipt>;
}
