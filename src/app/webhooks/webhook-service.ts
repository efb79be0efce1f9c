import type { AuditModifiedProperty, AuditRecord } from '../../core/audit/audit-record.js';
import { canManageRoleAssignments, requirePermission } from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import { type PimEventType, pimEventTypes } from '../../core/events/pim-event.js';
import {
  deleteWebhook,
  getWebhook,
  insertWebhook,
  listWebhooks,
  updateWebhook,
  type WebhookRow,
} from '../../db/repositories/webhook-repository.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { AppDeps, CallContext } from '../context.js';
import type { DeliveryChannel } from '../outbox/delivery-ports.js';
import { auditInitiator } from '../shared/audit-initiator.js';

/** Where a subscription's deliveries go and the secrets that sign them (current first; the previous one while rotating). */
export interface WebhookEndpoint {
  readonly url: string;
  readonly secrets: readonly string[];
  readonly enabled: boolean;
}

/** Checks a webhook URL before it is stored: why it is refused, or null (connectors/webhook/address-guard.ts). */
export interface WebhookUrlPolicy {
  check(url: string): Promise<string | null>;
}

/** A subscription as administrators see it: never its secret. */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: readonly PimEventType[];
  readonly description: string | null;
  readonly enabled: boolean;
  /** While a rotation lasts, the previous secret still signs (a second signature) until then. */
  readonly previousSecretExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface WebhookInput {
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description?: string | null;
}

export interface WebhookPatch {
  readonly url?: string;
  readonly eventTypes?: readonly string[];
  readonly description?: string | null;
  readonly enabled?: boolean;
}

const uuid = /^[0-9a-f-]{36}$/i;

/**
 * Webhook subscriptions: administrators register endpoints for chosen event types; the signing secret is shown
 * once (at creation and at each rotation) and stored sealed. Every change is audited, without the secret.
 */
export function createWebhookService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & {
    audit: AuditWriter;
    /** Seals signing secrets (secret-box.ts, purpose `webhook-secret`), bound to the subscription id. */
    secrets: SecretBox;
    urlPolicy: WebhookUrlPolicy;
    /** Makes a new `whsec_…` secret. */
    newSecret: () => string;
    /** Builds the outbox channel `webhook` over `endpoint` (connectors/webhook/webhook-channel.ts). */
    channel: (endpoint: (subscriptionId: string) => Promise<WebhookEndpoint | undefined>) => DeliveryChannel;
  },
) {
  const { db, clock, ids, audit, secrets, urlPolicy, newSecret } = deps;

  /** Where a subscription's deliveries go and the secrets that sign them now (current first). */
  async function endpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const row = uuid.test(id) ? await getWebhook(db, id.toLowerCase()) : undefined;
    if (!row) return undefined;
    const now = clock.now();
    const signing = [secrets.open(row.secret_sealed, row.id)];
    if (row.previous_secret_sealed && row.previous_secret_expires_at && row.previous_secret_expires_at > now)
      signing.push(secrets.open(row.previous_secret_sealed, row.id));
    return { url: row.url, secrets: signing, enabled: row.enabled };
  }

  const requireAdmin = (ctx: CallContext) =>
    requirePermission(
      canManageRoleAssignments(ctx.actor),
      'manage webhooks',
      'Privileged Role Administrator or Global Administrator',
    );

  const toView = (r: WebhookRow, now: Date): WebhookView => ({
    id: r.id,
    url: r.url,
    eventTypes: r.event_types as PimEventType[],
    description: r.description,
    enabled: r.enabled,
    previousSecretExpiresAt:
      r.previous_secret_expires_at && r.previous_secret_expires_at > now
        ? r.previous_secret_expires_at
        : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

  async function checkUrl(url: string): Promise<void> {
    const why = await urlPolicy.check(url);
    if (why) throw new ElevateError('request.invalid', `url '${url}' is refused: ${why}.`, { target: 'url' });
  }

  function checkEventTypes(types: readonly string[]): PimEventType[] {
    const unknown = types.filter((t) => !(pimEventTypes as readonly string[]).includes(t));
    if (types.length === 0 || unknown.length > 0) {
      throw new ElevateError(
        'request.invalid',
        `eventTypes ${types.length === 0 ? 'must name at least one event type' : `names unknown types ${unknown.join(', ')}`}; the types are ${pimEventTypes.join(', ')}.`,
        { target: 'eventTypes' },
      );
    }
    return [...new Set(types)] as PimEventType[];
  }

  function record(
    ctx: CallContext,
    at: Date,
    r: { id: string; url: string },
    activity: string,
    operationType: AuditRecord['operationType'],
    modifiedProperties: AuditModifiedProperty[] = [],
  ): AuditRecord {
    return {
      id: ids.newId(),
      activityDateTime: at,
      category: 'DirectoryManagement',
      activityDisplayName: activity,
      operationType,
      result: 'success',
      resultReason: null,
      loggedByService: 'PIM',
      correlationId: ctx.requestId,
      initiatedBy: auditInitiator(ctx.actor),
      targetResources: [{ id: r.id, displayName: r.url, type: 'Other', modifiedProperties }],
      additionalDetails: [],
    };
  }

  async function find(id: string): Promise<WebhookRow> {
    const row = uuid.test(id) ? await getWebhook(db, id.toLowerCase()) : undefined;
    if (!row) throw notFound('Webhook subscription', id);
    return row;
  }

  return {
    /** Registers an endpoint; the answer carries the signing secret, the only time it is shown. */
    async create(ctx: CallContext, input: WebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
      requireAdmin(ctx);
      const eventTypes = checkEventTypes(input.eventTypes);
      await checkUrl(input.url);
      const id = ids.newId();
      const secret = newSecret();
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        await insertWebhook(trx, {
          id,
          url: input.url,
          eventTypes,
          description: input.description ?? null,
          secretSealed: secrets.seal(secret, id),
          at: now,
        });
        await audit.append(trx, [
          record(ctx, now, { id, url: input.url }, 'Add webhook subscription', 'Add', [
            { displayName: 'eventTypes', oldValue: null, newValue: JSON.stringify(eventTypes) },
          ]),
        ]);
        const row = await getWebhook(trx, id);
        return { webhook: toView(row!, now), secret };
      });
    },

    async list(ctx: CallContext): Promise<WebhookView[]> {
      requireAdmin(ctx);
      const now = clock.now();
      return (await listWebhooks(db)).map((r) => toView(r, now));
    },

    async get(ctx: CallContext, id: string): Promise<WebhookView> {
      requireAdmin(ctx);
      return toView(await find(id), clock.now());
    },

    /** Changes the URL (checked again), the event types, the description or whether it is enabled. */
    async update(ctx: CallContext, id: string, patch: WebhookPatch): Promise<WebhookView> {
      requireAdmin(ctx);
      const before = await find(id);
      const eventTypes = patch.eventTypes ? checkEventTypes(patch.eventTypes) : undefined;
      if (patch.url !== undefined && patch.url !== before.url) await checkUrl(patch.url);
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        await updateWebhook(trx, before.id, {
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(eventTypes ? { eventTypes } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
          at: now,
        });
        const changed: AuditModifiedProperty[] = [
          ['url', before.url, patch.url],
          ['eventTypes', before.event_types, eventTypes],
          ['description', before.description, patch.description],
          ['enabled', before.enabled, patch.enabled],
        ]
          .filter(([, old, next]) => next !== undefined && JSON.stringify(old) !== JSON.stringify(next))
          .map(([name, old, next]) => ({
            displayName: String(name),
            oldValue: JSON.stringify(old),
            newValue: JSON.stringify(next),
          }));
        await audit.append(trx, [
          record(
            ctx,
            now,
            { id: before.id, url: patch.url ?? before.url },
            'Update webhook subscription',
            'Update',
            changed,
          ),
        ]);
        return toView((await getWebhook(trx, before.id))!, now);
      });
    },

    /** Deletes a subscription; its pending deliveries then die (the channel finds no endpoint). */
    async delete(ctx: CallContext, id: string): Promise<void> {
      requireAdmin(ctx);
      const before = await find(id);
      await db.transaction().execute(async (trx) => {
        await deleteWebhook(trx, before.id);
        await audit.append(trx, [record(ctx, clock.now(), before, 'Delete webhook subscription', 'Delete')]);
      });
    },

    /**
     * Replaces the signing secret; the previous one keeps signing (a second signature) for `graceSeconds`
     * (default a day), so receivers can switch without losing a delivery. The new secret is shown once.
     */
    async rotateSecret(
      ctx: CallContext,
      id: string,
      options: { graceSeconds?: number } = {},
    ): Promise<{ webhook: WebhookView; secret: string }> {
      requireAdmin(ctx);
      const before = await find(id);
      const secret = newSecret();
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const grace = options.graceSeconds ?? 86_400;
        await updateWebhook(trx, before.id, {
          secretSealed: secrets.seal(secret, before.id),
          previousSecretSealed: grace > 0 ? before.secret_sealed : null,
          previousSecretExpiresAt: grace > 0 ? new Date(now.getTime() + grace * 1000) : null,
          at: now,
        });
        await audit.append(trx, [
          record(ctx, now, before, 'Rotate webhook signing secret', 'Update', [
            { displayName: 'secret', oldValue: null, newValue: '"rotated"' },
          ]),
        ]);
        return { webhook: toView((await getWebhook(trx, before.id))!, now), secret };
      });
    },

    /** The outbox channel `webhook`: delivers to the subscriptions' endpoints, signed with their secrets. */
    channel: deps.channel(endpoint),
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
