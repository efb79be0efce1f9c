import { z } from 'zod';
import type { ResourceRequestInput } from '../../../app/resources/resource-request-service.js';
import type { PrincipalView, ResourceRequestView, ScopeView } from '../../../app/resources/resource-views.js';
import type { AzureRoleDefinition } from '../../../core/catalog/azure-roles.js';
import type { ExpirationType, ScheduleAction, ScheduleInfo } from '../../../core/model/request.js';
import { scheduleActions } from '../../../core/model/request.js';
import type { ScheduleKind } from '../../../core/model/schedule.js';
import { armScopeTypeWord } from '../../../core/scope/resource-scope.js';
import { roleGuidOf } from '../arm-filter.js';
import {
  anyCase,
  armPrincipalType,
  authorizationId,
  guid,
  instant,
  pascal,
  readBody,
  roleDefinitionArmId,
  text,
} from './arm-common.js';

const requestTypes = scheduleActions.map(pascal) as [string, ...string[]];
const expirationTypes = ['AfterDuration', 'AfterDateTime', 'NoExpiration'] as const;
const readOnly = (name: string) =>
  z
    .unknown()
    .refine(() => false, { error: `${name} is read-only; the service sets it` })
    .optional();

const roleDefinitionId = text().transform((s, ctx) => {
  const id = roleGuidOf(s);
  if (id) return id;
  ctx.issues.push({
    code: 'custom',
    input: s,
    message: `must be a role definition id ('{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}') or its GUID; got '${s}'`,
  });
  return z.NEVER;
});

/** The body of a PUT (or validate) of a schedule request (research §9.2); read-only and unknown properties are refused. */
const scheduleRequestBody = z.strictObject({
  properties: z.strictObject({
    principalId: guid(),
    roleDefinitionId,
    requestType: anyCase(requestTypes),
    scheduleInfo: z
      .strictObject({
        startDateTime: instant().nullable().optional(),
        expiration: z
          .strictObject({
            type: anyCase(expirationTypes).nullable().optional(),
            endDateTime: instant().nullable().optional(),
            duration: text(64).nullable().optional(),
          })
          .nullable()
          .optional(),
      })
      .nullable()
      .optional(),
    justification: text().nullable().optional(),
    ticketInfo: z
      .strictObject({
        ticketNumber: text(256).nullable().optional(),
        ticketSystem: text(256).nullable().optional(),
      })
      .nullable()
      .optional(),
    linkedRoleEligibilityScheduleId: text().nullable().optional(),
    targetRoleAssignmentScheduleId: text().nullable().optional(),
    targetRoleAssignmentScheduleInstanceId: text().nullable().optional(),
    targetRoleEligibilityScheduleId: text().nullable().optional(),
    targetRoleEligibilityScheduleInstanceId: text().nullable().optional(),
    condition: z
      .unknown()
      .refine((v) => v === null || v === undefined, {
        error: 'conditions (ABAC) are not supported by Elevate; leave condition out',
      })
      .optional(),
    conditionVersion: text(16).nullable().optional(),
    scope: readOnly('scope'),
    principalType: readOnly('principalType'),
    status: readOnly('status'),
    approvalId: readOnly('approvalId'),
    requestorId: readOnly('requestorId'),
    createdOn: readOnly('createdOn'),
    expandedProperties: readOnly('expandedProperties'),
  }),
});

/** The last segment of an ARM id, or the value itself (a bare GUID). */
const lastSegment = (s: string): string => s.split('/').filter(Boolean).pop() ?? s;

/** Reads a schedule-request body into the use case's input. */
export function readScheduleRequest(body: unknown, kind: ScheduleKind): ResourceRequestInput {
  const p = readBody(scheduleRequestBody, body).properties;
  const action = (p.requestType.charAt(0).toLowerCase() + p.requestType.slice(1)) as ScheduleAction;
  return {
    action,
    principalId: p.principalId,
    roleDefinitionId: p.roleDefinitionId,
    justification: p.justification ?? null,
    ticketInfo: {
      ticketNumber: p.ticketInfo?.ticketNumber ?? null,
      ticketSystem: p.ticketInfo?.ticketSystem ?? null,
    },
    scheduleInfo: toScheduleInfo(p.scheduleInfo, kind),
    isValidationOnly: false,
    linkedRoleEligibilityScheduleId: p.linkedRoleEligibilityScheduleId
      ? lastSegment(p.linkedRoleEligibilityScheduleId)
      : null,
  };
}

type BodyScheduleInfo = z.output<typeof scheduleRequestBody>['properties']['scheduleInfo'];

function toScheduleInfo(s: BodyScheduleInfo, kind: ScheduleKind): ScheduleInfo | null {
  if (!s) return null;
  const e = s.expiration;
  let type: ExpirationType =
    e?.type === 'AfterDuration'
      ? 'afterDuration'
      : e?.type === 'AfterDateTime'
        ? 'afterDateTime'
        : e?.type === 'NoExpiration'
          ? 'noExpiration'
          : 'notSpecified';
  // ARM accepts an eligibility "AfterDuration" without a duration as permanent (research §9.2).
  if (kind === 'eligibility' && type === 'afterDuration' && !e?.duration) type = 'noExpiration';
  return {
    startDateTime: s.startDateTime ?? null,
    expiration: { type, endDateTime: e?.endDateTime ?? null, duration: e?.duration ?? null },
  };
}

const expirationWord = (t: ExpirationType): string | null => (t === 'notSpecified' ? null : pascal(t));

/** `expandedProperties` as ARM writes it: the scope, the role definition and the principal by name. */
export function expandedProperties(
  scope: ScopeView,
  role: AzureRoleDefinition,
  principal: PrincipalView | null,
) {
  return {
    scope: { id: scope.path, displayName: scope.displayName, type: armScopeTypeWord(scope.type) },
    roleDefinition: {
      id: roleDefinitionArmId(scope.path, role.id),
      displayName: role.roleName,
      type: 'BuiltInRole',
    },
    principal: principal
      ? {
          id: principal.id,
          displayName: principal.displayName,
          email: principal.email,
          type: armPrincipalType(principal.type),
        }
      : null,
  };
}

const collectionOf = (kind: ScheduleKind) =>
  kind === 'assignment' ? 'roleAssignmentScheduleRequests' : 'roleEligibilityScheduleRequests';
const typeOf = (kind: ScheduleKind) =>
  kind === 'assignment'
    ? 'Microsoft.Authorization/RoleAssignmentScheduleRequests'
    : 'Microsoft.Authorization/RoleEligibilityScheduleRequests';

/** A schedule request as ARM returns it (research §9.2). */
export function toArmRequest(v: ResourceRequestView) {
  const { request: r, scope, role, principal } = v;
  const kind = r.kind;
  const s = r.scheduleInfo;
  const target =
    kind === 'assignment'
      ? {
          targetRoleAssignmentScheduleId: r.targetScheduleId,
          targetRoleAssignmentScheduleInstanceId: null,
          linkedRoleEligibilityScheduleId: r.activatedUsing,
        }
      : {
          targetRoleEligibilityScheduleId: r.targetScheduleId,
          targetRoleEligibilityScheduleInstanceId: null,
        };
  return {
    properties: {
      ...target,
      scope: scope.path,
      roleDefinitionId: roleDefinitionArmId(scope.path, role.id),
      principalId: r.principalId,
      principalType: armPrincipalType(r.principalType),
      requestType: pascal(r.action),
      status: r.status,
      approvalId: r.approvalId ? authorizationId('/', 'roleAssignmentApprovals', r.approvalId) : null,
      scheduleInfo: s
        ? {
            startDateTime: s.startDateTime?.toISOString() ?? null,
            expiration: {
              type: expirationWord(s.expiration.type),
              endDateTime: s.expiration.endDateTime?.toISOString() ?? null,
              duration: s.expiration.duration,
            },
          }
        : null,
      ticketInfo: { ticketNumber: r.ticketInfo.ticketNumber, ticketSystem: r.ticketInfo.ticketSystem },
      justification: r.justification,
      requestorId: r.createdById,
      createdOn: r.createdAt.toISOString(),
      condition: null,
      conditionVersion: null,
      expandedProperties: expandedProperties(scope, role, principal),
    },
    name: r.id,
    id: authorizationId(scope.path, collectionOf(kind), r.id),
    type: typeOf(kind),
  };
}
