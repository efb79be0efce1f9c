import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RoleDefinition } from '../../../app/directory/role-definition-service.js';
import { callContext } from '../call-context.js';
import { guid } from '../graph-body.js';
import { listResponse, odataContext, queryOptions } from '../graph-list.js';
import { applySelect, type QueryOptions } from '../odata/index.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import {
  createRoleDefinitionBody,
  roleDefinitionEntitySpec,
  roleDefinitionListSpec,
  toGraphRoleDefinition,
  updateRoleDefinitionBody,
} from '../shapes/role-definition-shapes.js';

const idParam = z.object({ id: guid });
const tags = ['roleManagement'];
const path = '/roleManagement/directory/roleDefinitions';

/** A role as listed, with `inheritsPermissionsFrom` when expanded (Elevate's roles inherit from none). */
const toItem = (role: RoleDefinition, options: QueryOptions) => ({
  ...toGraphRoleDefinition(role),
  ...(options.expand.some((e) => e.name === 'inheritsPermissionsFrom') && { inheritsPermissionsFrom: [] }),
});

/** Flattens Graph's rolePermissions into the service's action list. */
const actionsOf = (permissions: readonly { allowedResourceActions: readonly string[] }[]) =>
  permissions.flatMap((p) => p.allowedResourceActions);

/** `/roleManagement/directory/roleDefinitions`: the built-in catalogue plus custom roles. */
export const registerRoleDefinitionRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const contextPath = 'roleManagement/directory/roleDefinitions';

  r.get(path, { schema: { summary: 'List role definitions, built-in and custom', tags } }, async (req) => {
    const options = queryOptions(req, roleDefinitionListSpec);
    const roles = await services.roleDefinitions.listRoles();
    return listResponse({
      request: req,
      publicUrl,
      contextPath,
      options,
      items: roles.map((x) => toItem(x, options)),
    });
  });

  r.get(
    `${path}/:id`,
    { schema: { summary: 'Get a role definition', tags, params: idParam } },
    async (req) => {
      const options = queryOptions(req, roleDefinitionEntitySpec);
      const role = await services.roleDefinitions.getRole(req.params.id);
      return {
        '@odata.context': odataContext(req, publicUrl, `${contextPath}/$entity`),
        ...applySelect(toItem(role, options), options.select, options.expand),
      };
    },
  );

  r.post(
    path,
    { schema: { summary: 'Create a custom role definition', tags, body: createRoleDefinitionBody } },
    async (req, reply) => {
      const b = req.body;
      const role = await services.roleDefinitions.create(callContext(req), {
        displayName: b.displayName,
        description: b.description ?? null,
        isEnabled: b.isEnabled ?? true,
        allowedResourceActions: actionsOf(b.rolePermissions),
        ...(b.templateId !== undefined && { templateId: b.templateId }),
        version: b.version ?? null,
      });
      return reply.status(201).send({
        '@odata.context': odataContext(req, publicUrl, `${contextPath}/$entity`),
        ...toGraphRoleDefinition(role),
      });
    },
  );

  r.patch(
    `${path}/:id`,
    {
      schema: {
        summary: 'Update a custom role definition',
        tags,
        params: idParam,
        body: updateRoleDefinitionBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      await services.roleDefinitions.update(callContext(req), req.params.id, {
        displayName: b.displayName,
        description: b.description,
        isEnabled: b.isEnabled,
        version: b.version,
        templateId: b.templateId,
        allowedResourceActions: b.rolePermissions && actionsOf(b.rolePermissions),
      });
      return reply.status(204).send();
    },
  );

  r.delete(
    `${path}/:id`,
    { schema: { summary: 'Delete a custom role definition no one holds', tags, params: idParam } },
    async (req, reply) => {
      await services.roleDefinitions.remove(callContext(req), req.params.id);
      return reply.status(204).send();
    },
  );
};
