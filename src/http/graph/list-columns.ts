import type { Columns } from './odata/index.js';

/**
 * Where the Graph properties of the PIM lists live in SQL, for `pushDownFilter`. Only properties whose Graph
 * value is exactly the column's are listed: computed ones (a schedule's `status`, `memberType`,
 * `assignmentType`), composite ids and an instance's `principalId` (a group's grant fans out to its members)
 * stay with `matchFilter`. Enum columns hold the canonical spelling `parseQueryOptions` gives literals, so
 * they compare without `lower()` and their indexes serve.
 */
const exact = { caseInsensitive: false } as const;

const requestCommon: Columns = {
  id: { column: 'id', type: 'guid' },
  status: { column: 'status', type: 'enum', ...exact },
  action: { column: 'action', type: 'enum', ...exact },
  principalId: { column: 'principal_id', type: 'guid' },
  createdDateTime: { column: 'created_at', type: 'datetime' },
  completedDateTime: { column: 'completed_at', type: 'datetime' },
  isValidationOnly: { column: 'is_validation_only', type: 'boolean' },
};

/** roleAssignmentScheduleRequests / roleEligibilityScheduleRequests. */
export const requestColumns: Columns = {
  ...requestCommon,
  roleDefinitionId: { column: 'role_definition_id', type: 'string', lowerCaseGuids: true },
  directoryScopeId: { column: 'scope_id', type: 'string' },
};

const directoryTarget: Columns = {
  roleDefinitionId: { column: 'role_definition_id', type: 'string', lowerCaseGuids: true },
  directoryScopeId: { column: 'scope_id', type: 'string' },
};

/** roleAssignmentSchedules / roleEligibilitySchedules (their shape has no top-level start or end). */
export const scheduleColumns: Columns = {
  ...directoryTarget,
  principalId: { column: 'principal_id', type: 'guid' },
};

/** roleAssignmentScheduleInstances / roleEligibilityScheduleInstances. */
export const instanceColumns: Columns = {
  ...directoryTarget,
  startDateTime: { column: 'start_at', type: 'datetime' },
  endDateTime: { column: 'end_at', type: 'datetime' },
};

const groupTarget: Columns = {
  groupId: { column: 'scope_id', type: 'guid' },
  accessId: { column: 'role_definition_id', type: 'enum', ...exact },
};

/** PIM for Groups assignmentScheduleRequests / eligibilityScheduleRequests. */
export const groupRequestColumns: Columns = { ...requestCommon, ...groupTarget };

/** PIM for Groups assignmentSchedules / eligibilitySchedules. */
export const groupScheduleColumns: Columns = {
  ...groupTarget,
  principalId: { column: 'principal_id', type: 'guid' },
};

/** PIM for Groups assignmentScheduleInstances / eligibilityScheduleInstances. */
export const groupInstanceColumns: Columns = {
  ...groupTarget,
  startDateTime: { column: 'start_at', type: 'datetime' },
  endDateTime: { column: 'end_at', type: 'datetime' },
};
