import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DeliveryView } from '../../app/outbox/outbox-service.js';
import {
  type OutboxDeliveryResponse,
  outboxDeliveriesQuerySchema,
  outboxDeliveryListSchema,
  outboxDeliveryParamsSchema,
  outboxDeliverySchema,
  outboxEventParamsSchema,
  outboxEventSchema,
  outboxStatsSchema,
} from '../../contracts/outbox-schemas.js';
import { callContext } from '../graph/call-context.js';
import type { ApiRouteRegistrar } from './api-route-types.js';

const tags = ['outbox'];
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

const toDeliveryResponse = (d: DeliveryView): OutboxDeliveryResponse => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  channel: d.channel,
  receiverId: d.receiverId,
  orderingKey: d.orderingKey,
  status: d.status,
  attempts: d.attempts,
  nextAttemptDateTime: iso(d.nextAttemptAt),
  lastResponse: d.lastResponse,
  lastError: d.lastError,
  deliveredDateTime: iso(d.deliveredAt),
  deadDateTime: iso(d.deadAt),
  createdDateTime: d.createdAt.toISOString(),
});

/**
 * The outbox of notifications (e-mail, webhooks, SCIM): counts per channel and status, deliveries (dead letters
 * with `status=dead`), one event's deliveries with every attempt's receipt, and resend of a dead delivery.
 * PIM readers read; Privileged Role and Global Administrators resend (audited).
 */
export const registerOutboxRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/outbox',
    {
      schema: {
        summary: 'Outbox state: deliveries per channel and status (pending, delivered, dead)',
        tags,
        response: { 200: outboxStatsSchema },
      },
    },
    async (req) => {
      const stats = await services.outbox.stats(callContext(req));
      return { channels: [...stats.channels], totals: stats.totals };
    },
  );

  r.get(
    '/outbox/deliveries',
    {
      schema: {
        summary: 'Outbox deliveries, newest first; status=dead lists the dead letters',
        tags,
        querystring: outboxDeliveriesQuerySchema,
        response: { 200: outboxDeliveryListSchema },
      },
    },
    async (req) => ({
      value: (
        await services.outbox.list(callContext(req), {
          limit: req.query.top,
          ...(req.query.status ? { status: req.query.status } : {}),
          ...(req.query.channel ? { channel: req.query.channel } : {}),
        })
      ).map(toDeliveryResponse),
    }),
  );

  r.get(
    '/outbox/events/:eventId',
    {
      schema: {
        summary: "One published event with each of its deliveries and every attempt's receipt",
        tags,
        params: outboxEventParamsSchema,
        response: { 200: outboxEventSchema },
      },
    },
    async (req) => {
      const e = await services.outbox.event(callContext(req), req.params.eventId);
      return {
        id: e.id,
        type: e.type,
        subject: e.subject,
        time: e.time.toISOString(),
        event: e.event,
        deliveries: e.deliveries.map((d) => ({
          ...toDeliveryResponse(d),
          receipts: d.receipts.map((a) => ({
            attempt: a.attempt,
            dateTime: a.at.toISOString(),
            outcome: a.outcome,
            response: a.response,
          })),
        })),
      };
    },
  );

  r.post(
    '/outbox/deliveries/:deliveryId/resend',
    {
      schema: {
        summary: 'Resend a dead delivery: back in line at once, with a fresh retry budget (audited)',
        tags,
        params: outboxDeliveryParamsSchema,
        response: { 200: outboxDeliverySchema },
      },
    },
    async (req) => toDeliveryResponse(await services.outbox.resend(callContext(req), req.params.deliveryId)),
  );
};
