import type { AuditModifiedProperty, AuditRecord, AuditTargetType } from '../../core/audit/audit-record.js';
import type { CallContext } from '../context.js';
import { auditInitiator } from '../shared/audit-initiator.js';

/** An audit record for a directory change (users, groups, service principals, roles), as Core Directory logs it. */
export function directoryAudit(
  ctx: CallContext,
  e: {
    id: string;
    at: Date;
    activity: string;
    operationType: AuditRecord['operationType'];
    target: { id: string; displayName: string; type: AuditTargetType; userPrincipalName?: string };
    modifiedProperties?: AuditModifiedProperty[];
    related?: { id: string; displayName: string; type: AuditTargetType }[];
    category?: AuditRecord['category'];
  },
): AuditRecord {
  const category =
    e.category ??
    (e.target.type === 'User'
      ? 'UserManagement'
      : e.target.type === 'Group'
        ? 'GroupManagement'
        : e.target.type === 'ServicePrincipal'
          ? 'ApplicationManagement'
          : e.target.type === 'Role'
            ? 'RoleManagement'
            : 'DirectoryManagement');
  return {
    id: e.id,
    activityDateTime: e.at,
    category,
    activityDisplayName: e.activity,
    operationType: e.operationType,
    result: 'success',
    resultReason: null,
    loggedByService: 'Core Directory',
    correlationId: ctx.requestId,
    initiatedBy: auditInitiator(ctx.actor),
    targetResources: [
      { ...e.target, modifiedProperties: e.modifiedProperties ?? [] },
      ...(e.related ?? []).map((r) => ({ ...r, modifiedProperties: [] })),
    ],
    additionalDetails: [],
  };
}

/** The properties a patch changes, as audit `modifiedProperties` (JSON old and new values). */
export function changedProperties<T extends object, K extends keyof T & string>(
  before: T,
  patch: Partial<Pick<T, K>>,
  keys: readonly K[],
): AuditModifiedProperty[] {
  return keys
    .filter((k) => patch[k] !== undefined && patch[k] !== before[k])
    .map((k) => ({
      displayName: k,
      oldValue: JSON.stringify(before[k]),
      newValue: JSON.stringify(patch[k]),
    }));
}
