import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ElevateError } from '../../../core/errors.js';
import { callContext } from '../call-context.js';
import { listResponse, odataContext, queryOptions } from '../graph-list.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import { createUserBody, toGraphUser, updateUserBody, userListSpec } from '../shapes/user-shapes.js';

const idParam = z.object({ id: z.string().min(1).max(256) });

/** `/users`, `/users/{id | userPrincipalName}`, `/me`. */
export const registerUserRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/users', { schema: { summary: 'List users', tags: ['directory'] } }, async (req) => {
    const options = queryOptions(req, userListSpec);
    const users = await services.users.list();
    return listResponse({
      request: req,
      publicUrl,
      contextPath: 'users',
      options,
      items: users.map(toGraphUser),
    });
  });

  r.get(
    '/users/:id',
    { schema: { summary: 'Get a user by id or userPrincipalName', tags: ['directory'], params: idParam } },
    async (req) => {
      const user = await services.users.getByUpnOrId(req.params.id);
      return { '@odata.context': odataContext(req, publicUrl, 'users/$entity'), ...toGraphUser(user) };
    },
  );

  r.get('/me', { schema: { summary: 'The signed-in user', tags: ['directory'] } }, async (req) => {
    if (req.actor.type !== 'user') {
      throw new ElevateError(
        'request.invalid',
        '/me is only valid with a user token; service principals have no /me.',
      );
    }
    const user = await services.users.get(req.actor.id);
    return { '@odata.context': odataContext(req, publicUrl, 'users/$entity'), ...toGraphUser(user) };
  });

  r.post(
    '/users',
    { schema: { summary: 'Create a user', tags: ['directory'], body: createUserBody } },
    async (req, reply) => {
      const b = req.body;
      const user = await services.users.create(callContext(req), {
        userPrincipalName: b.userPrincipalName,
        displayName: b.displayName,
        mail: b.mail ?? null,
        givenName: b.givenName ?? null,
        surname: b.surname ?? null,
        jobTitle: b.jobTitle ?? null,
        accountEnabled: b.accountEnabled,
        password: b.passwordProfile?.password ?? null,
      });
      return reply
        .status(201)
        .send({ '@odata.context': odataContext(req, publicUrl, 'users/$entity'), ...toGraphUser(user) });
    },
  );

  r.patch(
    '/users/:id',
    { schema: { summary: 'Update a user', tags: ['directory'], params: idParam, body: updateUserBody } },
    async (req, reply) => {
      const user = await services.users.getByUpnOrId(req.params.id);
      const b = req.body;
      await services.users.update(callContext(req), user.id, {
        userPrincipalName: b.userPrincipalName,
        displayName: b.displayName,
        mail: b.mail,
        givenName: b.givenName,
        surname: b.surname,
        jobTitle: b.jobTitle,
        accountEnabled: b.accountEnabled,
        password: b.passwordProfile?.password,
      });
      return reply.status(204).send();
    },
  );

  r.delete(
    '/users/:id',
    { schema: { summary: 'Delete a user', tags: ['directory'], params: idParam } },
    async (req, reply) => {
      const user = await services.users.getByUpnOrId(req.params.id);
      await services.users.remove(callContext(req), user.id);
      return reply.status(204).send();
    },
  );
};
