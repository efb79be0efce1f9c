import { z } from 'zod';
import type { DirectoryObject, DirectoryObjectRef, Group } from '../../../app/directory/group-service.js';
import { boundedString, graphBody } from '../graph-body.js';
import { toGraphServicePrincipal } from './service-principal-shapes.js';
import { toGraphUser } from './user-shapes.js';

/** Graph's `group` as Elevate serves it. */
export function toGraphGroup(g: Group) {
  return {
    id: g.id,
    displayName: g.displayName,
    mailNickname: g.mailNickname,
    description: g.description,
    securityEnabled: g.securityEnabled,
    mailEnabled: g.mailEnabled,
    isAssignableToRole: g.isAssignableToRole,
    groupTypes: [...g.groupTypes],
    createdDateTime: g.createdDateTime.toISOString(),
  };
}

/** A member, owner or memberOf entry: the object with the `@odata.type` clients switch on. */
export function toGraphDirectoryObject(o: DirectoryObject) {
  switch (o.type) {
    case 'user':
      return { '@odata.type': '#microsoft.graph.user', ...toGraphUser(o.user) };
    case 'group':
      return { '@odata.type': '#microsoft.graph.group', ...toGraphGroup(o.group) };
    case 'servicePrincipal':
      return {
        '@odata.type': '#microsoft.graph.servicePrincipal',
        ...toGraphServicePrincipal(o.servicePrincipal),
      };
  }
}

const segmentTypes: Record<string, DirectoryObjectRef['type']> = {
  directoryobjects: undefined,
  users: 'user',
  groups: 'group',
  serviceprincipals: 'servicePrincipal',
};
const refPattern =
  /^https?:\/\/[^/\s]+(?:\/[^/\s]+)*?\/(directoryObjects|users|groups|servicePrincipals)\/([^/\s?#]+)$/i;
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `https://graph.microsoft.com/v1.0/directoryObjects/{id}` (any host; users, groups or servicePrincipals too). */
export const directoryObjectUrl = z
  .string()
  .max(2048)
  .transform((url, ctx): DirectoryObjectRef => {
    const shown = url.length > 200 ? `${url.slice(0, 200)}…` : url;
    const m = refPattern.exec(url);
    if (!m) {
      ctx.addIssue({
        code: 'custom',
        message: `'${shown}' must be a URL like https://graph.microsoft.com/v1.0/directoryObjects/{id}`,
      });
      return z.NEVER;
    }
    const id = m[2] ?? '';
    if (!guidPattern.test(id)) {
      ctx.addIssue({
        code: 'custom',
        message: `'${id}' in '${shown}' is not a GUID; the id must look like 00000000-0000-0000-0000-000000000000`,
      });
      return z.NEVER;
    }
    const type = segmentTypes[(m[1] ?? '').toLowerCase()];
    return { id: id.toLowerCase(), ...(type ? { type } : {}) };
  });

// Entra: up to 64 ASCII characters without spaces or @ ( ) \ [ ] " ; : < > ,
const mailNickname = boundedString(64)
  .min(1)
  .regex(/^[\x21-\x7E]+$/, 'must be ASCII without spaces')
  .regex(/^[^@()\\[\]";:<>,]+$/, 'must not contain @ ( ) \\ [ ] " ; : < > ,');

const groupTypes = z
  .array(boundedString(64))
  .max(4)
  .refine((t) => t.length === 0 || (t.length === 1 && t[0] === 'Unified'), {
    message:
      "must be [] (a security group) or ['Unified'] (a Microsoft 365 group); dynamic membership is not supported",
  });

const binds = z.array(directoryObjectUrl).max(20, 'at most 20 objects per request, as Graph allows');

export const createGroupBody = graphBody({
  displayName: boundedString(256).min(1),
  mailNickname,
  description: boundedString(1024).nullable().optional(),
  securityEnabled: z.boolean(),
  mailEnabled: z.boolean(),
  isAssignableToRole: z.boolean().optional(),
  groupTypes: groupTypes.optional(),
  'members@odata.bind': binds.optional(),
  'owners@odata.bind': binds.optional(),
});

export const updateGroupBody = graphBody({
  displayName: boundedString(256).min(1).optional(),
  mailNickname: mailNickname.optional(),
  description: boundedString(1024).nullable().optional(),
  securityEnabled: z.boolean().optional(),
  mailEnabled: z.boolean().optional(),
  groupTypes: groupTypes.optional(),
  isAssignableToRole: z.boolean().optional(),
});

export const refBody = graphBody({ '@odata.id': directoryObjectUrl });

export const groupListSpec = {
  fields: {
    id: { type: 'guid' },
    displayName: { type: 'string' },
    mailNickname: { type: 'string' },
    securityEnabled: { type: 'boolean' },
    mailEnabled: { type: 'boolean' },
    isAssignableToRole: { type: 'boolean' },
  },
  select: [
    'id',
    'displayName',
    'mailNickname',
    'description',
    'securityEnabled',
    'mailEnabled',
    'isAssignableToRole',
    'groupTypes',
    'createdDateTime',
  ],
} as const;

/** Members, owners, memberOf: mixed object types, so `isof` and the union of their properties. */
export const directoryObjectListSpec = {
  fields: { id: { type: 'guid' }, displayName: { type: 'string' } },
  select: [
    'id',
    'displayName',
    'userPrincipalName',
    'mail',
    'accountEnabled',
    'appId',
    'mailNickname',
    'securityEnabled',
    'mailEnabled',
    'isAssignableToRole',
    'groupTypes',
  ],
  types: { $it: ['microsoft.graph.user', 'microsoft.graph.group', 'microsoft.graph.servicePrincipal'] },
} as const;
