import type { ApproverSubject, PolicyRule, PolicyRules } from '../contracts/policy-rules.js';
import { policyRuleIds } from '../contracts/policy-rules.js';

/** What `elevate settings set` may change; undefined leaves a setting as it is. */
export interface SettingsChanges {
  readonly maxDuration?: string;
  readonly requireMfa?: boolean;
  readonly requireJustification?: boolean;
  readonly requireTicket?: boolean;
  readonly requireApproval?: boolean;
  readonly approvers?: readonly ApproverSubject[];
  readonly eligibleMax?: string;
  readonly allowPermanentEligible?: boolean;
  readonly activeMax?: string;
  readonly allowPermanentActive?: boolean;
}

type Feature = 'MultiFactorAuthentication' | 'Justification' | 'Ticketing';

const toggle = (list: readonly Feature[], feature: Feature, on: boolean | undefined): Feature[] =>
  on === undefined
    ? [...list]
    : on
      ? [...list.filter((f) => f !== feature), feature]
      : list.filter((f) => f !== feature);

const defaultStage = {
  approvalStageTimeOutInDays: 1,
  isApproverJustificationRequired: true,
  escalationTimeInMinutes: 0,
  isEscalationEnabled: false,
  primaryApprovers: [],
  escalationApprovers: [],
};

/** The rules with the changes made: read current, modify, write back (research §2.6). */
export function applySettingChanges(rules: PolicyRules, c: SettingsChanges): PolicyRules {
  const activation = rules.Enablement_EndUser_Assignment;
  let features = toggle(activation.enabledRules, 'MultiFactorAuthentication', c.requireMfa);
  features = toggle(features, 'Justification', c.requireJustification);
  features = toggle(features, 'Ticketing', c.requireTicket);

  const approval = rules.Approval_EndUser_Assignment;
  const approvalRequired = c.requireApproval ?? approval.setting.isApprovalRequired;
  const touchesApproval = c.requireApproval !== undefined || c.approvers !== undefined;
  const stage = approval.setting.approvalStages[0] ?? defaultStage;
  const setting = touchesApproval
    ? {
        ...approval.setting,
        isApprovalRequired: approvalRequired,
        // NoApproval cannot carry a required approval; SingleStage is the only mode Graph allows for roles.
        approvalMode:
          approvalRequired && approval.setting.approvalMode === 'NoApproval'
            ? ('SingleStage' as const)
            : approval.setting.approvalMode,
        approvalStages:
          c.approvers !== undefined || approval.setting.approvalStages.length === 0
            ? [{ ...stage, primaryApprovers: keepKnown(stage.primaryApprovers, c.approvers) }]
            : approval.setting.approvalStages,
      }
    : approval.setting;

  const expiration = <R extends PolicyRules['Expiration_Admin_Eligibility']>(
    rule: R,
    max: string | undefined,
    allowPermanent: boolean | undefined,
  ): R => ({
    ...rule,
    maximumDuration: max ?? rule.maximumDuration,
    isExpirationRequired: allowPermanent === undefined ? rule.isExpirationRequired : !allowPermanent,
  });

  return {
    ...rules,
    Expiration_EndUser_Assignment: {
      ...rules.Expiration_EndUser_Assignment,
      maximumDuration: c.maxDuration ?? rules.Expiration_EndUser_Assignment.maximumDuration,
    },
    Enablement_EndUser_Assignment: { ...activation, enabledRules: features },
    Approval_EndUser_Assignment: { ...approval, setting },
    Expiration_Admin_Eligibility: expiration(
      rules.Expiration_Admin_Eligibility,
      c.eligibleMax,
      c.allowPermanentEligible,
    ),
    Expiration_Admin_Assignment: expiration(
      rules.Expiration_Admin_Assignment,
      c.activeMax,
      c.allowPermanentActive,
    ),
  };
}

const subjectKey = (a: ApproverSubject) => (a.kind === 'singleUser' ? `u:${a.userId}` : `g:${a.groupId}`);

/**
 * The new approver list; approvers already listed keep their entry, since the server writes each one's
 * read-only `description` (the name) itself, and naming the same approvers again is then no change.
 */
function keepKnown(current: readonly ApproverSubject[], wanted: readonly ApproverSubject[] | undefined) {
  if (wanted === undefined) return [...current];
  const known = new Map(current.map((a) => [subjectKey(a), a]));
  return wanted.map((a) => known.get(subjectKey(a)) ?? a);
}

/** The rules of `after` that differ from `before`, in rule-id order (lists compared as sets). */
export function changedRules(before: PolicyRules, after: PolicyRules): PolicyRule[] {
  return policyRuleIds.filter((id) => canonical(before[id]) !== canonical(after[id])).map((id) => after[id]);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).sort().join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${k}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}
