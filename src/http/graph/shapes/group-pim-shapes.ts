import { z } from 'zod';
import type { ScheduleInstance } from '../../../app/requests/schedule-service.js';
import {
  type ScheduleRequest,
  type ScheduleRequestInput,
  scheduleActions,
} from '../../../core/model/request.js';
import type { GroupAccessId, Schedule, ScheduleKind } from '../../../core/model/schedule.js';
import { boundedString, caseInsensitiveEnum, graphBody, guid } from '../graph-body.js';
import {
  identitySet,
  requestDetails,
  requestStatuses,
  scheduleInfoBody,
  ticketInfoBody,
  toGraphScheduleInfo,
} from './schedule-request-shapes.js';

// PIM for Groups in Graph's spelling (research §3.2): privilegedAccessGroup{Assignment,Eligibility}Schedule
// {Request,,Instance}. Unlike roles, assignmentType and memberType are lower-case true enums.

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export const accessIds = ['member', 'owner'] as const satisfies readonly GroupAccessId[];

/**
 * A group schedule's id on the wire, `{groupId}_{accessId}_{id}`, the form Graph gives `targetScheduleId`
 * (research §3.3); Elevate's own schedule id is the last part.
 */
export const groupScheduleWireId = (s: { scopeId: string; roleDefinitionId: string }, id: string): string =>
  `${s.scopeId}_${s.roleDefinitionId}_${id}`;

/** `privilegedAccessGroupAssignmentScheduleRequest` / `privilegedAccessGroupEligibilityScheduleRequest`. */
export function toGraphGroupRequest(r: ScheduleRequest) {
  return {
    id: r.id,
    status: r.status,
    createdDateTime: r.createdAt.toISOString(),
    completedDateTime: iso(r.completedAt),
    approvalId: r.approvalId,
    customData: null,
    createdBy: identitySet(r.createdById, r.createdByType),
    action: r.action,
    isValidationOnly: r.isValidationOnly,
    justification: r.justification,
    scheduleInfo: toGraphScheduleInfo(r.scheduleInfo),
    ticketInfo: { ticketNumber: r.ticketInfo.ticketNumber, ticketSystem: r.ticketInfo.ticketSystem },
    accessId: r.roleDefinitionId,
    principalId: r.principalId,
    groupId: r.scopeId,
    targetScheduleId: r.targetScheduleId === null ? null : groupScheduleWireId(r, r.targetScheduleId),
  };
}

const scheduleStatus = (s: Schedule): string =>
  s.status === 'Scheduled' ? 'Granted' : s.status === 'Provisioned' ? 'Provisioned' : s.status;

const assignmentType = (s: Schedule): 'assigned' | 'activated' =>
  s.assignmentType === 'Activated' ? 'activated' : 'assigned';

/** `privilegedAccessGroupAssignmentSchedule` / `privilegedAccessGroupEligibilitySchedule`. */
export function toGraphGroupSchedule(s: Schedule) {
  return {
    id: groupScheduleWireId(s, s.id),
    createdDateTime: s.createdAt.toISOString(),
    createdUsing: s.createdUsing,
    modifiedDateTime: s.modifiedAt.toISOString(),
    status: scheduleStatus(s),
    scheduleInfo: {
      startDateTime: s.start.toISOString(),
      recurrence: null,
      expiration: {
        type: s.end ? 'afterDateTime' : 'noExpiration',
        endDateTime: iso(s.end),
        duration: null,
      },
    },
    accessId: s.roleDefinitionId,
    groupId: s.scopeId,
    memberType: 'direct',
    principalId: s.principalId,
    ...(s.kind === 'assignment' ? { assignmentType: assignmentType(s) } : {}),
  };
}

/** `privilegedAccessGroupAssignmentScheduleInstance` / `privilegedAccessGroupEligibilityScheduleInstance`. */
export function toGraphGroupInstance(i: ScheduleInstance) {
  const s = i.schedule;
  const scheduleId = groupScheduleWireId(s, s.id);
  const base = {
    id: groupScheduleWireId(s, i.id),
    startDateTime: s.start.toISOString(),
    endDateTime: iso(s.end),
    accessId: s.roleDefinitionId,
    groupId: s.scopeId,
    memberType: i.memberType === 'Group' ? 'group' : 'direct',
    principalId: i.principalId,
  };
  return s.kind === 'assignment'
    ? { ...base, assignmentScheduleId: scheduleId, assignmentType: assignmentType(s) }
    : { ...base, eligibilityScheduleId: scheduleId };
}

/** POST body of a group schedule request (either kind): accessId, groupId and principalId are required. */
export const groupScheduleRequestBody = graphBody({
  accessId: caseInsensitiveEnum(accessIds),
  groupId: guid,
  principalId: guid,
  action: caseInsensitiveEnum(scheduleActions),
  justification: boundedString(500).nullable().optional(),
  scheduleInfo: scheduleInfoBody.nullable().optional(),
  ticketInfo: ticketInfoBody,
  isValidationOnly: z.boolean().optional(),
  customData: boundedString(1024).nullable().optional(),
  targetScheduleId: boundedString(200).nullable().optional(),
});

export type GroupScheduleRequestBody = z.output<typeof groupScheduleRequestBody>;

/** Maps a validated body to the use case's input: the group target is (accessId, groupId). */
export function toGroupRequestInput(kind: ScheduleKind, b: GroupScheduleRequestBody): ScheduleRequestInput {
  return {
    kind,
    action: b.action,
    principalId: b.principalId,
    targetKind: 'group',
    roleDefinitionId: b.accessId,
    scopeId: b.groupId,
    ...requestDetails(b),
  };
}

export const groupRequestListSpec = {
  fields: {
    id: { type: 'guid' },
    status: { type: 'enum', values: requestStatuses },
    action: { type: 'enum', values: scheduleActions },
    principalId: { type: 'guid' },
    groupId: { type: 'guid' },
    accessId: { type: 'enum', values: accessIds },
    targetScheduleId: { type: 'string' },
    approvalId: { type: 'string' },
    createdDateTime: { type: 'datetime' },
    completedDateTime: { type: 'datetime' },
    isValidationOnly: { type: 'boolean' },
  },
  expand: ['principal', 'group', 'activatedUsing', 'targetSchedule'],
  select: [
    'id',
    'status',
    'createdDateTime',
    'completedDateTime',
    'approvalId',
    'customData',
    'createdBy',
    'action',
    'isValidationOnly',
    'justification',
    'scheduleInfo',
    'ticketInfo',
    'accessId',
    'principalId',
    'groupId',
    'targetScheduleId',
  ],
} as const;

export const groupScheduleListSpec = {
  fields: {
    id: { type: 'string' },
    principalId: { type: 'guid' },
    groupId: { type: 'guid' },
    accessId: { type: 'enum', values: accessIds },
    status: { type: 'string' },
    assignmentType: { type: 'enum', values: ['assigned', 'activated'] },
    memberType: { type: 'enum', values: ['direct', 'group'] },
    createdUsing: { type: 'string' },
    assignmentScheduleId: { type: 'string' },
    eligibilityScheduleId: { type: 'string' },
    startDateTime: { type: 'datetime' },
    endDateTime: { type: 'datetime' },
  },
  expand: ['principal', 'group', 'activatedUsing'],
  select: [
    'id',
    'createdDateTime',
    'createdUsing',
    'modifiedDateTime',
    'status',
    'scheduleInfo',
    'accessId',
    'groupId',
    'memberType',
    'principalId',
    'assignmentType',
    'startDateTime',
    'endDateTime',
    'assignmentScheduleId',
    'eligibilityScheduleId',
  ],
  types: { principal: ['microsoft.graph.user', 'microsoft.graph.group', 'microsoft.graph.servicePrincipal'] },
} as const;
