import type { AppDeps } from '../context.js';
import type { DeliveryChannel } from '../outbox/delivery-ports.js';
import type { EventPublisher } from '../outbox/event-publisher.js';
import { createDigestPass } from './digest-pass.js';
import { createReminderPass } from './reminder-pass.js';

/** What one notification pass queued. */
export interface NotificationPassReport {
  readonly reminders: number;
  /** Recipients of this week's digest (0 when not due, already sent, or e-mail is off). */
  readonly digestRecipients: number;
}

/**
 * The periodic side of notifications, run after each scheduler tick: expiry reminders (published as events, so
 * webhooks get them too) and, when e-mail is configured, the weekly digest. Both are idempotent under the
 * injected clock: a pass that finds nothing new queues nothing.
 */
export function createNotificationService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & {
    readonly events: EventPublisher;
    /** Set when e-mail is configured: the portal URL links point to. */
    readonly email?: { readonly portalUrl: string } | undefined;
    /** The outbox channel that sends e-mail (SMTP), when configured. */
    readonly channel?: DeliveryChannel | undefined;
  },
) {
  const reminders = createReminderPass(deps);
  const digest = deps.email ? createDigestPass({ ...deps, portalUrl: deps.email.portalUrl }) : async () => 0;
  return {
    /** The outbox channels of e-mail: the SMTP channel when configured, else none (e-mail is not planned then). */
    channels: deps.channel ? [deps.channel] : ([] as DeliveryChannel[]),
    async runDue(): Promise<NotificationPassReport> {
      return { reminders: await reminders(), digestRecipients: await digest() };
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
