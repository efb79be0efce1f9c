import { z } from 'zod';
import type { ScheduleInstance } from '../../../app/requests/schedule-service.js';
import {
  type ScheduleInfo,
  type ScheduleRequest,
  type ScheduleRequestInput,
  scheduleActions,
} from '../../../core/model/request.js';
import type { Schedule, ScheduleKind } from '../../../core/model/schedule.js';
import { boundedString, caseInsensitiveEnum, graphBody, guid, isoDateTime } from '../graph-body.js';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** Graph's `identitySet` for who made a request. */
export function identitySet(id: string, type: ScheduleRequest['createdByType']) {
  return type === 'user'
    ? { application: null, device: null, user: { displayName: null, id } }
    : { application: { displayName: null, id }, device: null, user: null };
}

export function toGraphScheduleInfo(s: ScheduleInfo | null, fallbackStart?: Date) {
  if (!s) return null;
  return {
    startDateTime: iso(s.startDateTime ?? fallbackStart ?? null),
    recurrence: null,
    expiration: {
      type: s.expiration.type,
      endDateTime: iso(s.expiration.endDateTime),
      duration: s.expiration.duration,
    },
  };
}

/** `unifiedRoleAssignmentScheduleRequest` / `unifiedRoleEligibilityScheduleRequest` (research §1.3). */
export function toGraphRequest(r: ScheduleRequest) {
  return {
    id: r.id,
    status: r.status,
    createdDateTime: r.createdAt.toISOString(),
    completedDateTime: iso(r.completedAt),
    approvalId: r.approvalId,
    customData: null,
    action: r.action,
    principalId: r.principalId,
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.scopeId,
    appScopeId: null,
    isValidationOnly: r.isValidationOnly,
    targetScheduleId: r.targetScheduleId,
    justification: r.justification,
    createdBy: identitySet(r.createdById, r.createdByType),
    scheduleInfo: toGraphScheduleInfo(r.scheduleInfo),
    ticketInfo: { ticketNumber: r.ticketInfo.ticketNumber, ticketSystem: r.ticketInfo.ticketSystem },
  };
}

const scheduleStatus = (s: Schedule): string =>
  s.status === 'Scheduled' ? 'Granted' : s.status === 'Provisioned' ? 'Provisioned' : s.status;

/** `unifiedRoleAssignmentSchedule` / `unifiedRoleEligibilitySchedule`. */
export function toGraphSchedule(s: Schedule) {
  return {
    id: s.id,
    principalId: s.principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.scopeId,
    appScopeId: null,
    createdUsing: s.createdUsing,
    createdDateTime: s.createdAt.toISOString(),
    modifiedDateTime: s.modifiedAt.toISOString(),
    status: scheduleStatus(s),
    memberType: 'Direct',
    ...(s.kind === 'assignment' ? { assignmentType: s.assignmentType ?? 'Assigned' } : {}),
    scheduleInfo: {
      startDateTime: s.start.toISOString(),
      recurrence: null,
      expiration: {
        type: s.end ? 'afterDateTime' : 'noExpiration',
        endDateTime: iso(s.end),
        duration: null,
      },
    },
  };
}

/** `unifiedRoleAssignmentScheduleInstance` / `unifiedRoleEligibilityScheduleInstance`. */
export function toGraphInstance(i: ScheduleInstance) {
  const s = i.schedule;
  const base = {
    id: i.id,
    principalId: i.principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.scopeId,
    appScopeId: null,
    startDateTime: s.start.toISOString(),
    endDateTime: iso(s.end),
    memberType: i.memberType,
  };
  return s.kind === 'assignment'
    ? {
        ...base,
        assignmentType: s.assignmentType ?? 'Assigned',
        roleAssignmentOriginId: s.id,
        roleAssignmentScheduleId: s.id,
      }
    : { ...base, roleEligibilityScheduleId: s.id };
}

const expiration = z
  .strictObject({
    '@odata.type': z.string().optional(),
    type: caseInsensitiveEnum([
      'notSpecified',
      'noExpiration',
      'afterDateTime',
      'afterDuration',
    ] as const).optional(),
    endDateTime: isoDateTime.nullable().optional(),
    duration: z
      .string()
      .max(64)
      .regex(
        /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/i,
        'must be an ISO 8601 duration such as PT8H',
      )
      .nullable()
      .optional(),
  })
  .superRefine((e, ctx) => {
    if (e.duration && e.type && e.type !== 'afterDuration') {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: "must be 'afterDuration' when duration is given",
      });
    }
    if (e.duration && e.endDateTime) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDateTime'],
        message: 'must be absent when duration is given',
      });
    }
    if (e.type === 'afterDuration' && !e.duration) {
      ctx.addIssue({
        code: 'custom',
        path: ['duration'],
        message: "is required when type is 'afterDuration'",
      });
    }
    if (e.type === 'afterDateTime' && !e.endDateTime) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDateTime'],
        message: "is required when type is 'afterDateTime'",
      });
    }
  });

/** `scheduleInfo` of a request body (requests of every target kind). */
export const scheduleInfoBody = z.strictObject({
  '@odata.type': z.string().optional(),
  startDateTime: isoDateTime.nullable().optional(),
  expiration: expiration.nullable().optional(),
  recurrence: z.null({ message: 'recurring schedules are not supported' }).optional(),
});

/** `ticketInfo` of a request body. */
export const ticketInfoBody = z
  .strictObject({
    '@odata.type': z.string().optional(),
    ticketNumber: boundedString(100).nullable().optional(),
    ticketSystem: boundedString(100).nullable().optional(),
  })
  .nullable()
  .optional();

/** POST body of a directory-role schedule request (either kind). */
export const scheduleRequestBody = graphBody({
  action: caseInsensitiveEnum(scheduleActions),
  principalId: guid,
  roleDefinitionId: boundedString(64).min(1),
  directoryScopeId: boundedString(512).min(1).nullable().optional(),
  appScopeId: boundedString(512).nullable().optional(),
  justification: boundedString(500).nullable().optional(),
  scheduleInfo: scheduleInfoBody.nullable().optional(),
  ticketInfo: ticketInfoBody,
  isValidationOnly: z.boolean().optional(),
  customData: boundedString(1024).nullable().optional(),
  targetScheduleId: boundedString(64).nullable().optional(),
});

export type ScheduleRequestBody = z.output<typeof scheduleRequestBody>;

/** Maps a validated body to the use case's input. */
export function toScheduleRequestInput(
  kind: ScheduleKind,
  b: ScheduleRequestBody,
): ScheduleRequestInput | string {
  if (b.appScopeId && b.appScopeId !== '/') return 'appScopeId is not supported; use directoryScopeId.';
  const directoryScopeId = b.directoryScopeId ?? (b.appScopeId === '/' ? '/' : null);
  if (!directoryScopeId) return 'directoryScopeId is required (use "/" for the whole directory).';
  return {
    kind,
    action: b.action,
    principalId: b.principalId,
    targetKind: 'directoryRole',
    roleDefinitionId: b.roleDefinitionId.toLowerCase(),
    scopeId: directoryScopeId,
    ...requestDetails(b),
  };
}

/** The parts of a request body every target kind shares, as the use case takes them (blank text is absent). */
export function requestDetails(b: {
  justification?: string | null | undefined;
  scheduleInfo?: z.output<typeof scheduleInfoBody> | null | undefined;
  ticketInfo?: z.output<typeof ticketInfoBody>;
  isValidationOnly?: boolean | undefined;
}): Pick<ScheduleRequestInput, 'justification' | 'scheduleInfo' | 'ticketInfo' | 'isValidationOnly'> {
  const s = b.scheduleInfo;
  return {
    justification: b.justification?.trim() ? b.justification : null,
    scheduleInfo: s
      ? {
          startDateTime: s.startDateTime ?? null,
          expiration: {
            type:
              s.expiration?.type ??
              (s.expiration?.duration
                ? 'afterDuration'
                : s.expiration?.endDateTime
                  ? 'afterDateTime'
                  : 'notSpecified'),
            endDateTime: s.expiration?.endDateTime ?? null,
            duration: s.expiration?.duration?.toUpperCase() ?? null,
          },
        }
      : null,
    ticketInfo: {
      ticketNumber: b.ticketInfo?.ticketNumber?.trim() ? b.ticketInfo.ticketNumber : null,
      ticketSystem: b.ticketInfo?.ticketSystem?.trim() ? b.ticketInfo.ticketSystem : null,
    },
    isValidationOnly: b.isValidationOnly ?? false,
  };
}

/** Graph's request statuses, for `$filter=status eq '…'`. */
export const requestStatuses = [
  'Canceled',
  'Denied',
  'Failed',
  'Granted',
  'PendingAdminDecision',
  'PendingApproval',
  'PendingProvisioning',
  'PendingScheduleCreation',
  'Provisioned',
  'Revoked',
  'ScheduleCreated',
] as const;

export const requestListSpec = {
  fields: {
    id: { type: 'guid' },
    status: { type: 'enum', values: requestStatuses },
    action: { type: 'enum', values: scheduleActions },
    principalId: { type: 'guid' },
    roleDefinitionId: { type: 'string' },
    directoryScopeId: { type: 'string' },
    appScopeId: { type: 'string' },
    targetScheduleId: { type: 'string' },
    approvalId: { type: 'string' },
    createdDateTime: { type: 'datetime' },
    completedDateTime: { type: 'datetime' },
    isValidationOnly: { type: 'boolean' },
  },
  expand: ['principal', 'roleDefinition', 'activatedUsing', 'targetSchedule', 'directoryScope'],
  select: [
    'id',
    'status',
    'createdDateTime',
    'completedDateTime',
    'approvalId',
    'customData',
    'action',
    'principalId',
    'roleDefinitionId',
    'directoryScopeId',
    'appScopeId',
    'isValidationOnly',
    'targetScheduleId',
    'justification',
    'createdBy',
    'scheduleInfo',
    'ticketInfo',
  ],
} as const;

export const scheduleListSpec = {
  fields: {
    id: { type: 'string' },
    principalId: { type: 'guid' },
    roleDefinitionId: { type: 'string' },
    directoryScopeId: { type: 'string' },
    appScopeId: { type: 'string' },
    status: { type: 'string' },
    assignmentType: { type: 'enum', values: ['Assigned', 'Activated'] },
    memberType: { type: 'enum', values: ['Direct', 'Group', 'Inherited'] },
    createdUsing: { type: 'string' },
    roleAssignmentScheduleId: { type: 'string' },
    roleAssignmentOriginId: { type: 'string' },
    roleEligibilityScheduleId: { type: 'string' },
    startDateTime: { type: 'datetime' },
    endDateTime: { type: 'datetime' },
  },
  expand: ['principal', 'roleDefinition', 'activatedUsing', 'directoryScope'],
  select: [
    'id',
    'principalId',
    'roleDefinitionId',
    'directoryScopeId',
    'appScopeId',
    'createdUsing',
    'createdDateTime',
    'modifiedDateTime',
    'status',
    'memberType',
    'assignmentType',
    'scheduleInfo',
    'startDateTime',
    'endDateTime',
    'roleAssignmentOriginId',
    'roleAssignmentScheduleId',
    'roleEligibilityScheduleId',
  ],
  types: { principal: ['microsoft.graph.user', 'microsoft.graph.group', 'microsoft.graph.servicePrincipal'] },
} as const;
