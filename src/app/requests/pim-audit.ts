import { type PimPhase, pimActivity, pimCategory } from '../../core/audit/activities.js';
import type { AuditDetail, AuditRecord } from '../../core/audit/audit-record.js';
import type { Actor } from '../../core/model/principal.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import { auditInitiator } from '../shared/audit-initiator.js';

export interface PimAuditTarget {
  readonly roleDisplayName: string;
  readonly principalDisplayName: string;
  /** The window of the schedule the request made or changed, when there is one. */
  readonly window?: { readonly start: Date; readonly end: Date | null } | null;
}

/** The audit record of a schedule request reaching `phase`, shaped as Entra's PIM entries (research §7.3). */
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
  );
  const details: AuditDetail[] = [
    { key: 'RequestId', value: request.id },
    { key: 'RoleDefinitionId', value: request.roleDefinitionId },
    { key: 'DirectoryScopeId', value: request.directoryScopeId },
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
    category: pimCategory('directoryRole'),
    activityDisplayName: activity.activityDisplayName,
    operationType: activity.operationType,
    result: activity.result,
    resultReason: args.reason ?? request.justification ?? null,
    loggedByService: 'PIM',
    correlationId: request.id,
    initiatedBy: auditInitiator(args.actor),
    targetResources: [
      {
        id: request.roleDefinitionId,
        displayName: target.roleDisplayName,
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
    ],
    additionalDetails: details,
  };
}
