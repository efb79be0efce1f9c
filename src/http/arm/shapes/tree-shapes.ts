import { z } from 'zod';
import type { ScopeInput } from '../../../app/resources/scope-tree-service.js';
import type { AzureRoleDefinition } from '../../../core/catalog/azure-roles.js';
import {
  managementGroupPath,
  parseScopePath,
  type ResourceScope,
} from '../../../core/scope/resource-scope.js';
import { invalidContent } from '../arm-errors.js';
import { authorizationId, readBody, tags, text } from './arm-common.js';

const displayName = () => z.string().min(1).max(256);
const location = () =>
  z.string().regex(/^[A-Za-z0-9 _-]{1,64}$/, { error: 'must be a region name, e.g. westeurope' });

/** A management group's canonical id from `/providers/Microsoft.Management/managementGroups/{id}` or a bare id. */
function managementGroupId(value: string, field: string): string {
  const parsed = parseScopePath(value.includes('/') ? value : managementGroupPath(value));
  if ('error' in parsed || parsed.type !== 'managementGroup') {
    throw invalidContent(
      `${field}: must be a management group id or '/providers/Microsoft.Management/managementGroups/{id}'; got '${value}'.`,
    );
  }
  return parsed.id;
}

/** `PUT /providers/Microsoft.Management/managementGroups/{id}` (api-version 2020-05-01). */
const managementGroupBody = z.strictObject({
  name: text(90).optional(),
  properties: z
    .strictObject({
      displayName: displayName().optional(),
      details: z
        .strictObject({
          parent: z
            .strictObject({ id: text(400).nullable().optional() })
            .nullable()
            .optional(),
        })
        .nullable()
        .optional(),
    })
    .optional(),
});

export function readManagementGroup(body: unknown): ScopeInput {
  const b = readBody(managementGroupBody, body ?? {});
  const parent = b.properties?.details?.parent?.id;
  return {
    ...(b.properties?.displayName ? { displayName: b.properties.displayName } : {}),
    ...(parent ? { parentId: managementGroupId(parent, 'properties.details.parent.id') } : {}),
  };
}

/** `PUT /subscriptions/{id}`: Elevate's own body, `{ displayName, managementGroupId }` (README). */
const subscriptionBody = z.strictObject({
  displayName: displayName().optional(),
  managementGroupId: text(400).optional(),
});

export function readSubscription(body: unknown): ScopeInput {
  const b = readBody(subscriptionBody, body ?? {});
  return {
    ...(b.displayName ? { displayName: b.displayName } : {}),
    ...(b.managementGroupId ? { parentId: managementGroupId(b.managementGroupId, 'managementGroupId') } : {}),
  };
}

/** `PUT …/resourcegroups/{name}` (api-version 2021-04-01): `{ location, tags }`. */
const resourceGroupBody = z.strictObject({ location: location().optional(), tags: tags().optional() });

export function readResourceGroup(body: unknown): ScopeInput {
  const b = readBody(resourceGroupBody, body ?? {});
  return { ...(b.location ? { location: b.location } : {}), ...(b.tags ? { tags: b.tags } : {}) };
}

/** `PUT …/providers/{ns}/{type}/{name}`: registering a resource, `{ location, tags, properties: { displayName } }`. */
const resourceBody = z.strictObject({
  location: location().optional(),
  tags: tags().optional(),
  properties: z.strictObject({ displayName: displayName().optional() }).optional(),
});

export function readResource(body: unknown): ScopeInput {
  const b = readBody(resourceBody, body ?? {});
  return {
    ...(b.location ? { location: b.location } : {}),
    ...(b.tags ? { tags: b.tags } : {}),
    ...(b.properties?.displayName ? { displayName: b.properties.displayName } : {}),
  };
}

/** The name of a management group from its canonical id. */
const lastName = (id: string): string => id.split('/').pop() ?? id;

/** A scope of the tree as ARM returns it, by type. `parent` is the scope above (for management groups and subscriptions). */
export function toArmScope(
  s: ResourceScope,
  args: { tenantId: string; parent?: ResourceScope; children?: readonly ResourceScope[] },
) {
  const parent = args.parent;
  switch (s.type) {
    case 'managementGroup':
      return {
        id: s.path,
        type: 'Microsoft.Management/managementGroups',
        name: s.name,
        properties: {
          tenantId: args.tenantId,
          displayName: s.displayName,
          details: {
            parent: parent ? { id: parent.path, name: parent.name, displayName: parent.displayName } : null,
            updatedTime: s.updatedAt.toISOString(),
            updatedBy: null,
            version: 1,
          },
          ...(args.children
            ? {
                children: args.children.map((c) => ({
                  id: c.path,
                  type:
                    c.type === 'managementGroup' ? 'Microsoft.Management/managementGroups' : '/subscriptions',
                  name: c.name,
                  displayName: c.displayName,
                })),
              }
            : {}),
        },
      };
    case 'subscription':
      return {
        id: s.path,
        subscriptionId: s.name,
        tenantId: args.tenantId,
        displayName: s.displayName,
        state: 'Enabled',
        managementGroupId: parent ? parent.name : lastName(s.parentId ?? ''),
      };
    case 'resourceGroup':
      return {
        id: s.path,
        name: s.name,
        type: 'Microsoft.Resources/resourceGroups',
        location: s.location,
        ...(s.tags ? { tags: s.tags } : {}),
        properties: { provisioningState: 'Succeeded' },
      };
    case 'resource':
      return {
        id: s.path,
        name: s.name,
        type: s.resourceType,
        location: s.location,
        ...(s.tags ? { tags: s.tags } : {}),
        properties: { provisioningState: 'Succeeded', displayName: s.displayName },
      };
  }
}

/** A subscription placed in a management group, as `…/managementGroups/{g}/subscriptions/{s}` shows it. */
export function toArmGroupSubscription(subscription: ResourceScope, group: ResourceScope, tenantId: string) {
  return {
    id: `${group.path}/subscriptions/${subscription.name}`,
    type: 'Microsoft.Management/managementGroups/subscriptions',
    name: subscription.name,
    properties: {
      displayName: subscription.displayName,
      parent: { id: group.path },
      state: 'Active',
      tenant: tenantId,
    },
  };
}

/** A built-in role definition as ARM returns it at a scope (api-version 2022-04-01). */
export function toArmRoleDefinition(role: AzureRoleDefinition, scopePath: string) {
  return {
    id: authorizationId(scopePath, 'roleDefinitions', role.id),
    name: role.id,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: role.roleName,
      type: 'BuiltInRole',
      description: role.description,
      assignableScopes: ['/'],
      permissions: role.permissions.map((p) => ({
        actions: [...p.actions],
        notActions: [...p.notActions],
        dataActions: [...p.dataActions],
        notDataActions: [...p.notDataActions],
      })),
      createdOn: null,
      updatedOn: null,
      createdBy: null,
      updatedBy: null,
    },
  };
}
