import { type AzureRoleDefinition, azureRoles, findAzureRole } from '../../core/catalog/azure-roles.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { PolicyRules, RoleManagementPolicy } from '../../core/model/policy.js';
import { defaultResourceRoleRules } from '../../core/policy/default-rules.js';
import { getPolicy, insertPolicies, listPolicies } from '../../db/repositories/policy-repository.js';
import type { AppDeps, CallContext } from '../context.js';
import { type RuleInput, type UpdateRulesDeps, updatePolicyRules } from '../policies/update-policy-rules.js';
import { authorityAt, resolveScope, type ScopeRef } from './resource-context.js';

/** A resource role's policy with what ARM shows beside it. */
export interface ResourcePolicyView {
  readonly policy: RoleManagementPolicy;
  readonly scope: ScopeRef;
  readonly role: AzureRoleDefinition;
}

/**
 * Azure requires at least one approver when approval is on: "there are no default approvers" for resource
 * roles (Configure Azure resource role settings in PIM).
 */
function resourceApprovalErrors(rules: PolicyRules): string[] {
  const setting = rules.Approval_EndUser_Assignment.setting;
  if (!setting.isApprovalRequired) return [];
  const approvers = setting.approvalStages[0]?.primaryApprovers ?? [];
  return approvers.length > 0
    ? []
    : [
        'Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers must name at least one approver when isApprovalRequired is true: Azure resource roles have no default approvers',
      ];
}

/**
 * Role settings of Azure resource roles (ARM's roleManagementPolicies and roleManagementPolicyAssignments): one
 * policy per role and scope with Elevate's resource defaults, present from the first look (as every role has its
 * policy in Azure), never inherited from a scope above. Any signed-in principal reads them, as role settings are
 * read on the Graph surface; an Owner or User Access Administrator active at the scope or above changes them.
 */
export function createResourcePolicyService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & UpdateRulesDeps,
) {
  const { db, clock, ids } = deps;

  const roleOf = (policy: RoleManagementPolicy): AzureRoleDefinition =>
    findAzureRole(policy.roleDefinitionId) ?? {
      id: policy.roleDefinitionId,
      roleName: policy.roleDefinitionId,
      description: '',
      permissions: [],
    };

  /** Every built-in role's policy at the scope, the missing ones created with the defaults (not a change: not audited). */
  async function policiesAt(scope: ScopeRef): Promise<ResourcePolicyView[]> {
    const where = { targetKind: 'resourceRole', scopeType: 'Resource', scopeId: scope.id } as const;
    let policies = await listPolicies(db, where);
    const have = new Set(policies.map((p) => p.roleDefinitionId));
    const missing = azureRoles.filter((r) => !have.has(r.id));
    if (missing.length > 0) {
      await db.transaction().execute(async (trx) => {
        await insertPolicies(
          trx,
          missing.map((r) => ({
            id: ids.newId(),
            target: { ...where, roleDefinitionId: r.id },
            rules: defaultResourceRoleRules(),
          })),
          clock.now(),
        );
      });
      policies = await listPolicies(db, where);
    }
    return policies.map((policy) => ({ policy, scope, role: roleOf(policy) }));
  }

  async function find(_ctx: CallContext, scopeId: string, name: string): Promise<ResourcePolicyView> {
    const scope = await resolveScope(db, scopeId);
    const policy = /^[0-9a-f-]{36}$/i.test(name) ? await getPolicy(db, name.toLowerCase()) : undefined;
    if (policy?.targetKind !== 'resourceRole' || policy.scopeId !== scope.id) {
      throw notFound('Role management policy', name);
    }
    return { policy, scope, role: roleOf(policy) };
  }

  return {
    /** The policies at a scope, one per built-in Azure role. */
    async list(_ctx: CallContext, scopeId: string): Promise<ResourcePolicyView[]> {
      return policiesAt(await resolveScope(db, scopeId));
    },

    get: find,

    /**
     * Replaces some rules of a policy (ARM PATCH with `properties.rules`), all or none, audited as "Update role
     * setting in PIM" (ResourceManagement); approval needs a named approver.
     */
    async update(
      ctx: CallContext,
      scopeId: string,
      name: string,
      inputs: readonly RuleInput[],
    ): Promise<ResourcePolicyView> {
      const found = await find(ctx, scopeId, name);
      await updatePolicyRules(deps, ctx, found.policy.id, inputs, {
        targetKinds: ['resourceRole'],
        check: resourceApprovalErrors,
        authorize: async (_policy, trx) => {
          if (ctx.actor.isSystem) return;
          const authority = await authorityAt(trx, ctx.actor, found.scope.ancestors, clock.now());
          if (authority.managesSettings) return;
          throw new ElevateError(
            'auth.forbidden',
            `The client '${ctx.actor.displayName}' with object id '${ctx.actor.id}' does not have authorization to perform action 'Microsoft.Authorization/roleManagementPolicies/write' over scope '${found.scope.path}': changing role settings needs Owner or User Access Administrator active at that scope or above.`,
          );
        },
      });
      return find(ctx, scopeId, name);
    },

    /** The policy assignments at a scope (one per role), optionally of one role only. */
    async assignments(
      _ctx: CallContext,
      scopeId: string,
      roleDefinitionId?: string,
    ): Promise<ResourcePolicyView[]> {
      const all = await policiesAt(await resolveScope(db, scopeId));
      return roleDefinitionId === undefined
        ? all
        : all.filter((v) => v.policy.roleDefinitionId === roleDefinitionId.toLowerCase());
    },

    /** The assignment `{policyGuid}_{roleGuid}` at a scope. */
    async assignment(ctx: CallContext, scopeId: string, name: string): Promise<ResourcePolicyView> {
      const [policyName, roleId, ...rest] = name.split('_');
      const found =
        policyName && roleId && rest.length === 0
          ? await find(ctx, scopeId, policyName).catch(() => undefined)
          : undefined;
      if (!found || found.policy.roleDefinitionId !== roleId?.toLowerCase()) {
        throw notFound('Role management policy assignment', name);
      }
      return found;
    },
  };
}

export type ResourcePolicyService = ReturnType<typeof createResourcePolicyService>;
