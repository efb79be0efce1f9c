import { pimActivity, pimCategory, resourceActivities } from '../../core/audit/activities.js';
import type { AuditDetail, AuditRecord, AuditTargetResource } from '../../core/audit/audit-record.js';
import type { ScheduleInsert, ScopeInsert } from '../../db/repositories/bulk-import-repository.js';
import type { CallContext } from '../context.js';
import { directoryAudit } from '../directory/directory-audit.js';
import { auditInitiator } from '../shared/audit-initiator.js';

/**
 * The audit records of `elevate import tenant` (invariant 5: every state change is audited in its
 * transaction): one per row the import inserted or changed, in the words the same change made through the API
 * is logged with — "Onboarded resource from PIM", "Add user", "Add group", "Add member to group", "Add role
 * definition", and for role assignments the PIM admin-assign (or, for a window merged into an overlapping
 * one, admin-update) activity. Every record of one import shares its correlation id and names the file.
 */
export interface ImportAudit {
  scope(row: ScopeInsert): AuditRecord;
  user(row: { id: string; displayName: string; userPrincipalName: string }): AuditRecord;
  group(row: { id: string; displayName: string }): AuditRecord;
  membership(row: { groupId: string; memberId: string }): AuditRecord;
  roleDefinition(row: { id: string; displayName: string }): AuditRecord;
  /** A schedule inserted as it is (`merged` absent), or widened: `merged` is the live schedule it was merged into. */
  schedule(row: ScheduleInsert, merged?: string): AuditRecord;
}

export function importAudit(args: {
  ctx: CallContext;
  at: Date;
  /** The tenant file's name, as the records show it. */
  file: string;
  newId: () => string;
  /** Display names of principals and roles known so far (the file's own first; the id otherwise). */
  nameOf: (id: string) => string;
}): ImportAudit {
  const { ctx, at, newId, nameOf } = args;
  const source: AuditDetail = { key: 'ImportedFrom', value: args.file };
  const withSource = (record: AuditRecord): AuditRecord => ({
    ...record,
    additionalDetails: [...record.additionalDetails, source],
  });
  const directory = (
    activity: string,
    operationType: AuditRecord['operationType'],
    target: Parameters<typeof directoryAudit>[1]['target'],
    related?: Parameters<typeof directoryAudit>[1]['related'],
  ) =>
    withSource(
      directoryAudit(ctx, {
        id: newId(),
        at,
        activity,
        operationType,
        target,
        ...(related ? { related } : {}),
      }),
    );
  const principalTarget = (id: string, type: 'user' | 'group'): AuditTargetResource => ({
    id,
    displayName: nameOf(id),
    type: type === 'user' ? 'User' : 'Group',
    modifiedProperties: [],
  });

  return {
    scope(row) {
      const activity = resourceActivities.onboardResource;
      return {
        id: newId(),
        activityDateTime: at,
        category: 'ResourceManagement',
        ...activity,
        result: 'success',
        resultReason: null,
        loggedByService: 'PIM',
        correlationId: ctx.requestId,
        initiatedBy: auditInitiator(ctx.actor),
        targetResources: [{ id: row.id, displayName: row.name, type: 'Other', modifiedProperties: [] }],
        additionalDetails: [
          { key: 'ResourceType', value: row.type },
          { key: 'ResourcePath', value: row.path },
          ...(row.parentId ? [{ key: 'ParentId', value: row.parentId }] : []),
          source,
        ],
      };
    },
    user: (row) =>
      directory('Add user', 'Add', {
        id: row.id,
        displayName: row.displayName,
        type: 'User',
        userPrincipalName: row.userPrincipalName,
      }),
    group: (row) =>
      directory('Add group', 'Add', { id: row.id, displayName: row.displayName, type: 'Group' }),
    membership: (row) =>
      directory(
        'Add member to group',
        'Assign',
        { id: row.groupId, displayName: nameOf(row.groupId), type: 'Group' },
        [{ id: row.memberId, displayName: nameOf(row.memberId), type: 'User' }],
      ),
    roleDefinition: (row) =>
      directory('Add role definition', 'Add', { id: row.id, displayName: row.displayName, type: 'Role' }),
    schedule(row, merged) {
      const activity = pimActivity(
        row.kind,
        merged === undefined ? 'adminAssign' : 'adminUpdate',
        'completed',
        row.end === null ? 'permanent' : 'timebound',
        'resourceRole',
      );
      return {
        id: newId(),
        activityDateTime: at,
        category: pimCategory('resourceRole'),
        ...activity,
        resultReason: null,
        loggedByService: 'PIM',
        correlationId: ctx.requestId,
        initiatedBy: auditInitiator(ctx.actor),
        targetResources: [
          {
            id: row.roleDefinitionId,
            displayName: nameOf(row.roleDefinitionId),
            type: 'Role',
            modifiedProperties: [],
          },
          principalTarget(row.principalId, row.principalType),
          { id: row.scopeId, displayName: row.scopeId, type: 'Other', modifiedProperties: [] },
        ],
        additionalDetails: [
          { key: 'ScheduleId', value: merged ?? row.id },
          ...(merged === undefined ? [] : [{ key: 'MergedAssignmentId', value: row.id }]),
          { key: 'RoleDefinitionId', value: row.roleDefinitionId },
          { key: 'Scope', value: row.scopeId },
          { key: 'StartTime', value: row.start.toISOString() },
          ...(row.end ? [{ key: 'ExpirationTime', value: row.end.toISOString() }] : []),
          source,
        ],
      };
    },
  };
}
