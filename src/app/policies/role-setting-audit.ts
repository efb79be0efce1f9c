import { pimActivities, pimCategory } from '../../core/audit/activities.js';
import type { AuditRecord } from '../../core/audit/audit-record.js';
import type { PolicyRuleId, RoleManagementPolicy } from '../../core/model/policy.js';
import type { RuleChange } from '../../core/policy/describe-rules.js';
import type { CallContext } from '../context.js';
import { auditInitiator } from '../shared/audit-initiator.js';

/**
 * The "Update role setting in PIM" record (research §7.2) of one save of a policy's rules: the policy,
 * with one modified property per changed setting (`Expiration_EndUser_Assignment.maximumDuration`, old
 * and new values as JSON), and the role (RoleManagement) or group (GroupManagement) it governs.
 */
export function roleSettingAudit(args: {
  id: string;
  at: Date;
  ctx: CallContext;
  policy: RoleManagementPolicy;
  /** The role, or for a group policy the group. */
  role: { id: string; displayName: string };
  ruleIds: readonly PolicyRuleId[];
  changes: readonly RuleChange[];
}): AuditRecord {
  const { policy, role } = args;
  const activity = pimActivities.updateRoleSetting;
  return {
    id: args.id,
    activityDateTime: args.at,
    category: pimCategory(policy.targetKind),
    activityDisplayName: activity.activityDisplayName,
    operationType: activity.operationType,
    result: 'success',
    resultReason: null,
    loggedByService: 'PIM',
    correlationId: args.ctx.requestId,
    initiatedBy: auditInitiator(args.ctx.actor),
    targetResources: [
      {
        id: policy.id,
        displayName:
          policy.targetKind === 'group'
            ? `Settings of the ${policy.roleDefinitionId === 'owner' ? 'ownership' : 'membership'} of group ${role.displayName}`
            : `Role settings of ${role.displayName} at ${policy.scopeId}`,
        type: 'Policy',
        modifiedProperties: args.changes.map((c) => ({
          displayName: `${c.ruleId}.${c.field}`,
          oldValue: JSON.stringify(c.before),
          newValue: JSON.stringify(c.after),
        })),
      },
      {
        id: role.id,
        displayName: role.displayName,
        type: policy.targetKind === 'group' ? 'Group' : 'Role',
        modifiedProperties: [],
      },
    ],
    additionalDetails: [
      { key: 'RuleId', value: args.ruleIds.join(',') },
      { key: 'PolicyId', value: policy.id },
      ...(policy.targetKind === 'group'
        ? [
            { key: 'GroupId', value: policy.scopeId },
            { key: 'AccessId', value: policy.roleDefinitionId },
          ]
        : [
            { key: 'RoleDefinitionId', value: policy.roleDefinitionId },
            {
              key: policy.targetKind === 'resourceRole' ? 'Scope' : 'DirectoryScopeId',
              value: policy.scopeId,
            },
          ]),
    ],
  };
}
