import { canManageRoleAssignments, requirePermission } from '../../core/authorization/permissions.js';
import { findAzureRole } from '../../core/catalog/azure-roles.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type {
  ApprovalStage,
  ApproverSubject,
  PolicyRule,
  PolicyRuleId,
  PolicyRules,
  RoleManagementPolicy,
} from '../../core/model/policy.js';
import type { TargetKind } from '../../core/model/schedule.js';
import { applyRuleUpdate } from '../../core/policy/apply-rule-update.js';
import { diffRules } from '../../core/policy/describe-rules.js';
import { getPolicyForUpdate, savePolicyRules } from '../../db/repositories/policy-repository.js';
import { findPrincipal } from '../../db/repositories/principal-repository.js';
import { findRoleDefinition } from '../../db/repositories/role-lookup.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext, Executor } from '../context.js';
import type { Announcer } from '../events/announcer.js';
import { roleSettingAudit } from './role-setting-audit.js';

/** One rule read from a request body, or why it could not be read (each message names the field). */
export type RuleInput = { readonly rule: PolicyRule } | { readonly errors: readonly string[] };

export type UpdateRulesDeps = Pick<AppDeps, 'db' | 'clock' | 'ids'> & {
  readonly audit: AuditWriter;
  /** Publishes `elevate.settings.updated` in the change's transaction. */
  readonly announcer?: Announcer;
};

/** The policies Graph serves: directory roles and PIM for Groups (resource roles' are ARM's). */
const graphTargetKinds: readonly TargetKind[] = ['directoryRole', 'group'];

export interface UpdateRulesOptions {
  /** The kinds of policy the caller's surface changes; a policy of another kind is not found. */
  readonly targetKinds?: readonly TargetKind[];
  /**
   * Decides whether the caller may change this policy (reading through `trx`, the change's transaction); by
   * default only role administrators may.
   */
  readonly authorize?: (policy: RoleManagementPolicy, trx: Executor) => Promise<void>;
  /** More checks of the rules as they would be saved, each problem as a message. */
  readonly check?: (rules: PolicyRules) => string[];
}

/** Invariant 8: only Privileged Role Administrators and Global Administrators change role settings. */
export function requireRoleSettingsAdmin(ctx: CallContext): void {
  requirePermission(
    canManageRoleAssignments(ctx.actor),
    'change role settings',
    'Privileged Role Administrator or Global Administrator',
  );
}

/**
 * Replaces rules of one policy (Graph `PATCH …/rules/{id}`, or `PATCH` of the policy with several rules):
 * all of them or none. The policy row is locked for the whole change, so concurrent updates of different
 * rules both persist. Every problem with every rule is reported in one `request.invalid`; approvers must
 * name users and groups of the directory, and their read-only `description` becomes that name. The save
 * and its one "Update role setting in PIM" audit record commit together.
 */
export async function updatePolicyRules(
  deps: UpdateRulesDeps,
  ctx: CallContext,
  policyId: string,
  inputs: readonly RuleInput[],
  options: UpdateRulesOptions = {},
): Promise<void> {
  const kinds = options.targetKinds ?? graphTargetKinds;
  if (!options.authorize) requireRoleSettingsAdmin(ctx);
  await deps.db.transaction().execute(async (trx) => {
    const policy = await getPolicyForUpdate(trx, policyId);
    if (!policy || !kinds.includes(policy.targetKind)) throw notFound('Role management policy', policyId);
    await options.authorize?.(policy, trx);
    const errors: string[] = [];
    const updated: PolicyRuleId[] = [];
    let rules: PolicyRules = policy.rules;
    for (const input of inputs) {
      if ('errors' in input) {
        errors.push(...input.errors);
        continue;
      }
      const outcome = await applyWithApprovers(trx, rules, input.rule);
      if ('errors' in outcome) errors.push(...outcome.errors);
      else {
        rules = outcome.rules;
        updated.push(input.rule.id);
      }
    }
    if (errors.length === 0 && options.check) errors.push(...options.check(rules));
    if (errors.length > 0 || updated.length === 0) {
      const reasons = errors.length > 0 ? errors.join('; ') : 'the request names no rule';
      throw new ElevateError(
        'request.invalid',
        `The role settings of policy '${policyId}' were not changed: ${reasons}.`,
      );
    }
    const now = deps.clock.now();
    await savePolicyRules(trx, policy.id, rules, {
      at: now,
      by: { id: ctx.actor.id, displayName: ctx.actor.displayName },
    });
    const role = await governedBy(trx, policy);
    await deps.announcer?.announce(trx, ctx.actor, now, [
      {
        type: 'elevate.settings.updated',
        subject: policy.id,
        principalId: ctx.actor.id,
        target: {
          targetKind: policy.targetKind,
          roleDefinitionId: policy.roleDefinitionId,
          scopeId: policy.scopeId,
        },
        kind: 'assignment',
        changedRules: updated,
      },
    ]);
    await deps.audit.append(trx, [
      roleSettingAudit({
        id: deps.ids.newId(),
        at: now,
        ctx,
        policy,
        role,
        ruleIds: updated,
        changes: diffRules(policy.rules, rules),
      }),
    ]);
  });
}

/** The role a policy governs, or for a group policy the group; its id stands in when it no longer exists. */
async function governedBy(
  db: Executor,
  policy: RoleManagementPolicy,
): Promise<{ id: string; displayName: string }> {
  if (policy.targetKind === 'resourceRole') {
    const role = findAzureRole(policy.roleDefinitionId);
    return { id: policy.roleDefinitionId, displayName: role?.roleName ?? policy.roleDefinitionId };
  }
  if (policy.targetKind === 'group') {
    const group = await db
      .selectFrom('groups')
      .select(['id', 'display_name'])
      .where('id', '=', policy.scopeId)
      .executeTakeFirst();
    return { id: policy.scopeId, displayName: group?.display_name ?? policy.scopeId };
  }
  const role = await findRoleDefinition(db, policy.roleDefinitionId);
  return role ?? { id: policy.roleDefinitionId, displayName: policy.roleDefinitionId };
}

type Outcome = { readonly rules: PolicyRules } | { readonly errors: readonly string[] };

async function applyWithApprovers(db: Executor, rules: PolicyRules, rule: PolicyRule): Promise<Outcome> {
  const checked = applyRuleUpdate(rules, rule);
  if ('errors' in checked || rule.type !== 'approval') return checked;
  const errors: string[] = [];
  const approvalStages: ApprovalStage[] = [];
  for (const [i, stage] of rule.setting.approvalStages.entries()) {
    const primaryApprovers: ApproverSubject[] = [];
    for (const [j, approver] of stage.primaryApprovers.entries()) {
      const at = `${rule.id}.setting.approvalStages[${i}].primaryApprovers[${j}]`;
      const named = await nameApprover(db, approver);
      if (named) primaryApprovers.push(named);
      else if (approver.kind === 'singleUser') {
        errors.push(`${at}.userId must name a user of the directory; no user has the id ${approver.userId}`);
      } else {
        errors.push(
          `${at}.groupId must name a group of the directory; no group has the id ${approver.groupId}`,
        );
      }
    }
    approvalStages.push({ ...stage, primaryApprovers });
  }
  if (errors.length > 0) return { errors };
  return applyRuleUpdate(rules, { ...rule, setting: { ...rule.setting, approvalStages } });
}

/** The approver with Graph's read-only description set to its display name, or null when it names nobody. */
async function nameApprover(db: Executor, approver: ApproverSubject): Promise<ApproverSubject | null> {
  const id = approver.kind === 'singleUser' ? approver.userId : approver.groupId;
  const principal = await findPrincipal(db, id);
  const wanted = approver.kind === 'singleUser' ? 'user' : 'group';
  if (principal?.type !== wanted) return null;
  return { ...approver, description: principal.displayName };
}
