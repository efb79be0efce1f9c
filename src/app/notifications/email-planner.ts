import type { Transaction } from 'kysely';
import type { PimEvent } from '../../core/events/pim-event.js';
import type { NotificationRule, PolicyRule, PolicyRuleId, PolicyRules } from '../../core/model/policy.js';
import type { PimTarget } from '../../core/model/schedule.js';
import type { EmailPayload } from '../../core/notifications/email-message.js';
import { renderEmail } from '../../core/notifications/email-templates.js';
import { audiencesFor } from '../../core/notifications/notification-audiences.js';
import { cleanText } from '../../core/notifications/plain-text.js';
import { selectRecipients } from '../../core/notifications/select-recipients.js';
import {
  defaultDirectoryRoleRules,
  defaultGroupRules,
  defaultResourceRoleRules,
} from '../../core/policy/default-rules.js';
import { getApproval } from '../../db/repositories/approval-repository.js';
import { getRequest } from '../../db/repositories/request-repository.js';
import type { DB } from '../../db/schema.js';
import type { DeliveryDraft, DeliveryPlanner } from '../outbox/delivery-ports.js';
import { resolveTarget } from '../requests/target-context.js';
import { defaultRecipients } from './default-recipients.js';

/** The outbox channel of e-mail (the SMTP channel delivers it). */
export const emailChannelName = 'email';

/** Messages to one address are sent in the order they were planned (a request before its "decided" notice). */
export const emailOrderingKey = (address: string): string => `email:${address}`;

export interface EmailPlannerDeps {
  /** ELEVATE_PUBLIC_URL (else http://HOST:PORT): where the links in messages point. */
  readonly portalUrl: string;
}

/**
 * Plans the e-mail of each event in the change's transaction: which notification rules of the target's settings
 * apply, who they reach today (approvers, the person concerned, administrators, extra addresses), one rendered
 * message per address. Planning an event again plans the same receivers, which the outbox ignores.
 */
export function createEmailPlanner(deps: EmailPlannerDeps): DeliveryPlanner {
  return {
    channel: emailChannelName,
    async plan(trx: Transaction<DB>, published: PimEvent): Promise<readonly DeliveryDraft[]> {
      const request = published.data.requestId ? await getRequest(trx, published.data.requestId) : undefined;
      const action = request?.action ?? null;
      const audiences = audiencesFor(published, action);
      if (audiences.length === 0) return [];
      const event = await withTargetName(trx, published);
      const rules = await targetRules(trx, event.data.target);
      const ruleOf = (id: PolicyRuleId): NotificationRule | undefined => {
        const rule = rules[id as keyof PolicyRules] as PolicyRule | undefined;
        return rule?.type === 'notification' ? rule : undefined;
      };
      const defaults = await defaultRecipients(trx, event, new Set(audiences.map((a) => a.recipientType)));
      const recipients = selectRecipients({
        event,
        audiences,
        ruleOf: (a) => ruleOf(a.ruleId),
        defaultsOf: (a) => defaults.get(a.recipientType) ?? [],
      });
      if (recipients.length === 0) return [];
      const approvedBy = await approverName(trx, event);
      const thread = event.data.requestId
        ? `request.${event.data.requestId}`
        : event.data.scheduleId
          ? `schedule.${event.data.scheduleId}`
          : null;
      return recipients.map((r) => {
        const rendered = renderEmail({
          event,
          audience: r.audience,
          action,
          portalUrl: deps.portalUrl,
          approvedBy,
          extraRecipient: r.userId === null,
        });
        const payload: EmailPayload = {
          to: r.address,
          toName: r.name === null ? null : cleanText(r.name, { max: 120 }),
          ...rendered,
          thread,
          kind: r.audience.message,
        };
        return { receiverId: r.address, orderingKey: emailOrderingKey(r.address), payload };
      });
    },
  };
}

const scopeTypes = { directoryRole: 'DirectoryRole', group: 'Group', resourceRole: 'Resource' } as const;

/**
 * The target's settings as they are now, read only: Entra's defaults when nobody has changed (or read) them yet.
 * Planning never writes, so a target that no longer exists cannot make the change it describes fail.
 */
async function targetRules(trx: Transaction<DB>, t: PimTarget): Promise<PolicyRules> {
  const row = await trx
    .selectFrom('role_management_policies')
    .select('rules')
    .where('target_kind', '=', t.targetKind)
    .where('scope_type', '=', scopeTypes[t.targetKind])
    .where('scope_id', '=', t.scopeId)
    .where('role_definition_id', '=', t.roleDefinitionId)
    .executeTakeFirst();
  if (row) return row.rules as PolicyRules;
  if (t.targetKind === 'group') return defaultGroupRules(t.roleDefinitionId === 'owner' ? 'owner' : 'member');
  return t.targetKind === 'resourceRole' ? defaultResourceRoleRules() : defaultDirectoryRoleRules();
}

/**
 * The event with its target's display name: a publisher that could not read it leaves the id there (a role id,
 * a group id), which no reader should see; read it here from the directory when that happened.
 */
async function withTargetName(trx: Transaction<DB>, event: PimEvent): Promise<PimEvent> {
  const t = event.data.target;
  const unnamed =
    t.displayName === t.roleDefinitionId || (t.targetKind === 'group' && t.displayName === t.scopeId);
  if (!unnamed) return event;
  const resolved = await resolveTarget(trx, { ...t, principalId: event.data.principal.id }).catch(
    () => undefined,
  );
  if (!resolved) return event;
  const displayName = resolved.target.displayName;
  const scopeDisplayName = t.targetKind === 'group' ? displayName : t.scopeDisplayName;
  return { ...event, data: { ...event.data, target: { ...t, displayName, scopeDisplayName } } };
}

/** Who approved the request behind a granted activation (null when it needed no approval). */
async function approverName(trx: Transaction<DB>, event: PimEvent): Promise<string | null> {
  if (event.type !== 'elevate.activation.granted' || !event.data.approvalId) return null;
  const approval = await getApproval(trx, event.data.approvalId);
  if (approval?.reviewResult !== 'Approved' || !approval.reviewedById) return null;
  const user = await trx
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', approval.reviewedById)
    .executeTakeFirst();
  return user?.display_name ?? null;
}
