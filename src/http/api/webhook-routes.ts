import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { WebhookView } from '../../app/webhooks/webhook-service.js';
import {
  type WebhookResponse,
  webhookBodySchema,
  webhookListSchema,
  webhookParamsSchema,
  webhookPatchSchema,
  webhookRotateSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from '../../contracts/outbox-schemas.js';
import { callContext } from '../graph/call-context.js';
import type { ApiRouteRegistrar } from './api-route-types.js';

const tags = ['webhooks'];

const toWebhookResponse = (w: WebhookView): WebhookResponse => ({
  id: w.id,
  url: w.url,
  eventTypes: [...w.eventTypes],
  description: w.description,
  enabled: w.enabled,
  previousSecretExpiresDateTime: w.previousSecretExpiresAt?.toISOString() ?? null,
  createdDateTime: w.createdAt.toISOString(),
  updatedDateTime: w.updatedAt.toISOString(),
});

/**
 * Webhook subscriptions: CloudEvents 1.0 (structured JSON) POSTed to each endpoint for the event types it chose,
 * signed as Standard Webhooks. The secret is answered once, at creation and at each rotation. Privileged Role and
 * Global Administrators only.
 */
export const registerWebhookRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/webhooks',
    {
      schema: {
        summary: 'Webhook subscriptions (secrets are never shown)',
        tags,
        response: { 200: webhookListSchema },
      },
    },
    async (req) => ({ value: (await services.webhooks.list(callContext(req))).map(toWebhookResponse) }),
  );

  r.post(
    '/webhooks',
    {
      schema: {
        summary:
          'Register a webhook endpoint for chosen event types; the answer shows its signing secret once',
        tags,
        body: webhookBodySchema,
        response: { 201: webhookWithSecretSchema },
      },
    },
    async (req, reply) => {
      const { webhook, secret } = await services.webhooks.create(callContext(req), req.body);
      return reply.status(201).send({ webhook: toWebhookResponse(webhook), secret });
    },
  );

  r.get(
    '/webhooks/:webhookId',
    {
      schema: {
        summary: 'One webhook subscription',
        tags,
        params: webhookParamsSchema,
        response: { 200: webhookSchema },
      },
    },
    async (req) => toWebhookResponse(await services.webhooks.get(callContext(req), req.params.webhookId)),
  );

  r.patch(
    '/webhooks/:webhookId',
    {
      schema: {
        summary: "Change a webhook's URL (checked again), event types, description, or enable/disable it",
        tags,
        params: webhookParamsSchema,
        body: webhookPatchSchema,
        response: { 200: webhookSchema },
      },
    },
    async (req) =>
      toWebhookResponse(await services.webhooks.update(callContext(req), req.params.webhookId, req.body)),
  );

  r.delete(
    '/webhooks/:webhookId',
    {
      schema: {
        summary: 'Delete a webhook subscription; its pending deliveries die',
        tags,
        params: webhookParamsSchema,
      },
    },
    async (req, reply) => {
      await services.webhooks.delete(callContext(req), req.params.webhookId);
      return reply.status(204).send();
    },
  );

  r.post(
    '/webhooks/:webhookId/rotate-secret',
    {
      schema: {
        summary:
          'Rotate the signing secret: the new one is shown once; the previous one also signs for graceSeconds',
        tags,
        params: webhookParamsSchema,
        body: webhookRotateSchema,
        response: { 200: webhookWithSecretSchema },
      },
    },
    async (req) => {
      const { webhook, secret } = await services.webhooks.rotateSecret(
        callContext(req),
        req.params.webhookId,
        {
          graceSeconds: req.body.graceSeconds,
        },
      );
      return { webhook: toWebhookResponse(webhook), secret };
    },
  );
};
