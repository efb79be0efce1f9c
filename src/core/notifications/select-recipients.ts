import type { PimEvent } from '../events/pim-event.js';
import type { NotificationRule } from '../model/policy.js';
import type { Audience, RecipientType } from './notification-audiences.js';

/** Entra's cap: at most 1,000 e-mail recipients per PIM event (research/reliability.md). */
export const maxRecipientsPerEvent = 1000;

/** Someone who may be told: a directory user (with the address their account lists) or an extra address. */
export interface Candidate {
  readonly address: string;
  readonly name: string | null;
  readonly userId: string | null;
}

export interface Recipient extends Candidate {
  readonly audience: Audience;
}

/** Approvers are asked first, then the person whose access it is, then administrators. */
const priority: Record<RecipientType, number> = { Approver: 0, Requestor: 1, Admin: 2 };

/** A single mailbox address: no spaces, no header-breaking characters, one `@` with text on both sides. */
export const isMailAddress = (text: string): boolean =>
  text.length <= 254 && /^[^\s@<>",;:()[\]\\]+@[^\s@<>",;:()[\]\\]+\.[^\s@<>",;:()[\]\\]+$/.test(text);

/**
 * Who must not receive an audience's message: approvers are never asked about their own request nor told of
 * the decision they made; an administrator is not alerted about what they did themselves.
 */
export function excludedUserIds(audience: Audience, event: PimEvent): Set<string> {
  const ids = new Set<string>();
  if (audience.recipientType === 'Approver') {
    ids.add(event.data.principal.id);
    if (event.data.decision) ids.add(event.data.decision.decidedBy.id);
  }
  if (audience.recipientType === 'Admin') ids.add(event.actor.id);
  return ids;
}

/**
 * Decides the recipients of one event: for each audience whose rule's level lets its message through (`None`
 * nothing, `Critical` only messages that ask someone to act, `All` everything), the default recipients when the
 * rule keeps them (`isDefaultRecipientsEnabled`) and the rule's extra addresses. One message per address (the
 * first audience wins: approver, requestor, admin), at most `maxRecipientsPerEvent`, in a stable order so
 * planning the same event twice yields the same list.
 */
export function selectRecipients(input: {
  readonly event: PimEvent;
  readonly audiences: readonly Audience[];
  readonly ruleOf: (audience: Audience) => NotificationRule | undefined;
  readonly defaultsOf: (audience: Audience) => readonly Candidate[];
}): Recipient[] {
  const chosen = new Map<string, Recipient>();
  const ordered = [...input.audiences].sort((a, b) => priority[a.recipientType] - priority[b.recipientType]);
  for (const audience of ordered) {
    const rule = input.ruleOf(audience);
    if (!rule || rule.notificationLevel === 'None') continue;
    if (rule.notificationLevel === 'Critical' && !audience.critical) continue;
    const excluded = excludedUserIds(audience, input.event);
    const defaults = rule.isDefaultRecipientsEnabled
      ? [...input.defaultsOf(audience)]
          .filter((c) => c.userId === null || !excluded.has(c.userId))
          .sort((a, b) => a.address.localeCompare(b.address))
      : [];
    const extras: Candidate[] = rule.notificationRecipients.map((address) => ({
      address,
      name: null,
      userId: null,
    }));
    for (const candidate of [...defaults, ...extras]) {
      const address = candidate.address.trim().toLowerCase();
      if (!isMailAddress(address) || chosen.has(address)) continue;
      if (chosen.size >= maxRecipientsPerEvent) return [...chosen.values()];
      chosen.set(address, { ...candidate, address, audience });
    }
  }
  return [...chosen.values()];
}
