import type { ResourceScheduleView } from '../../../app/resources/resource-views.js';
import { armPrincipalType, authorizationId, roleDefinitionArmId } from './arm-common.js';
import { expandedProperties } from './request-shapes.js';

const noun = (v: ResourceScheduleView) => (v.schedule.kind === 'assignment' ? 'Assignment' : 'Eligibility');

/** Scheduled grants show as Granted until they start, as their requests do. */
const statusOf = (v: ResourceScheduleView) => (v.schedule.status === 'Scheduled' ? 'Granted' : 'Provisioned');

function common(v: ResourceScheduleView) {
  const { schedule: s, scope, role, principal } = v;
  return {
    scope: scope.path,
    roleDefinitionId: roleDefinitionArmId(scope.path, role.id),
    principalId: s.principalId,
    principalType: armPrincipalType(s.principalType),
    status: statusOf(v),
    startDateTime: s.start.toISOString(),
    endDateTime: s.end?.toISOString() ?? null,
    memberType: v.memberType,
    createdOn: s.createdAt.toISOString(),
    condition: null,
    conditionVersion: null,
    expandedProperties: expandedProperties(scope, role, principal),
  };
}

/** A role assignment (or eligibility) schedule as ARM returns it. */
export function toArmSchedule(v: ResourceScheduleView) {
  const { schedule: s, scope } = v;
  const kind = noun(v);
  return {
    properties: {
      ...common(v),
      [`role${kind}ScheduleRequestId`]: authorizationId(
        scope.path,
        `role${kind}ScheduleRequests`,
        s.createdUsing,
      ),
      ...(s.kind === 'assignment'
        ? { linkedRoleEligibilityScheduleId: s.activatedUsing, assignmentType: s.assignmentType }
        : {}),
      updatedOn: s.modifiedAt.toISOString(),
    },
    name: s.id,
    id: authorizationId(scope.path, `role${kind}Schedules`, s.id),
    type: `Microsoft.Authorization/Role${kind}Schedules`,
  };
}

/** A role assignment (or eligibility) schedule instance — a grant in effect now — as ARM returns it. */
export function toArmInstance(v: ResourceScheduleView) {
  const { schedule: s, scope } = v;
  const kind = noun(v);
  return {
    properties: {
      ...common(v),
      [`role${kind}ScheduleId`]: authorizationId(scope.path, `role${kind}Schedules`, s.id),
      ...(s.kind === 'assignment'
        ? {
            originRoleAssignmentId: authorizationId(scope.path, 'roleAssignments', s.id),
            linkedRoleEligibilityScheduleId: s.activatedUsing,
            linkedRoleEligibilityScheduleInstanceId: s.activatedUsing,
            assignmentType: s.assignmentType,
          }
        : {}),
    },
    name: s.id,
    id: authorizationId(scope.path, `role${kind}ScheduleInstances`, s.id),
    type: `Microsoft.Authorization/Role${kind}ScheduleInstances`,
  };
}
