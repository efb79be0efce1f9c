import { azureRoles, findAzureRole } from '../../core/catalog/azure-roles.js';
import { notFound } from '../../core/errors.js';
import type { ScheduleKind } from '../../core/model/schedule.js';
import { stepUpOf } from '../auth/step-up-proof.js';
import { type ArmCall, methodNotAllowed, page, requestName } from './arm-call.js';
import { ArmError } from './arm-errors.js';
import { parseArmFilter, roleGuidOf } from './arm-filter.js';
import { armPage, armPageRequest } from './arm-keyset-page.js';
import type { ArmCollection, ArmPath } from './parse-arm-path.js';
import { readPolicyPatch, toArmPolicy, toArmPolicyAssignment } from './shapes/policy-shapes.js';
import { readScheduleRequest, toArmRequest } from './shapes/request-shapes.js';
import { toArmInstance, toArmSchedule } from './shapes/schedule-shapes.js';
import { toArmRoleDefinition } from './shapes/tree-shapes.js';

type AuthorizationPath = Extract<ArmPath, { kind: 'authorization' }>;

const kindOf = (collection: ArmCollection): ScheduleKind =>
  collection.startsWith('roleEligibility') ? 'eligibility' : 'assignment';

/** `{scope}/providers/Microsoft.Authorization/{collection}[/{name}[/{action}]]`: the PIM API at any scope. */
export async function handleAuthorization(call: ArmCall, path: AuthorizationPath): Promise<unknown> {
  switch (path.collection) {
    case 'roleDefinitions':
      return roleDefinitions(call, path);
    case 'roleEligibilityScheduleRequests':
    case 'roleAssignmentScheduleRequests':
      return scheduleRequests(call, path, kindOf(path.collection));
    case 'roleEligibilitySchedules':
    case 'roleAssignmentSchedules':
      return schedules(call, path, kindOf(path.collection), false);
    case 'roleEligibilityScheduleInstances':
    case 'roleAssignmentScheduleInstances':
      return schedules(call, path, kindOf(path.collection), true);
    case 'roleManagementPolicies':
      return policies(call, path);
    case 'roleManagementPolicyAssignments':
      return policyAssignments(call, path);
  }
}

function onlyGet(call: ArmCall, path: AuthorizationPath) {
  if (call.method !== 'GET' || path.action !== null) throw methodNotAllowed(call, 'GET');
}

/** The built-in Azure roles, at any registered scope (`$filter=roleName eq '…'` or `type eq 'BuiltInRole'`). */
async function roleDefinitions(call: ArmCall, path: AuthorizationPath) {
  onlyGet(call, path);
  const scope = await call.services.resources.lists.resolve(path.scope.id);
  if (path.name !== null) {
    const role = findAzureRole(path.name);
    if (!role) throw notFound('Role definition', path.name);
    return toArmRoleDefinition(role, scope.path);
  }
  const filter = call.query.$filter?.trim();
  const byName = filter ? /^roleName\s+eq\s+'([^']{1,256})'$/i.exec(filter) : null;
  const byType = filter ? /^type\s+eq\s+'(BuiltInRole|CustomRole)'$/i.exec(filter) : null;
  if (filter && !byName && !byType) {
    throw new ArmError(
      400,
      'InvalidFilter',
      "Role definitions take $filter=roleName eq '{name}' or type eq 'BuiltInRole'.",
    );
  }
  const roles = azureRoles.filter(
    (r) =>
      (!byName || r.roleName.toLowerCase() === byName[1]!.toLowerCase()) &&
      (!byType || byType[1]!.toLowerCase() === 'builtinrole'),
  );
  return page(
    call,
    roles.map((r) => toArmRoleDefinition(r, scope.path)),
  );
}

async function scheduleRequests(call: ArmCall, path: AuthorizationPath, kind: ScheduleKind) {
  const { services, ctx } = call;
  const resources = services.resources;
  if (path.name === null) {
    if (call.method !== 'GET') throw methodNotAllowed(call, 'GET (PUT, cancel and validate name a request)');
    const q = parseArmFilter(call.query.$filter, 'requests');
    const found = await resources.lists.requestPage(ctx, kind, path.scope.id, q, armPageRequest(call));
    return armPage(call, found, toArmRequest);
  }
  const name = requestName(path.name);
  if (path.action === 'cancel') {
    if (call.method !== 'POST') throw methodNotAllowed(call, 'POST');
    await resources.requests.cancel(ctx, kind, path.scope.id, name);
    return call.reply.status(200).send();
  }
  if (path.action === 'validate') {
    if (call.method !== 'POST') throw methodNotAllowed(call, 'POST');
    const input = readScheduleRequest(call.request.body, kind);
    return toArmRequest(await resources.requests.validate(ctx, kind, path.scope.id, name, input));
  }
  if (call.method === 'GET')
    return toArmRequest(await resources.requests.get(ctx, kind, path.scope.id, name));
  if (call.method !== 'PUT') throw methodNotAllowed(call, 'GET or PUT');
  const input = readScheduleRequest(call.request.body, kind);
  const { view, created } = await resources.requests.put(
    ctx,
    kind,
    path.scope.id,
    name,
    input,
    stepUpOf(call.request),
  );
  return call.reply.status(created ? 201 : 200).send(toArmRequest(view));
}

async function schedules(call: ArmCall, path: AuthorizationPath, kind: ScheduleKind, instances: boolean) {
  onlyGet(call, path);
  const { lists } = call.services.resources;
  const shape = (v: Parameters<typeof toArmSchedule>[0]): unknown =>
    instances ? toArmInstance(v) : toArmSchedule(v);
  if (path.name !== null) {
    return shape(await lists.schedule(call.ctx, kind, path.scope.id, path.name, instances));
  }
  const q = parseArmFilter(call.query.$filter, 'schedules');
  const request = armPageRequest(call);
  const found = instances
    ? await lists.instancePage(call.ctx, kind, path.scope.id, q, request)
    : await lists.schedulePage(call.ctx, kind, path.scope.id, q, request);
  return armPage(call, found, shape);
}

async function policies(call: ArmCall, path: AuthorizationPath) {
  const { policies: service } = call.services.resources;
  if (path.action !== null) throw methodNotAllowed(call, 'GET or PATCH');
  if (path.name === null) {
    if (call.method !== 'GET') throw methodNotAllowed(call, 'GET');
    if (call.query.$filter) {
      throw new ArmError(
        400,
        'InvalidFilter',
        'Role management policies take no $filter here; filter the policy assignments by roleDefinitionId.',
      );
    }
    return page(call, (await service.list(call.ctx, path.scope.id)).map(toArmPolicy));
  }
  if (call.method === 'GET') return toArmPolicy(await service.get(call.ctx, path.scope.id, path.name));
  if (call.method !== 'PATCH') throw methodNotAllowed(call, 'GET or PATCH');
  // The policy must exist (a 404 before any body problem), then every rule is read and applied, or none.
  await service.get(call.ctx, path.scope.id, path.name);
  const inputs = readPolicyPatch(call.request.body);
  return toArmPolicy(await service.update(call.ctx, path.scope.id, path.name, inputs));
}

async function policyAssignments(call: ArmCall, path: AuthorizationPath) {
  onlyGet(call, path);
  const { policies: service } = call.services.resources;
  if (path.name !== null) {
    return toArmPolicyAssignment(await service.assignment(call.ctx, path.scope.id, path.name));
  }
  const filter = call.query.$filter?.trim();
  let roleId: string | undefined;
  if (filter) {
    const m = /^roleDefinitionId\s+eq\s+'([^']{1,1024})'$/i.exec(filter);
    const guid = m ? roleGuidOf(m[1]!) : null;
    if (!guid) {
      throw new ArmError(
        400,
        'InvalidFilter',
        "Policy assignments take $filter=roleDefinitionId eq '{role definition id}'.",
      );
    }
    roleId = guid;
  }
  return page(call, (await service.assignments(call.ctx, path.scope.id, roleId)).map(toArmPolicyAssignment));
}
