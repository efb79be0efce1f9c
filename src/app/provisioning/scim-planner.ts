import type { Transaction } from 'kysely';
import type { PimEvent } from '../../core/events/pim-event.js';
import type { DB } from '../../db/schema.js';
import type { DeliveryDraft, DeliveryPlanner } from '../outbox/delivery-ports.js';
import { provisioningLinks } from './provisioning-link.js';
import type { ScimUser } from './scim-port.js';

export const scimChannel = 'scim';

/** What a SCIM delivery carries (no token: the channel unseals it at delivery). */
export interface ScimDeliveryPayload {
  readonly operation: 'add' | 'remove';
  /** The group membership schedule that began or ended. */
  readonly scheduleId: string | null;
  readonly group: { readonly id: string; readonly displayName: string };
  readonly principalId: string;
  readonly user: ScimUser;
}

/**
 * Which membership change an event means for SCIM: access to a group's membership (`member`, an active
 * assignment) that began — an activation granted, or an active assignment added that has started — or that
 * ended. Owners, eligibilities and roles are not provisioned.
 */
export function scimOperationOf(event: PimEvent): 'add' | 'remove' | null {
  const { target, kind, principal, start } = event.data;
  if (kind !== 'assignment' || principal.type !== 'user') return null;
  if (target.targetKind !== 'group' || target.roleDefinitionId !== 'member') return null;
  // Access that starts later is not membership yet: the scheduler announces it (activation.granted) at its start.
  const started = start === null || start.getTime() <= event.time.getTime();
  switch (event.type) {
    case 'elevate.activation.granted':
    case 'elevate.assignment.added':
      return started ? 'add' : null;
    case 'elevate.activation.ended':
    case 'elevate.assignment.removed':
      return 'remove';
    default:
      return null;
  }
}

/**
 * Plans one SCIM delivery per application linked to the group, in the change's transaction. The ordering key is
 * (application, user), so one person's add and remove reach an application in the order they happened, while
 * other people's changes do not wait behind them.
 */
export function createScimPlanner(): DeliveryPlanner {
  return {
    channel: scimChannel,
    async plan(trx: Transaction<DB>, event: PimEvent): Promise<readonly DeliveryDraft[]> {
      const operation = scimOperationOf(event);
      if (operation === null) return [];
      const groupId = event.data.target.scopeId;
      const links = await provisioningLinks(trx, [groupId]);
      if (links.length === 0) return [];
      const principalId = event.data.principal.id;
      const user = await trx
        .selectFrom('users')
        .select(['user_principal_name', 'display_name', 'given_name', 'surname', 'mail'])
        .where('id', '=', principalId)
        .executeTakeFirst();
      const group = await trx
        .selectFrom('groups')
        .select('display_name')
        .where('id', '=', groupId)
        .executeTakeFirst();
      if (!user || !group) return [];
      const payload: ScimDeliveryPayload = {
        operation,
        scheduleId: event.data.scheduleId,
        group: { id: groupId, displayName: group.display_name },
        principalId,
        user: {
          userName: user.user_principal_name,
          externalId: principalId,
          displayName: user.display_name,
          givenName: user.given_name,
          familyName: user.surname,
          email: user.mail,
        },
      };
      return links.map((link) => ({
        receiverId: link.id,
        orderingKey: `${link.id}:${principalId}`,
        payload,
      }));
    },
  };
}
