import { type Kysely, sql } from 'kysely';

/**
 * The transactional outbox: every event a use case publishes (in the transaction of its change), the deliveries
 * its planners made of it (one per event, channel and receiver), each attempt's outcome, and the webhook
 * subscriptions that receive events. The dispatcher claims due deliveries under a lease (`claimed_until`), with
 * `FOR UPDATE SKIP LOCKED` so several instances on PostgreSQL never deliver the same one at once.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    // The whole PimEvent as published (dates as ISO strings): what channels and the API read back.
    .addColumn('event', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_events_time').on('outbox_events').column('time').execute();

  await db.schema
    .createTable('outbox_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // Planning order: deliveries with the same (channel, ordering_key) are delivered in seq order.
    .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('outbox_events.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('receiver_id', 'text', (c) => c.notNull())
    .addColumn('ordering_key', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    // A claim: who holds the delivery (a random token per claim) and until when; expired leases are reclaimed.
    .addColumn('claim_token', 'uuid')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('last_response', 'text')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('dead_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('outbox_deliveries_event_channel_receiver', ['event_id', 'channel', 'receiver_id'])
    .execute();
  await db.schema
    .createIndex('outbox_deliveries_due')
    .on('outbox_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('outbox_deliveries_ordering')
    .on('outbox_deliveries')
    .columns(['channel', 'ordering_key', 'seq'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  // One row per attempt: what the receiving end answered or why it failed.
  await db.schema
    .createTable('outbox_attempts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('delivery_id', 'uuid', (c) =>
      c.notNull().references('outbox_deliveries.id').onDelete('cascade'),
    )
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('delivered', 'failed', 'dead')`))
    .addColumn('response', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outbox_attempts_delivery')
    .on('outbox_attempts')
    .columns(['delivery_id', 'attempt'])
    .execute();

  // Webhook endpoints. The signing secret is sealed (secret-box.ts); during a rotation the previous one signs too
  // until `previous_secret_expires_at`.
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('event_types', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('previous_secret_sealed', 'text')
    .addColumn('previous_secret_expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
