import type { RuleInput } from '../../../app/policies/update-policy-rules.js';
import type { ResourcePolicyView } from '../../../app/resources/resource-policy-service.js';
import { type PolicyRule, policyRuleIds } from '../../../core/model/policy.js';
import type { RuleKind } from '../../../core/policy/rule-ids.js';
import { armScopeTypeWord } from '../../../core/scope/resource-scope.js';
import { graphRuleTypes, parseGraphRule } from '../../graph/shapes/policy-rule-schema.js';
import { toGraphRule } from '../../graph/shapes/policy-shapes.js';
import { invalidContent } from '../arm-errors.js';
import { authorizationId, pascal, roleDefinitionArmId } from './arm-common.js';

/** ARM's `ruleType` for each kind of rule (research §2.5, ARM sample policy). */
const armRuleTypes: Readonly<Record<RuleKind, string>> = {
  expiration: 'RoleManagementPolicyExpirationRule',
  enablement: 'RoleManagementPolicyEnablementRule',
  authenticationContext: 'RoleManagementPolicyAuthenticationContextRule',
  approval: 'RoleManagementPolicyApprovalRule',
  notification: 'RoleManagementPolicyNotificationRule',
};
const kindByArmType = new Map(Object.entries(armRuleTypes).map(([k, v]) => [v.toLowerCase(), k as RuleKind]));

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const orNull = (list: readonly unknown[]) => (list.length === 0 ? null : list);

const toArmApprover = (a: Json) => ({
  id: (a.userId ?? a.groupId) as string,
  description: a.description ?? null,
  isBackup: false,
  userType: a.userId ? 'User' : 'Group',
});

/** One rule in ARM's spelling: `ruleType` for the derived type, approvers as `{ id, userType }`, empty lists null. */
function toArmRule(rule: PolicyRule): Json {
  const { '@odata.type': _, target, ...rest } = toGraphRule(rule);
  const armTarget = {
    caller: target.caller,
    operations: target.operations.map(pascal),
    level: target.level,
    targetObjects: null,
    inheritableSettings: orNull(target.inheritableSettings),
    enforcedSettings: orNull(target.enforcedSettings),
  };
  if (rule.type === 'approval') {
    const setting = rest.setting as Json & { approvalStages: Json[] };
    return {
      ...rest,
      ruleType: armRuleTypes.approval,
      setting: {
        ...setting,
        approvalStages: setting.approvalStages.map((s) => ({
          ...s,
          primaryApprovers: (s.primaryApprovers as Json[]).map(toArmApprover),
          escalationApprovers: orNull((s.escalationApprovers as Json[]).map(toArmApprover)),
        })),
      },
      target: armTarget,
    };
  }
  return { ...rest, ruleType: armRuleTypes[rule.type], target: armTarget };
}

const ruleList = (v: ResourcePolicyView) => policyRuleIds.map((id) => toArmRule(v.policy.rules[id]));

const lastModifiedBy = (v: ResourcePolicyView) =>
  v.policy.lastModifiedBy
    ? {
        id: v.policy.lastModifiedBy.id,
        displayName: v.policy.lastModifiedBy.displayName,
        type: null,
        email: null,
      }
    : null;

const scopeObject = (v: ResourcePolicyView) => ({
  id: v.scope.path,
  displayName: v.scope.displayName,
  type: armScopeTypeWord(v.scope.type),
});

/** A policy (role settings of one role at one scope) as ARM returns it (research §9.3). */
export function toArmPolicy(v: ResourcePolicyView) {
  return {
    properties: {
      scope: v.scope.path,
      displayName: null,
      description: null,
      isOrganizationDefault: false,
      lastModifiedBy: lastModifiedBy(v),
      lastModifiedDateTime: v.policy.lastModifiedAt?.toISOString() ?? null,
      rules: ruleList(v),
      effectiveRules: ruleList(v),
      policyProperties: { scope: scopeObject(v) },
    },
    name: v.policy.id,
    id: authorizationId(v.scope.path, 'roleManagementPolicies', v.policy.id),
    type: 'Microsoft.Authorization/RoleManagementPolicies',
  };
}

/** A policy assignment (the policy seen from its role) as ARM returns it (research §9.3). */
export function toArmPolicyAssignment(v: ResourcePolicyView) {
  const name = `${v.policy.id}_${v.role.id}`;
  const policyId = authorizationId(v.scope.path, 'roleManagementPolicies', v.policy.id);
  const roleDefinitionId = roleDefinitionArmId(v.scope.path, v.role.id);
  return {
    properties: {
      scope: v.scope.path,
      roleDefinitionId,
      policyId,
      effectiveRules: ruleList(v),
      policyAssignmentProperties: {
        scope: scopeObject(v),
        roleDefinition: { id: roleDefinitionId, displayName: v.role.roleName, type: 'BuiltInRole' },
        policy: {
          id: policyId,
          lastModifiedBy: lastModifiedBy(v),
          lastModifiedDateTime: v.policy.lastModifiedAt?.toISOString() ?? null,
        },
      },
    },
    name,
    id: authorizationId(v.scope.path, 'roleManagementPolicyAssignments', name),
    type: 'Microsoft.Authorization/RoleManagementPolicyAssignment',
  };
}

/** ARM's approver `{ id, description, isBackup, userType }` in Graph's subject-set spelling. */
function toGraphApprover(a: unknown, at: string, errors: string[]): unknown {
  if (!isObject(a)) return a;
  const { id, description, isBackup, userType, ...extra } = a;
  for (const key of Object.keys(extra)) errors.push(`${at}.${key}: is not a property of an approver`);
  if (isBackup === true) errors.push(`${at}.isBackup: backup approvers are not supported; send false`);
  const type = typeof userType === 'string' ? userType.toLowerCase() : userType;
  if (type !== 'user' && type !== 'group') errors.push(`${at}.userType: must be 'User' or 'Group'`);
  return type === 'group'
    ? { '@odata.type': '#microsoft.graph.groupMembers', groupId: id, description }
    : { '@odata.type': '#microsoft.graph.singleUser', userId: id, description };
}

/** One ARM rule in Graph's spelling, so the Graph rule reader (and its checks) read it. */
function toGraphRuleJson(rule: Json, at: string, errors: string[]): Json {
  const { ruleType, target, exceptionMembers, setting, ...rest } = rule;
  const kind = typeof ruleType === 'string' ? kindByArmType.get(ruleType.toLowerCase()) : undefined;
  if (!kind) {
    errors.push(`${at}.ruleType: must be one of ${Object.values(armRuleTypes).join(', ')}`);
  }
  if (exceptionMembers !== undefined && exceptionMembers !== null) {
    errors.push(`${at}.exceptionMembers: exception members are not supported; leave it out or null`);
  }
  const out: Json = { ...rest, ...(kind ? { '@odata.type': `#${graphRuleTypes[kind]}` } : {}) };
  if (isObject(target)) {
    out.target = Object.fromEntries(Object.entries(target).filter(([, v]) => v !== null));
  } else if (target !== undefined && target !== null) out.target = target;
  if (setting !== undefined) {
    out.setting =
      isObject(setting) && Array.isArray(setting.approvalStages)
        ? {
            ...setting,
            approvalStages: setting.approvalStages.map((s: unknown, i) =>
              isObject(s)
                ? {
                    ...s,
                    primaryApprovers: Array.isArray(s.primaryApprovers)
                      ? s.primaryApprovers.map((a: unknown, j) =>
                          toGraphApprover(
                            a,
                            `${at}.setting.approvalStages[${i}].primaryApprovers[${j}]`,
                            errors,
                          ),
                        )
                      : s.primaryApprovers,
                    escalationApprovers: Array.isArray(s.escalationApprovers)
                      ? s.escalationApprovers.map((a: unknown, j) =>
                          toGraphApprover(
                            a,
                            `${at}.setting.approvalStages[${i}].escalationApprovers[${j}]`,
                            errors,
                          ),
                        )
                      : s.escalationApprovers,
                  }
                : s,
            ),
          }
        : setting;
  }
  if (out.claimValue === '') out.claimValue = null;
  return out;
}

/**
 * Reads an ARM policy PATCH, `{ "properties": { "rules": [ … ] } }` (research §9.3): each rule named by its id,
 * at most once, in ARM's spelling. Problems come back as RuleInput errors, every one named by its path; a body
 * that is not that shape at all is a 400 at once.
 */
export function readPolicyPatch(body: unknown): RuleInput[] {
  if (!isObject(body) || !isObject(body.properties)) {
    throw invalidContent('The request content must be { "properties": { "rules": [ … ] } }.');
  }
  const problems = Object.keys(body)
    .filter((k) => k !== 'properties')
    .map((k) => `${k}: is not a property of a role management policy update`);
  const { rules, ...others } = body.properties;
  problems.push(
    ...Object.keys(others).map(
      (k) => `properties.${k}: is read-only or unknown; a policy changes only through its rules`,
    ),
  );
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > policyRuleIds.length) {
    throw invalidContent(
      [...problems, `properties.rules: must list 1 to ${policyRuleIds.length} rules`].join('; '),
    );
  }
  const results: RuleInput[] = problems.length > 0 ? [{ errors: problems }] : [];
  const seen = new Set<string>();
  rules.forEach((rule: unknown, i) => {
    const at = `properties.rules[${i}]`;
    if (!isObject(rule) || typeof rule.id !== 'string') {
      results.push({ errors: [`${at}.id: is required; name the rule, e.g. Expiration_EndUser_Assignment`] });
      return;
    }
    const key = rule.id.toLowerCase();
    if (seen.has(key)) {
      results.push({ errors: [`${at}: the rule ${rule.id} is listed more than once`] });
      return;
    }
    seen.add(key);
    const errors: string[] = [];
    const parsed = parseGraphRule(toGraphRuleJson(rule, at, errors), rule.id);
    const all = [
      ...errors,
      ...('errors' in parsed ? parsed.errors.map((e) => `${at} (${rule.id}): ${armWords(e)}`) : []),
    ];
    results.push(all.length > 0 ? { errors: all } : parsed);
  });
  return results;
}

/** Graph's words in a rule error, in ARM's: `@odata.type` is `ruleType`, approvers are named by `id`. */
const armWords = (message: string): string =>
  message
    .replace(/@odata\.type/g, 'ruleType')
    .replace(/\.(userId|groupId)\b/g, '.id')
    .replace(/#microsoft\.graph\.unifiedRoleManagementPolicy(\w+)Rule/g, 'RoleManagementPolicy$1Rule');
