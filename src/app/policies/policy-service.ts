import { ElevateError, notFound } from '../../core/errors.js';
import { type PolicyRule, policyRuleIds, type RoleManagementPolicy } from '../../core/model/policy.js';
import { canonicalRuleId } from '../../core/policy/rule-ids.js';
import { parseDirectoryScope } from '../../core/scope/scope-path.js';
import { getPolicy as findPolicy, listPolicies } from '../../db/repositories/policy-repository.js';
import type { AppDeps, CallContext } from '../context.js';
import { directoryRolePolicies } from './directory-role-policies.js';
import { groupPolicies } from './group-policies.js';
import {
  type RuleInput,
  requireRoleSettingsAdmin,
  type UpdateRulesDeps,
  updatePolicyRules,
} from './update-policy-rules.js';

/** What the mandatory `$filter` of the policy lists names (research §8.1). */
export interface PolicyScopeQuery {
  /**
   * `DirectoryRole`, or `Directory`, which Graph accepts for Entra roles too (research §2.1); `Group` for PIM
   * for Groups.
   */
  readonly scopeType: string;
  /** `/` (every role's tenant-wide policy) or `/administrativeUnits/{id}`; for `Group` the group's id. */
  readonly scopeId: string;
}

/**
 * Role settings (Graph's roleManagementPolicies and their assignments) of directory roles and of groups' membership
 * and ownership (PIM for Groups). Any signed-in principal may read them, as in Entra; only Privileged Role
 * Administrators and Global Administrators change them. A policy assignment is its policy seen from the role
 * (or access id): id `{policyId}_{roleDefinitionId}`, e.g. `Group_{groupId}_{guid}_member`.
 */
export function createPolicyService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & UpdateRulesDeps,
) {
  const { db } = deps;

  async function listForScope(query: PolicyScopeQuery): Promise<RoleManagementPolicy[]> {
    if (query.scopeType === 'Group') return groupPolicies(deps, query.scopeId);
    if (query.scopeType !== 'DirectoryRole' && query.scopeType !== 'Directory') {
      throw new ElevateError(
        'request.invalid',
        `scopeType '${query.scopeType}' is not served here; directory role policies have scopeType 'DirectoryRole' (or 'Directory'), group policies 'Group'.`,
      );
    }
    const scope = parseDirectoryScope(query.scopeId);
    if (scope === null) {
      throw new ElevateError(
        'request.invalid',
        `scopeId '${query.scopeId}' is not a directory scope; use '/' or '/administrativeUnits/{id}'.`,
      );
    }
    if (scope.kind === 'directory') return directoryRolePolicies(deps);
    // Policies below the tenant exist only where someone has used the scope (invariant: one per role and scope).
    return listPolicies(db, {
      targetKind: 'directoryRole',
      scopeType: 'DirectoryRole',
      scopeId: `/administrativeUnits/${scope.id}`,
    });
  }

  async function getPolicy(_ctx: CallContext, id: string): Promise<RoleManagementPolicy> {
    const policy = await findPolicy(db, id);
    // Resource roles' policies live on the ARM surface ({scope}/providers/Microsoft.Authorization/…).
    if (!policy || policy.targetKind === 'resourceRole') throw notFound('Role management policy', id);
    return policy;
  }

  return {
    /** The policies of a scope: at `/` one per role definition (made on first sight), elsewhere those that exist. */
    listPolicies: (_ctx: CallContext, query: PolicyScopeQuery) => listForScope(query),

    getPolicy,

    /** One of the policy's 17 rules; the id matches in any letter case. */
    async getRule(ctx: CallContext, policyId: string, ruleId: string): Promise<PolicyRule> {
      const policy = await getPolicy(ctx, policyId);
      const id = canonicalRuleId(ruleId);
      if (id === null) throw unknownRule(ruleId);
      return policy.rules[id];
    },

    /** Replaces one rule (`PATCH …/rules/{ruleId}`); see updatePolicyRules. */
    async updateRule(ctx: CallContext, policyId: string, ruleId: string, input: RuleInput): Promise<void> {
      requireRoleSettingsAdmin(ctx);
      if (canonicalRuleId(ruleId) === null) {
        await getPolicy(ctx, policyId);
        throw unknownRule(ruleId);
      }
      await updatePolicyRules(deps, ctx, policyId, [input]);
    },

    /** Replaces several rules at once, all or nothing (`PATCH` of the policy with `rules`). */
    updateRules: (ctx: CallContext, policyId: string, inputs: readonly RuleInput[]) =>
      updatePolicyRules(deps, ctx, policyId, inputs),

    /** The policy assignments of a scope, optionally of one role or group access id (an unknown one has none). */
    async listPolicyAssignments(
      _ctx: CallContext,
      query: PolicyScopeQuery & { readonly roleDefinitionId?: string },
    ): Promise<RoleManagementPolicy[]> {
      const policies = await listForScope(query);
      const roleId = query.roleDefinitionId?.toLowerCase();
      // For groups the "role" is the access id, member or owner.
      return roleId === undefined ? policies : policies.filter((p) => p.roleDefinitionId === roleId);
    },

    /** The assignment `{policyId}_{roleDefinitionId}`; unknown when the role is not the policy's. */
    async getPolicyAssignment(_ctx: CallContext, id: string): Promise<RoleManagementPolicy> {
      const cut = id.lastIndexOf('_');
      const policy = cut > 0 ? await findPolicy(db, id.slice(0, cut)) : undefined;
      if (
        !policy ||
        policy.targetKind === 'resourceRole' ||
        policy.roleDefinitionId !== id.slice(cut + 1).toLowerCase()
      ) {
        throw notFound('Role management policy assignment', id);
      }
      return policy;
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;

const unknownRule = (ruleId: string): ElevateError =>
  new ElevateError(
    'resource.not_found',
    `Rule '${ruleId}' is not a rule of a role management policy; the rules are ${policyRuleIds.join(', ')}.`,
    { target: ruleId },
  );
