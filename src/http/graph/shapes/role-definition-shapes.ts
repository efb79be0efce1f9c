import { z } from 'zod';
import type { RoleDefinition } from '../../../app/directory/role-definition-service.js';
import { boundedString, graphBody, guid } from '../graph-body.js';

/**
 * Graph's `unifiedRoleDefinition`. `isPrivileged` is served on v1.0 as well as beta: Graph documents it on
 * beta only, but clients ignore properties they do not know, and PIM users need it on both.
 */
export function toGraphRoleDefinition(r: RoleDefinition) {
  return {
    id: r.id,
    description: r.description,
    displayName: r.displayName,
    isBuiltIn: r.isBuiltIn,
    isEnabled: r.isEnabled,
    isPrivileged: r.isPrivileged,
    resourceScopes: ['/'],
    templateId: r.templateId,
    version: r.version,
    rolePermissions: [
      { allowedResourceActions: [...r.allowedResourceActions], condition: null, excludedResourceActions: [] },
    ],
  };
}

// Entra: conditions and excluded actions are not supported on custom directory roles.
const rolePermission = graphBody({
  allowedResourceActions: z.array(boundedString(256)).min(1).max(500),
  condition: z
    .null({ error: 'is not supported for custom directory roles; omit it or send null' })
    .optional(),
  excludedResourceActions: z
    .array(boundedString(256))
    .max(0, 'is not supported for custom directory roles; omit it or send []')
    .nullable()
    .optional(),
});

const rolePermissions = z.array(rolePermission).min(1).max(10);

export const createRoleDefinitionBody = graphBody({
  displayName: boundedString(256).min(1),
  description: boundedString(1024).nullable().optional(),
  isEnabled: z.boolean().optional(),
  rolePermissions,
  templateId: guid.optional(),
  version: boundedString(64).nullable().optional(),
  // Deprecated in Graph and only ever ['/']; older samples still send it.
  resourceScopes: z
    .array(z.literal('/', { error: "must be ['/']" }))
    .max(1)
    .optional(),
});

export const updateRoleDefinitionBody = graphBody({
  displayName: boundedString(256).min(1).optional(),
  description: boundedString(1024).nullable().optional(),
  isEnabled: z.boolean().optional(),
  rolePermissions: rolePermissions.optional(),
  templateId: guid.optional(),
  version: boundedString(64).nullable().optional(),
  resourceScopes: z
    .array(z.literal('/', { error: "must be ['/']" }))
    .max(1)
    .optional(),
});

const selectable = [
  'id',
  'description',
  'displayName',
  'isBuiltIn',
  'isEnabled',
  'isPrivileged',
  'resourceScopes',
  'templateId',
  'version',
  'rolePermissions',
];

export const roleDefinitionListSpec = {
  fields: {
    id: { type: 'guid', ops: ['eq', 'ne', 'in'] },
    displayName: { type: 'string', ops: ['eq', 'in', 'startswith'] },
    isBuiltIn: { type: 'boolean' },
    isEnabled: { type: 'boolean' },
    isPrivileged: { type: 'boolean' },
    templateId: { type: 'guid', ops: ['eq', 'ne', 'in'] },
  },
  select: selectable,
  expand: ['inheritsPermissionsFrom'],
  orderBy: ['displayName'],
} as const;

/** One role: `$select` and `$expand` only. */
export const roleDefinitionEntitySpec = {
  fields: {},
  select: selectable,
  expand: ['inheritsPermissionsFrom'],
} as const;
