import { groupRelations } from '../../db/repositories/membership-repository.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { AppDeps } from '../context.js';
import {
  type Delivery,
  type DeliveryChannel,
  DeliveryFailure,
  type DeliveryReceipt,
} from '../outbox/delivery-ports.js';
import { findLinkWithToken } from './provisioning-link.js';
import { type ScimDeliveryPayload, scimChannel } from './scim-planner.js';
import type { ScimOutcome, ScimPort } from './scim-port.js';

/**
 * Delivers planned SCIM changes (scim-planner.ts). Exactly once per (event, application): a receipt is written
 * when the application has answered, and a redelivery of the same event finds it and sends nothing. Membership is
 * checked again at delivery, at the clock's now: an add whose membership has already ended is not sent (its
 * removal follows in order), and a removal is not sent while the user is still a member another way — a static
 * member, or another activation.
 */
export function createScimChannel(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & { secrets: SecretBox; scim: ScimPort },
): DeliveryChannel {
  const { db, clock, ids, secrets, scim } = deps;

  async function record(
    delivery: Delivery,
    payload: ScimDeliveryPayload,
    name: string,
    outcome: ScimOutcome,
  ) {
    await db
      .insertInto('provisioning_receipts')
      .values({
        id: ids.newId(),
        event_id: delivery.eventId,
        application_id: delivery.receiverId,
        application_name: name,
        schedule_id: payload.scheduleId,
        group_id: payload.group.id,
        principal_id: payload.principalId,
        operation: payload.operation,
        outcome: outcome.outcome,
        response: outcome.response,
        delivered_at: clock.now(),
      })
      .onConflict((oc) => oc.columns(['event_id', 'application_id']).doNothing())
      .execute();
  }

  /** Why the change need not be sent now, or null when it must. */
  async function reasonToSkip(payload: ScimDeliveryPayload): Promise<string | null> {
    const relations = await groupRelations(db, {
      relationship: 'member',
      at: clock.now(),
      groupIds: [payload.group.id],
      principalIds: [payload.principalId],
    });
    const via = relations[0]?.via;
    if (payload.operation === 'add' && via === undefined) {
      return 'not sent: the membership had ended before delivery';
    }
    if (payload.operation === 'remove' && via !== undefined) {
      return via === 'direct'
        ? 'not sent: still a standing (static) member of the group'
        : 'not sent: still a member through another active assignment';
    }
    return null;
  }

  return {
    name: scimChannel,
    async deliver(delivery: Delivery): Promise<DeliveryReceipt> {
      const payload = parsePayload(delivery.payload);
      const done = await db
        .selectFrom('provisioning_receipts')
        .select('response')
        .where('event_id', '=', delivery.eventId)
        .where('application_id', '=', delivery.receiverId)
        .executeTakeFirst();
      if (done) return { response: done.response };

      const link = await findLinkWithToken(db, delivery.receiverId);
      if (!link) return { response: 'not sent: the application was unlinked from the group' };

      const skip = await reasonToSkip(payload);
      if (skip !== null) {
        await record(delivery, payload, link.displayName, {
          outcome: 'skipped',
          response: skip,
          scimGroupId: null,
        });
        return { response: skip };
      }

      let token: string;
      try {
        token = secrets.open(link.tokenSealed, link.id);
      } catch {
        throw new DeliveryFailure(
          `The token of application '${link.displayName}' cannot be unsealed; set it again.`,
          false,
        );
      }
      let outcome: ScimOutcome;
      try {
        outcome = await scim.apply(
          {
            id: link.id,
            baseUrl: link.baseUrl,
            token,
            ratePerSecond: link.ratePerSecond,
            scimGroupId: link.scimGroupId,
          },
          { operation: payload.operation, group: payload.group, user: payload.user },
        );
      } catch (error) {
        const retryable = (error as { retryable?: unknown }).retryable !== false;
        const message = error instanceof Error ? error.message : String(error);
        throw new DeliveryFailure(`${link.displayName}: ${message}`, retryable);
      }
      if (outcome.scimGroupId !== link.scimGroupId) {
        await db
          .updateTable('provisioning_applications')
          .set({ scim_group_id: outcome.scimGroupId })
          .where('id', '=', link.id)
          .execute();
      }
      await record(delivery, payload, link.displayName, outcome);
      return { response: outcome.response };
    },
  };
}

/** The payload the planner wrote; anything else is a bug that retrying cannot fix. */
function parsePayload(value: unknown): ScimDeliveryPayload {
  const p = value as Partial<ScimDeliveryPayload> | null;
  const ok =
    p !== null &&
    typeof p === 'object' &&
    (p.operation === 'add' || p.operation === 'remove') &&
    typeof p.principalId === 'string' &&
    typeof p.group?.id === 'string' &&
    typeof p.group.displayName === 'string' &&
    typeof p.user?.userName === 'string';
  if (!ok) throw new DeliveryFailure('Not a SCIM delivery payload (scim-planner.ts writes them).', false);
  return p as ScimDeliveryPayload;
}
