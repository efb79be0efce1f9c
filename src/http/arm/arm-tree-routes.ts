import type { ScopeInput } from '../../app/resources/scope-tree-service.js';
import { notFound } from '../../core/errors.js';
import type { ResourceScope } from '../../core/scope/resource-scope.js';
import { type ArmCall, methodNotAllowed } from './arm-call.js';
import type { ArmPath } from './parse-arm-path.js';
import {
  readManagementGroup,
  readResource,
  readResourceGroup,
  readSubscription,
  toArmGroupSubscription,
  toArmScope,
} from './shapes/tree-shapes.js';

type ScopePath = Extract<ArmPath, { kind: 'scope' }>;
type GroupSubscriptionPath = Extract<ArmPath, { kind: 'groupSubscription' }>;

const readers: Record<ResourceScope['type'], (body: unknown) => ScopeInput> = {
  managementGroup: readManagementGroup,
  subscription: readSubscription,
  resourceGroup: readResourceGroup,
  resource: readResource,
};

async function shape(call: ArmCall, scope: ResourceScope, children?: readonly ResourceScope[]) {
  const { tree } = call.services.resources;
  const parent =
    scope.parentId && (scope.type === 'managementGroup' || scope.type === 'subscription')
      ? await tree.parentOf(scope)
      : undefined;
  return toArmScope(scope, {
    tenantId: call.services.tenantId,
    ...(parent ? { parent } : {}),
    ...(children ? { children } : {}),
  });
}

/**
 * The resource tree, ARM style: `PUT` registers a scope (201) or changes it (200: rename, or move a management
 * group or subscription under another management group), `GET` reads it (`$expand=children` on a management
 * group), `DELETE` unregisters it.
 */
export async function handleScope(call: ArmCall, path: ScopePath): Promise<unknown> {
  const { tree } = call.services.resources;
  const scope = path.scope;
  switch (call.method) {
    case 'GET': {
      const found = await tree.get(call.ctx, scope);
      const expand = call.query.$expand?.toLowerCase();
      const children =
        scope.type === 'managementGroup' && expand === 'children'
          ? await tree.children(call.ctx, scope)
          : undefined;
      return shape(call, found, children);
    }
    case 'PUT': {
      const input = readers[scope.type](call.request.body);
      const { scope: saved, created } = await tree.put(call.ctx, scope, input);
      return call.reply.status(created ? 201 : 200).send(await shape(call, saved));
    }
    case 'DELETE':
      await tree.remove(call.ctx, scope);
      return call.reply.status(200).send();
    default:
      throw methodNotAllowed(call, 'GET, PUT or DELETE');
  }
}

/**
 * `…/managementGroups/{g}/subscriptions/{s}`: `PUT` moves a registered subscription into the group, `DELETE`
 * moves it back to the tenant root group, `GET` reads the placement.
 */
export async function handleGroupSubscription(call: ArmCall, path: GroupSubscriptionPath): Promise<unknown> {
  const { tree } = call.services.resources;
  const { managementGroup, subscription } = path;
  const group = await tree.get(call.ctx, managementGroup);
  switch (call.method) {
    case 'GET': {
      const sub = await tree.get(call.ctx, subscription);
      if (sub.parentId !== group.id) {
        throw notFound('Subscription', `${group.path}/subscriptions/${sub.name}`);
      }
      return toArmGroupSubscription(sub, group, call.services.tenantId);
    }
    case 'PUT': {
      const { scope } = await tree.put(call.ctx, subscription, { parentId: group.id, onlyExisting: true });
      return toArmGroupSubscription(scope, group, call.services.tenantId);
    }
    case 'DELETE': {
      const sub = await tree.get(call.ctx, subscription);
      if (sub.parentId === group.id) {
        await tree.put(call.ctx, subscription, { parentId: tree.rootId, onlyExisting: true });
      }
      return call.reply.status(200).send();
    }
    default:
      throw methodNotAllowed(call, 'GET, PUT or DELETE');
  }
}
