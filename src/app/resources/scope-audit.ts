import { type ResourceActivityName, resourceActivities } from '../../core/audit/activities.js';
import type { AuditModifiedProperty, AuditRecord } from '../../core/audit/audit-record.js';
import type { ResourceScope } from '../../core/scope/resource-scope.js';
import type { CallContext } from '../context.js';
import { auditInitiator } from '../shared/audit-initiator.js';

/**
 * The record of one change to the resource tree (onboarding, update or move, offboarding), logged by PIM under
 * ResourceManagement with the scope as target and what changed as modified properties.
 */
export function scopeAudit(args: {
  id: string;
  at: Date;
  ctx: CallContext;
  activity: ResourceActivityName;
  scope: ResourceScope;
  changes?: readonly AuditModifiedProperty[];
  details?: readonly { key: string; value: string }[];
}): AuditRecord {
  const activity = resourceActivities[args.activity];
  const { scope } = args;
  return {
    id: args.id,
    activityDateTime: args.at,
    category: 'ResourceManagement',
    activityDisplayName: activity.activityDisplayName,
    operationType: activity.operationType,
    result: 'success',
    resultReason: null,
    loggedByService: 'PIM',
    correlationId: args.ctx.requestId,
    initiatedBy: auditInitiator(args.ctx.actor),
    targetResources: [
      { id: scope.id, displayName: scope.displayName, type: 'Other', modifiedProperties: args.changes ?? [] },
    ],
    additionalDetails: [
      { key: 'ResourceType', value: scope.type },
      { key: 'ResourcePath', value: scope.path },
      ...(scope.parentId ? [{ key: 'ParentId', value: scope.parentId }] : []),
      ...(args.details ?? []),
    ],
  };
}
