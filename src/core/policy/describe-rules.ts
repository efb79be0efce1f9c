import { type PolicyRule, type PolicyRules, policyRuleIds } from '../model/policy.js';

export interface ApproverSummary {
  readonly kind: 'singleUser' | 'groupMembers';
  readonly id: string;
  readonly description: string | null;
}

/** A target's settings as the portal names them, for people and the CLI. Durations stay ISO 8601. */
export interface RulesSummary {
  readonly activationMaximum: string;
  readonly requireMfa: boolean;
  readonly requireJustification: boolean;
  readonly requireTicket: boolean;
  readonly requireAuthenticationContext: boolean;
  /** The authentication context required on activation (`c1`), or null when none is. */
  readonly claimValue: string | null;
  readonly requireApproval: boolean;
  /** Empty with approval on means Privileged Role and Global Administrators approve (research §2.5). */
  readonly approvers: readonly ApproverSummary[];
  readonly allowPermanentEligible: boolean;
  readonly eligibleMaximum: string;
  readonly allowPermanentActive: boolean;
  readonly activeMaximum: string;
  readonly requireMfaOnActiveAssignment: boolean;
  readonly requireJustificationOnActiveAssignment: boolean;
}

/** Reads the settings people ask about out of the 17 rules (research §2.4 maps rules to portal settings). */
export function summarizeRules(rules: PolicyRules): RulesSummary {
  const activation = rules.Enablement_EndUser_Assignment.enabledRules;
  const active = rules.Enablement_Admin_Assignment.enabledRules;
  const approval = rules.Approval_EndUser_Assignment.setting;
  const authContext = rules.AuthenticationContext_EndUser_Assignment;
  return {
    activationMaximum: rules.Expiration_EndUser_Assignment.maximumDuration,
    requireMfa: activation.includes('MultiFactorAuthentication'),
    requireJustification: activation.includes('Justification'),
    requireTicket: activation.includes('Ticketing'),
    requireAuthenticationContext: authContext.isEnabled,
    claimValue: authContext.isEnabled ? authContext.claimValue : null,
    requireApproval: approval.isApprovalRequired,
    approvers: (approval.approvalStages[0]?.primaryApprovers ?? []).map((a) =>
      a.kind === 'singleUser'
        ? { kind: a.kind, id: a.userId, description: a.description }
        : { kind: a.kind, id: a.groupId, description: a.description },
    ),
    allowPermanentEligible: !rules.Expiration_Admin_Eligibility.isExpirationRequired,
    eligibleMaximum: rules.Expiration_Admin_Eligibility.maximumDuration,
    allowPermanentActive: !rules.Expiration_Admin_Assignment.isExpirationRequired,
    activeMaximum: rules.Expiration_Admin_Assignment.maximumDuration,
    requireMfaOnActiveAssignment: active.includes('MultiFactorAuthentication'),
    requireJustificationOnActiveAssignment: active.includes('Justification'),
  };
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

/** One changed setting: `field` is a path inside the rule (`setting.approvalStages[0].primaryApprovers`). */
export interface RuleChange {
  readonly ruleId: string;
  readonly field: string;
  readonly before: JsonValue;
  readonly after: JsonValue;
}

/**
 * The settings that differ between two versions of a policy's rules, in rule-id order, for the audit
 * record's modifiedProperties. Lists compare as sets (the order of `enabledRules`, recipients or
 * approvers means nothing) and are reported whole; approval stages are compared one by one.
 */
export function diffRules(before: PolicyRules, after: PolicyRules): RuleChange[] {
  return policyRuleIds.flatMap((ruleId) => {
    const changes: RuleChange[] = [];
    diffValue(ruleFields(before[ruleId]), ruleFields(after[ruleId]), '', (field, b, a) =>
      changes.push({ ruleId, field, before: b, after: a }),
    );
    return changes;
  });
}

/** The rule's settings without `type` and `id`, which are the same on both sides by construction. */
function ruleFields(rule: PolicyRule): JsonValue {
  const { type: _type, id: _id, ...fields } = rule;
  return fields as unknown as JsonValue;
}

type Report = (field: string, before: JsonValue, after: JsonValue) => void;

function diffValue(b: JsonValue | undefined, a: JsonValue | undefined, path: string, report: Report): void {
  const before = b ?? null;
  const after = a ?? null;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const k of keys) diffValue(before[k], after[k], path ? `${path}.${k}` : k, report);
    return;
  }
  if (path.endsWith('approvalStages') && Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      diffValue(before[i], after[i], `${path}[${i}]`, report);
    }
    return;
  }
  if (!sameValue(before, after)) report(path, before, after);
}

const isRecord = (v: JsonValue): v is { readonly [k: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function sameValue(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = (list: readonly JsonValue[]) => list.map(canonical).sort().join('\n');
    return a.length === b.length && key(a) === key(b);
  }
  return canonical(a) === canonical(b);
}

/** JSON with object keys sorted, so equal values compare equal whatever order their keys were built in. */
function canonical(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k] ?? null)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
