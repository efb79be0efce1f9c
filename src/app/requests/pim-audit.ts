import { type PimPhase, pimActivity, pimCategory } from '../../core/audit/activities.js';
import type { AuditDetail, AuditRecord } from '../../core/audit/audit-record.js';
import type { Actor } from '../../core/model/principal.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import { auditInitiator } from '../shared/audit-initiator.js';

export interface PimAuditTarget {
  /** The role's display name, or for a group target the group's. */
  readonly targetDisplayName: string;
  readonly principalDisplayName: string;
  /** The window of the schedule the request made or changed, when there is one. */
  readonly window?: { readonly start: Date; readonly end: Date | null } | null;
}

/**
 * The audit record of a schedule request reaching `phase`, shaped as Entra's PIM entries (research §7.3): for a
 * directory role under RoleManagement with the role as first target, for a group (PIM for Groups) under
 * GroupManagement with the group as first target and its access id in the details (research §7.2), for an Azure
 * resource role under ResourceManagement with the role first and the resource scope fourth.
 */
export function pimAudit(args: {
  id: string;
  at: Date;
  actor: Actor;
  request: ScheduleRequest;
  phase: PimPhase;
  target: PimAuditTarget;
  reason?: string | null;
  extra?: AuditDetail[];
}): AuditRecord {
  const { request, target } = args;
  const end = target.window ? target.window.end : (request.scheduleInfo?.expiration.endDateTime ?? null);
  const permanent = target.window
    ? target.window.end === null
    : request.scheduleInfo?.expiration.type === 'noExpiration';
  const activity = pimActivity(
    request.kind,
    request.action,
    args.phase,
    permanent ? 'permanent' : 'timebound',
    request.targetKind,
  );
  const isGroup = request.targetKind === 'group';
  const isResource = request.targetKind === 'resourceRole';
  const details: AuditDetail[] = [
    { key: 'RequestId', value: request.id },
    ...(isGroup
      ? [
          { key: 'GroupId', value: request.scopeId },
          { key: 'AccessId', value: request.roleDefinitionId },
        ]
      : [
          { key: 'RoleDefinitionId', value: request.roleDefinitionId },
          { key: isResource ? 'Scope' : 'DirectoryScopeId', value: request.scopeId },
        ]),
    ...(request.justification ? [{ key: 'Justification', value: request.justification }] : []),
    ...(request.ticketInfo.ticketNumber
      ? [{ key: 'TicketNumber', value: request.ticketInfo.ticketNumber }]
      : []),
    ...(request.ticketInfo.ticketSystem
      ? [{ key: 'TicketSystem', value: request.ticketInfo.ticketSystem }]
      : []),
    ...(target.window ? [{ key: 'StartTime', value: target.window.start.toISOString() }] : []),
    ...(end ? [{ key: 'ExpirationTime', value: end.toISOString() }] : []),
    ...(args.extra ?? []),
  ];
  return {
    id: args.id,
    activityDateTime: args.at,
    category: pimCategory(request.targetKind),
    activityDisplayName: activity.activityDisplayName,
    operationType: activity.operationType,
    result: activity.result,
    resultReason: args.reason ?? request.justification ?? null,
    loggedByService: 'PIM',
    correlationId: request.id,
    initiatedBy: auditInitiator(args.actor),
    targetResources: [
      isGroup
        ? {
            id: request.scopeId,
            displayName: target.targetDisplayName,
            type: 'Group',
            modifiedProperties: [],
          }
        : {
            id: request.roleDefinitionId,
            displayName: target.targetDisplayName,
            type: 'Role',
            modifiedProperties: [],
          },
      {
        id: request.principalId,
        displayName: target.principalDisplayName,
        type:
          request.principalType === 'user'
            ? 'User'
            : request.principalType === 'group'
              ? 'Group'
              : 'ServicePrincipal',
        modifiedProperties: [],
      },
      { id: request.id, displayName: request.action, type: 'Request', modifiedProperties: [] },
      // Entra's resource-role records carry the resource fourth (research §7.3: TargetResources[3]).
      ...(isResource
        ? [
            {
              id: request.scopeId,
              displayName: request.scopeId,
              type: 'Other' as const,
              modifiedProperties: [],
            },
          ]
        : []),
    ],
    additionalDetails: details,
  };
}
