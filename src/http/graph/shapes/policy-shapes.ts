import { z } from 'zod';
import type {
  ApproverSubject,
  PolicyRule,
  RoleManagementPolicy,
  RuleTarget,
} from '../../../core/model/policy.js';
import { policyRuleIds } from '../../../core/model/policy.js';
import { graphRuleTypes } from './policy-rule-schema.js';

export { parseGraphRule } from './policy-rule-schema.js';

// Outbound role settings (research §2.2, §2.3): policies, their rules and policy assignments; their list
// specs and response schemas. Inbound rules are read in policy-rule-schema.ts.

export interface GraphRuleTarget {
  caller: string;
  operations: string[];
  level: string;
  inheritableSettings: string[];
  enforcedSettings: string[];
  targetObjects: [];
}

export type GraphSubjectSet =
  | { '@odata.type': '#microsoft.graph.singleUser'; userId: string; description: string | null }
  | { '@odata.type': '#microsoft.graph.groupMembers'; groupId: string; description: string | null };

/** A rule as Graph writes it: `@odata.type`, `id`, the derived type's properties, then `target`. */
export type GraphRule = { '@odata.type': string; id: string; target: GraphRuleTarget } & Record<
  string,
  unknown
>;

const toGraphSubject = (a: ApproverSubject): GraphSubjectSet =>
  a.kind === 'singleUser'
    ? { '@odata.type': '#microsoft.graph.singleUser', userId: a.userId, description: a.description }
    : { '@odata.type': '#microsoft.graph.groupMembers', groupId: a.groupId, description: a.description };

const toGraphTarget = (t: RuleTarget): GraphRuleTarget => ({
  caller: t.caller,
  operations: [...t.operations],
  level: t.level,
  inheritableSettings: [...t.inheritableSettings],
  enforcedSettings: [...t.enforcedSettings],
  targetObjects: [],
});

/** One rule in Graph's spelling, with the derived `@odata.type` clients switch on (research §11.2). */
export function toGraphRule(rule: PolicyRule): GraphRule {
  const head = { '@odata.type': `#${graphRuleTypes[rule.type]}`, id: rule.id };
  const target = toGraphTarget(rule.target);
  switch (rule.type) {
    case 'expiration':
      return {
        ...head,
        isExpirationRequired: rule.isExpirationRequired,
        maximumDuration: rule.maximumDuration,
        target,
      };
    case 'enablement':
      return { ...head, enabledRules: [...rule.enabledRules], target };
    case 'authenticationContext':
      return { ...head, isEnabled: rule.isEnabled, claimValue: rule.claimValue, target };
    case 'approval': {
      const s = rule.setting;
      const approvalStages = s.approvalStages.map((st) => ({
        approvalStageTimeOutInDays: st.approvalStageTimeOutInDays,
        isApproverJustificationRequired: st.isApproverJustificationRequired,
        escalationTimeInMinutes: st.escalationTimeInMinutes,
        isEscalationEnabled: st.isEscalationEnabled,
        primaryApprovers: st.primaryApprovers.map(toGraphSubject),
        escalationApprovers: st.escalationApprovers.map(toGraphSubject),
      }));
      const { isApprovalRequired, isApprovalRequiredForExtension, isRequestorJustificationRequired } = s;
      const setting = {
        isApprovalRequired,
        isApprovalRequiredForExtension,
        isRequestorJustificationRequired,
        approvalMode: s.approvalMode,
        approvalStages,
      };
      return { ...head, setting, target };
    }
    case 'notification':
      return {
        ...head,
        notificationType: rule.notificationType,
        recipientType: rule.recipientType,
        notificationLevel: rule.notificationLevel,
        isDefaultRecipientsEnabled: rule.isDefaultRecipientsEnabled,
        notificationRecipients: [...rule.notificationRecipients],
        target,
      };
  }
}

export interface PolicyExpand {
  readonly expandRules: boolean;
  readonly expandEffectiveRules?: boolean;
}

/**
 * A `unifiedRoleManagementPolicy`. Elevate has no inherited or enforced settings, so `effectiveRules`
 * are the rules themselves. `displayName` and `description` are the scope type, as Entra returns them.
 */
export function toGraphPolicy(policy: RoleManagementPolicy, expand: PolicyExpand) {
  const rules = () => policyRuleIds.map((id) => toGraphRule(policy.rules[id]));
  return {
    id: policy.id,
    displayName: policy.scopeType,
    description: policy.scopeType,
    isOrganizationDefault: false,
    scopeId: policy.scopeId,
    scopeType: policy.scopeType,
    lastModifiedDateTime: policy.lastModifiedAt?.toISOString() ?? null,
    lastModifiedBy: {
      displayName: policy.lastModifiedBy?.displayName ?? null,
      id: policy.lastModifiedBy?.id ?? null,
    },
    ...(expand.expandRules ? { rules: rules() } : {}),
    ...(expand.expandEffectiveRules ? { effectiveRules: rules() } : {}),
  };
}

/**
 * A `unifiedRoleManagementPolicyAssignment`: id `{policyId}_{roleDefinitionId}` (research §11.4).
 * `expandPolicy: true` embeds the policy without rules; an object says what to expand inside it
 * (`$expand=policy($expand=rules)`).
 */
export function toGraphPolicyAssignment(
  policy: RoleManagementPolicy,
  options: { expandPolicy: boolean | PolicyExpand },
) {
  const { expandPolicy } = options;
  return {
    id: `${policy.id}_${policy.roleDefinitionId}`,
    policyId: policy.id,
    scopeId: policy.scopeId,
    scopeType: policy.scopeType,
    roleDefinitionId: policy.roleDefinitionId,
    ...(expandPolicy === false
      ? {}
      : { policy: toGraphPolicy(policy, expandPolicy === true ? { expandRules: false } : expandPolicy) }),
  };
}

// ---------------------------------------------------------------- lists (research §8.1)

const policyFields = [
  'id',
  'displayName',
  'description',
  'isOrganizationDefault',
  'scopeId',
  'scopeType',
  'lastModifiedDateTime',
  'lastModifiedBy',
];
// `scopeType` Group serves PIM for Groups: scopeId is then the group's id.
const scopeFields = {
  scopeId: { type: 'string', ops: ['eq'] },
  scopeType: { type: 'enum', values: ['DirectoryRole', 'Directory', 'Group'], ops: ['eq'] },
} as const;

/** `GET /policies/roleManagementPolicies`: the mandatory scope filter, `$expand=rules,effectiveRules`. */
export const policyListSpec = {
  fields: scopeFields,
  expand: ['rules', 'effectiveRules'],
  select: policyFields,
  orderBy: [],
} as const;

/** `GET /policies/roleManagementPolicyAssignments`: the scope filter, optionally a role; `$expand=policy`. */
export const policyAssignmentListSpec = {
  // A role definition's id, or for a group policy `member` or `owner`.
  fields: { ...scopeFields, roleDefinitionId: { type: 'string', ops: ['eq'] } },
  expand: ['policy', 'policy/rules', 'policy/effectiveRules'],
  select: ['id', 'policyId', 'scopeId', 'scopeType', 'roleDefinitionId'],
  orderBy: [],
} as const;

// ---------------------------------------------------------------- response schemas (STYLE §9)

const ruleTarget = z.object({
  caller: z.string(),
  operations: z.array(z.string()),
  level: z.string(),
  inheritableSettings: z.array(z.string()),
  enforcedSettings: z.array(z.string()),
  targetObjects: z.array(z.unknown()),
});

/** A rule: the base properties are checked; the derived type's properties are toGraphRule's, kept as they are. */
export const graphRuleSchema = z.looseObject({
  '@odata.type': z.string(),
  id: z.string(),
  target: ruleTarget,
});

export const graphPolicySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string(),
  isOrganizationDefault: z.boolean(),
  scopeId: z.string(),
  scopeType: z.string(),
  lastModifiedDateTime: z.string().nullable(),
  lastModifiedBy: z.object({ displayName: z.string().nullable(), id: z.string().nullable() }),
  rules: z.array(graphRuleSchema).optional(),
  effectiveRules: z.array(graphRuleSchema).optional(),
});

export const graphPolicyAssignmentSchema = z.object({
  id: z.string(),
  policyId: z.string(),
  scopeId: z.string(),
  scopeType: z.string(),
  roleDefinitionId: z.string(),
  policy: graphPolicySchema.optional(),
});

const context = { '@odata.context': z.string() };

/** A single entity with its `@odata.context`. */
export const entityResponse = <T extends z.ZodObject>(schema: T) => schema.extend(context);

/** Graph's collection envelope; items may be cut down by `$select`. */
export const collectionSchema = <T extends z.ZodObject>(item: T) =>
  z.object({
    ...context,
    '@odata.count': z.number().optional(),
    value: z.array(item.partial()),
    '@odata.nextLink': z.string().optional(),
  });
