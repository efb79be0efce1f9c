import { toCloudEvent } from '../../core/events/cloud-event.js';
import { webhooksFor } from '../../db/repositories/webhook-repository.js';
import type { DeliveryPlanner } from '../outbox/delivery-ports.js';

const webhookChannel = 'webhook';

/** What a webhook delivery carries: the CloudEvent, serialised once so every retry sends the same bytes. */
interface WebhookPayload {
  readonly body: string;
}

/**
 * One delivery per enabled subscription that asked for the event's type. Ordered per subscription, so one
 * endpoint receives its events in the order they happened.
 */
export const webhookPlanner: DeliveryPlanner = {
  channel: webhookChannel,
  async plan(trx, event) {
    const subscriptions = await webhooksFor(trx, event.type);
    if (subscriptions.length === 0) return [];
    const body = JSON.stringify(toCloudEvent(event));
    return subscriptions.map((s) => ({
      receiverId: s.id,
      orderingKey: s.id,
      payload: { body } satisfies WebhookPayload,
    }));
  },
};
