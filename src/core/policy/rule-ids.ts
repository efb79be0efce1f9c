import {
  type PolicyRule,
  type PolicyRuleId,
  policyRuleIds,
  type RuleCaller,
  type RuleLevel,
  type RuleTarget,
} from '../model/policy.js';

export type RuleKind = PolicyRule['type'];
export type RecipientType = 'Requestor' | 'Approver' | 'Admin';

/** True when `id` is one of the 17 rule ids, spelled exactly as Graph spells it. */
export const isPolicyRuleId = (id: string): id is PolicyRuleId =>
  (policyRuleIds as readonly string[]).includes(id);

/** The canonical rule id for `id` in any letter case, or null when it names none of the 17 rules. */
export const canonicalRuleId = (id: string): PolicyRuleId | null =>
  policyRuleIds.find((r) => r.toLowerCase() === id.toLowerCase()) ?? null;

const kindByPrefix: Readonly<Record<string, RuleKind>> = {
  Expiration: 'expiration',
  Enablement: 'enablement',
  AuthenticationContext: 'authenticationContext',
  Approval: 'approval',
  Notification: 'notification',
};

/** The derived rule type a rule id must carry: `Expiration_*` ↔ expiration, and so on (research §2.4). */
export function ruleKindOf(id: PolicyRuleId): RuleKind {
  return kindByPrefix[id.split('_')[0]!]!;
}

/** The caller and level fixed by a rule id: `{Kind}_{Caller}_{Level}` or `Notification_{Recipient}_{Caller}_{Level}`. */
export function ruleCallerLevelOf(id: PolicyRuleId): { caller: RuleCaller; level: RuleLevel } {
  const parts = id.split('_');
  return { caller: parts.at(-2) as RuleCaller, level: parts.at(-1) as RuleLevel };
}

/** For notification rules, the recipient named by the id (`Notification_Approver_…` → `Approver`). */
export function recipientTypeOf(id: PolicyRuleId): RecipientType | null {
  return ruleKindOf(id) === 'notification' ? (id.split('_')[1] as RecipientType) : null;
}

/** The target every rule carries by default: its own caller and level, all operations, nothing inherited. */
export function defaultTargetOf(id: PolicyRuleId): RuleTarget {
  return { ...ruleCallerLevelOf(id), operations: ['all'], inheritableSettings: [], enforcedSettings: [] };
}
