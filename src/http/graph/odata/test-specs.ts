import type { ListSpec } from './list-spec.js';

/** A list spec shaped like Graph's roleAssignmentScheduleRequests, shared by this folder's tests. */
export const requestsSpec: ListSpec = {
  fields: {
    id: { type: 'guid' },
    status: {
      type: 'enum',
      values: ['Canceled', 'Denied', 'Granted', 'PendingApproval', 'Provisioned', 'Revoked'],
    },
    principalId: { type: 'guid', ops: ['eq', 'ne', 'in'] },
    roleDefinitionId: { type: 'guid', ops: ['eq', 'ne', 'in'] },
    directoryScopeId: { type: 'string', ops: ['eq', 'ne', 'null'] },
    justification: { type: 'string' },
    createdDateTime: { type: 'datetime' },
    isValidationOnly: { type: 'boolean' },
    durationHours: { type: 'number' },
    'scheduleInfo/startDateTime': { type: 'datetime', ops: ['ge', 'le'] },
  },
  expand: ['principal', 'roleDefinition', 'activatedUsing', 'policy', 'policy/rules', 'policy/rules/target'],
  select: ['id', 'status', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'createdDateTime'],
  orderBy: ['createdDateTime', 'status'],
  lambdas: { targetResources: { id: { type: 'string' }, type: { type: 'enum', values: ['Role', 'User'] } } },
  types: { principal: ['microsoft.graph.user', 'microsoft.graph.group'], $it: ['microsoft.graph.request'] },
  maxTop: 50,
  defaultTop: 20,
};
