import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { GroupRelationship } from '../../../app/directory/group-service.js';
import { callContext } from '../call-context.js';
import { guid } from '../graph-body.js';
import { listResponse, odataContext, queryOptions } from '../graph-list.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import {
  createGroupBody,
  directoryObjectListSpec,
  groupListSpec,
  refBody,
  toGraphDirectoryObject,
  toGraphGroup,
  updateGroupBody,
} from '../shapes/group-shapes.js';

const idParam = z.object({ id: guid });
const relatedParams = z.object({ id: guid, objectId: guid });
const tags = ['directory'];

/** `/groups`, their `members` and `owners` (with `$ref`), and `memberOf` of users, groups and service principals. */
export const registerGroupRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const entity = (req: FastifyRequest) => odataContext(req, publicUrl, 'groups/$entity');

  r.get('/groups', { schema: { summary: 'List groups', tags } }, async (req) => {
    const options = queryOptions(req, groupListSpec);
    const groups = await services.groups.list();
    return listResponse({
      request: req,
      publicUrl,
      contextPath: 'groups',
      options,
      items: groups.map(toGraphGroup),
    });
  });

  r.get('/groups/:id', { schema: { summary: 'Get a group', tags, params: idParam } }, async (req) => ({
    '@odata.context': entity(req),
    ...toGraphGroup(await services.groups.get(req.params.id)),
  }));

  r.post(
    '/groups',
    {
      schema: { summary: 'Create a group, optionally with members and owners', tags, body: createGroupBody },
    },
    async (req, reply) => {
      const b = req.body;
      const group = await services.groups.create(callContext(req), {
        displayName: b.displayName,
        mailNickname: b.mailNickname,
        description: b.description ?? null,
        securityEnabled: b.securityEnabled,
        mailEnabled: b.mailEnabled,
        isAssignableToRole: b.isAssignableToRole ?? false,
        groupTypes: b.groupTypes ?? [],
        members: b['members@odata.bind'] ?? [],
        owners: b['owners@odata.bind'] ?? [],
      });
      return reply.status(201).send({ '@odata.context': entity(req), ...toGraphGroup(group) });
    },
  );

  r.patch(
    '/groups/:id',
    { schema: { summary: 'Update a group', tags, params: idParam, body: updateGroupBody } },
    async (req, reply) => {
      await services.groups.update(callContext(req), req.params.id, req.body);
      return reply.status(204).send();
    },
  );

  r.delete(
    '/groups/:id',
    { schema: { summary: 'Delete a group', tags, params: idParam } },
    async (req, reply) => {
      await services.groups.remove(callContext(req), req.params.id);
      return reply.status(204).send();
    },
  );

  for (const relationship of ['member', 'owner'] as const satisfies readonly GroupRelationship[]) {
    const plural = `${relationship}s`;
    r.get(
      `/groups/:id/${plural}`,
      { schema: { summary: `List a group's direct ${plural}`, tags, params: idParam } },
      async (req) => {
        const options = queryOptions(req, directoryObjectListSpec);
        const objects = await services.groups.listRelated(req.params.id, relationship);
        return listResponse({
          request: req,
          publicUrl,
          contextPath: 'directoryObjects',
          options,
          items: objects.map(toGraphDirectoryObject),
        });
      },
    );

    r.post(
      `/groups/:id/${plural}/$ref`,
      { schema: { summary: `Add a ${relationship} to a group`, tags, params: idParam, body: refBody } },
      async (req, reply) => {
        await services.groups.addRelated(
          callContext(req),
          req.params.id,
          relationship,
          req.body['@odata.id'],
        );
        return reply.status(204).send();
      },
    );

    r.delete(
      `/groups/:id/${plural}/:objectId/$ref`,
      { schema: { summary: `Remove a ${relationship} from a group`, tags, params: relatedParams } },
      async (req, reply) => {
        await services.groups.removeRelated(
          callContext(req),
          req.params.id,
          relationship,
          req.params.objectId,
        );
        return reply.status(204).send();
      },
    );
  }

  const memberOf = async (req: FastifyRequest, principalId: string) => {
    const options = queryOptions(req, directoryObjectListSpec);
    const groups = await services.groups.memberOf(principalId);
    return listResponse({
      request: req,
      publicUrl,
      contextPath: 'directoryObjects',
      options,
      items: groups.map((group) => toGraphDirectoryObject({ type: 'group', group })),
    });
  };

  r.get(
    '/users/:id/memberOf',
    {
      schema: {
        summary: 'Groups a user is a direct member of',
        tags,
        params: z.object({ id: z.string().min(1).max(256) }),
      },
    },
    async (req) => memberOf(req, (await services.users.getByUpnOrId(req.params.id)).id),
  );
  r.get(
    '/groups/:id/memberOf',
    { schema: { summary: 'Groups a group is a direct member of', tags, params: idParam } },
    async (req) => memberOf(req, (await services.groups.get(req.params.id)).id),
  );
  r.get(
    '/servicePrincipals/:id/memberOf',
    { schema: { summary: 'Groups a service principal is a direct member of', tags, params: idParam } },
    async (req) => memberOf(req, (await services.servicePrincipals.get(req.params.id)).id),
  );
};
