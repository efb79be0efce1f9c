import type { Selectable } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { WebhookSubscriptionsTable } from '../schema.js';

export type WebhookRow = Selectable<WebhookSubscriptionsTable>;

export interface NewWebhookRow {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description: string | null;
  readonly secretSealed: string;
  readonly at: Date;
}

export async function insertWebhook(db: Executor, w: NewWebhookRow): Promise<void> {
  await db
    .insertInto('webhook_subscriptions')
    .values({
      id: w.id,
      url: w.url,
      event_types: JSON.stringify(w.eventTypes),
      description: w.description,
      enabled: true,
      secret_sealed: w.secretSealed,
      created_at: w.at,
      updated_at: w.at,
    })
    .execute();
}

export async function getWebhook(db: Executor, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listWebhooks(db: Executor): Promise<WebhookRow[]> {
  return db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** Enabled subscriptions that asked for `eventType`. */
export async function webhooksFor(db: Executor, eventType: string): Promise<WebhookRow[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('enabled', '=', true)
    .orderBy('id')
    .execute();
  return rows.filter((r) => (r.event_types as string[]).includes(eventType));
}

export async function updateWebhook(
  db: Executor,
  id: string,
  patch: {
    url?: string;
    eventTypes?: readonly string[];
    description?: string | null;
    enabled?: boolean;
    secretSealed?: string;
    previousSecretSealed?: string | null;
    previousSecretExpiresAt?: Date | null;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('webhook_subscriptions')
    .set({
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.eventTypes !== undefined ? { event_types: JSON.stringify(patch.eventTypes) } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.secretSealed !== undefined ? { secret_sealed: patch.secretSealed } : {}),
      ...(patch.previousSecretSealed !== undefined
        ? { previous_secret_sealed: patch.previousSecretSealed }
        : {}),
      ...(patch.previousSecretExpiresAt !== undefined
        ? { previous_secret_expires_at: patch.previousSecretExpiresAt }
        : {}),
      updated_at: patch.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteWebhook(db: Executor, id: string): Promise<boolean> {
  const res = await db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
