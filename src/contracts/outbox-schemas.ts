import { z } from 'zod';

/** The outbox (native API): counts, deliveries, an event's deliveries with receipts, resend; webhook subscriptions. */

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

const outboxStatuses = ['pending', 'delivered', 'dead'] as const;

/** The CloudEvents `type`s Elevate publishes (core/events/pim-event.ts). */
export const webhookEventTypes = [
  'elevate.activation.requested',
  'elevate.activation.granted',
  'elevate.activation.denied',
  'elevate.activation.ended',
  'elevate.request.canceled',
  'elevate.approval.requested',
  'elevate.approval.decided',
  'elevate.assignment.added',
  'elevate.assignment.updated',
  'elevate.assignment.removed',
  'elevate.assignment.expiring',
  'elevate.settings.updated',
  'elevate.signin.emergency',
] as const;

const counts = { pending: z.number(), delivered: z.number(), dead: z.number() };

export const outboxStatsSchema = z.object({
  channels: z.array(z.object({ channel: z.string(), ...counts })),
  totals: z.object(counts),
});
export type OutboxStatsResponse = z.output<typeof outboxStatsSchema>;

export const outboxDeliveriesQuerySchema = z.strictObject({
  status: z.enum(outboxStatuses).optional().describe('Only deliveries in this status'),
  channel: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Only deliveries of this channel (email, webhook, scim)'),
  top: z.coerce.number().int().min(1).max(1000).default(100).describe('At most this many, newest first'),
});

export const outboxDeliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  channel: z.string(),
  receiverId: z.string().describe('An e-mail address, a webhook subscription id, or a SCIM application id'),
  orderingKey: z.string(),
  status: z.enum(outboxStatuses),
  attempts: z.number(),
  nextAttemptDateTime: z.string().nullable().describe('When a pending delivery is tried next'),
  lastResponse: z.string().nullable(),
  lastError: z.string().nullable(),
  deliveredDateTime: z.string().nullable(),
  deadDateTime: z.string().nullable(),
  createdDateTime: z.string(),
});
export type OutboxDeliveryResponse = z.output<typeof outboxDeliverySchema>;
export const outboxDeliveryListSchema = z.object({ value: z.array(outboxDeliverySchema) });

const outboxReceiptSchema = z.object({
  attempt: z.number(),
  dateTime: z.string(),
  outcome: z.enum(['delivered', 'failed', 'dead']),
  response: z.string().describe('What the receiving end answered, or why the attempt failed'),
});

export const outboxEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  subject: z.string(),
  time: z.string(),
  event: z.unknown().describe('The event as published (PimEvent, instants as ISO 8601)'),
  deliveries: z.array(outboxDeliverySchema.extend({ receipts: z.array(outboxReceiptSchema) })),
});
export type OutboxEventResponse = z.output<typeof outboxEventSchema>;

export const outboxEventParamsSchema = z.strictObject({ eventId: guid });
export const outboxDeliveryParamsSchema = z.strictObject({ deliveryId: guid });

const url = z
  .string()
  .min(1)
  .max(2048)
  .describe(
    'Where events are POSTed: http(s) only; the host must resolve to public addresses unless ELEVATE_WEBHOOK_ALLOWED_NETWORKS allows it',
  );
const eventTypes = z
  .array(z.enum(webhookEventTypes))
  .min(1)
  .max(webhookEventTypes.length)
  .describe('The CloudEvents types this endpoint receives');
const description = z.string().trim().max(1024).nullable();

export const webhookBodySchema = z.strictObject({
  url,
  eventTypes,
  description: description.optional(),
});
export type WebhookBody = z.input<typeof webhookBodySchema>;

export const webhookPatchSchema = z
  .strictObject({
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    description: description.optional(),
    enabled: z
      .boolean()
      .optional()
      .describe('A disabled endpoint receives nothing; its pending deliveries die'),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'give at least one property to change');
export type WebhookPatchBody = z.input<typeof webhookPatchSchema>;

export const webhookRotateSchema = z.strictObject({
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(86_400)
    .describe('How long the previous secret keeps signing too (a second signature); 0 stops it at once'),
});

export const webhookParamsSchema = z.strictObject({ webhookId: guid });

/** A subscription as the API shows it: never its secret. */
export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string().nullable(),
  enabled: z.boolean(),
  previousSecretExpiresDateTime: z
    .string()
    .nullable()
    .describe('During a rotation: until when the previous secret also signs'),
  createdDateTime: z.string(),
  updatedDateTime: z.string(),
});
export type WebhookResponse = z.output<typeof webhookSchema>;
export const webhookListSchema = z.object({ value: z.array(webhookSchema) });

/** Creation and rotation answer the signing secret once; it is never shown again. */
export const webhookWithSecretSchema = z.object({
  webhook: webhookSchema,
  secret: z.string().describe('The signing secret (whsec_…): shown this once; store it with the receiver'),
});
export type WebhookWithSecretResponse = z.output<typeof webhookWithSecretSchema>;
