import { ApiError } from './api-error.js';
import {
  type OutboxDeliveryResponse,
  type OutboxEventResponse,
  type OutboxStatsResponse,
  outboxDeliveryListSchema,
  outboxDeliverySchema,
  outboxEventSchema,
  outboxStatsSchema,
  type WebhookBody,
  type WebhookPatchBody,
  type WebhookResponse,
  type WebhookWithSecretResponse,
  webhookListSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from './outbox-schemas.js';
import type { RequestTransport } from './request-calls.js';

const id = (value: string) => encodeURIComponent(value);

function parsed<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(200, 'invalid_response', `The ${what} answer is not in the expected shape.`);
  }
  return result.data;
}

/** The outbox (`/api/v1/outbox`) and webhook subscriptions (`/api/v1/webhooks`). */
export function outboxCalls(t: Pick<RequestTransport, 'call'>) {
  return {
    /** Deliveries per channel and status. */
    outboxStats: async (): Promise<OutboxStatsResponse> =>
      parsed(outboxStatsSchema, await t.call<unknown>('GET', '/api/v1/outbox'), 'outbox'),

    /** Deliveries, newest first (status `dead`: the dead letters). */
    outboxDeliveries: async (
      query: { status?: 'pending' | 'delivered' | 'dead'; channel?: string; top?: number } = {},
    ): Promise<OutboxDeliveryResponse[]> =>
      parsed(
        outboxDeliveryListSchema,
        await t.call<unknown>('GET', '/api/v1/outbox/deliveries', { query }),
        'outbox deliveries',
      ).value,

    /** One event with its deliveries and their receipts. */
    outboxEvent: async (eventId: string): Promise<OutboxEventResponse> =>
      parsed(
        outboxEventSchema,
        await t.call<unknown>('GET', `/api/v1/outbox/events/${id(eventId)}`),
        'outbox event',
      ),

    /** Puts a dead delivery back in line. */
    resendDelivery: async (deliveryId: string): Promise<OutboxDeliveryResponse> =>
      parsed(
        outboxDeliverySchema,
        await t.call<unknown>('POST', `/api/v1/outbox/deliveries/${id(deliveryId)}/resend`),
        'resend',
      ),

    listWebhooks: async (): Promise<WebhookResponse[]> =>
      parsed(webhookListSchema, await t.call<unknown>('GET', '/api/v1/webhooks'), 'webhook list').value,

    createWebhook: async (body: WebhookBody): Promise<WebhookWithSecretResponse> =>
      parsed(webhookWithSecretSchema, await t.call<unknown>('POST', '/api/v1/webhooks', { body }), 'webhook'),

    updateWebhook: async (webhookId: string, body: WebhookPatchBody): Promise<WebhookResponse> =>
      parsed(
        webhookSchema,
        await t.call<unknown>('PATCH', `/api/v1/webhooks/${id(webhookId)}`, { body }),
        'webhook',
      ),

    deleteWebhook: async (webhookId: string): Promise<void> => {
      await t.call<unknown>('DELETE', `/api/v1/webhooks/${id(webhookId)}`);
    },

    rotateWebhookSecret: async (
      webhookId: string,
      graceSeconds?: number,
    ): Promise<WebhookWithSecretResponse> =>
      parsed(
        webhookWithSecretSchema,
        await t.call<unknown>('POST', `/api/v1/webhooks/${id(webhookId)}/rotate-secret`, {
          body: graceSeconds === undefined ? {} : { graceSeconds },
        }),
        'webhook rotation',
      ),
  };
}
