import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callContext } from '../call-context.js';
import { guid } from '../graph-body.js';
import { listResponse, odataContext, queryOptions } from '../graph-list.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import {
  addPasswordBody,
  createServicePrincipalBody,
  newPasswordCredentialResponse,
  removePasswordBody,
  servicePrincipalListResponse,
  servicePrincipalListSpec,
  servicePrincipalResponse,
  toGraphNewCredential,
  toGraphServicePrincipal,
  updateServicePrincipalBody,
} from '../shapes/service-principal-shapes.js';

const idParam = z.object({ id: guid });
const tags = ['directory'];

/** `/servicePrincipals` and their client secrets (`addPassword`, `removePassword`). */
export const registerServicePrincipalRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const entity = (req: FastifyRequest) => odataContext(req, publicUrl, 'servicePrincipals/$entity');

  r.get(
    '/servicePrincipals',
    { schema: { summary: 'List service principals', tags, response: { 200: servicePrincipalListResponse } } },
    async (req) => {
      const options = queryOptions(req, servicePrincipalListSpec);
      const sps = await services.servicePrincipals.list();
      return listResponse({
        request: req,
        publicUrl,
        contextPath: 'servicePrincipals',
        options,
        items: sps.map(toGraphServicePrincipal),
      });
    },
  );

  r.get(
    '/servicePrincipals/:id',
    {
      schema: {
        summary: 'Get a service principal',
        tags,
        params: idParam,
        response: { 200: servicePrincipalResponse },
      },
    },
    async (req) => ({
      '@odata.context': entity(req),
      ...toGraphServicePrincipal(await services.servicePrincipals.get(req.params.id)),
    }),
  );

  r.post(
    '/servicePrincipals',
    {
      schema: {
        summary: 'Create a service principal (a new appId is made when none is given)',
        tags,
        body: createServicePrincipalBody,
        response: { 201: servicePrincipalResponse },
      },
    },
    async (req, reply) => {
      const sp = await services.servicePrincipals.create(callContext(req), req.body);
      return reply.status(201).send({ '@odata.context': entity(req), ...toGraphServicePrincipal(sp) });
    },
  );

  r.patch(
    '/servicePrincipals/:id',
    {
      schema: {
        summary: 'Update a service principal',
        tags,
        params: idParam,
        body: updateServicePrincipalBody,
      },
    },
    async (req, reply) => {
      await services.servicePrincipals.update(callContext(req), req.params.id, req.body);
      return reply.status(204).send();
    },
  );

  r.delete(
    '/servicePrincipals/:id',
    { schema: { summary: 'Delete a service principal', tags, params: idParam } },
    async (req, reply) => {
      await services.servicePrincipals.remove(callContext(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.post(
    '/servicePrincipals/:id/addPassword',
    {
      schema: {
        summary: 'Add a client secret; the secret is in this response only',
        tags,
        params: idParam,
        body: addPasswordBody,
        response: { 200: newPasswordCredentialResponse },
      },
    },
    async (req) => {
      const input = req.body.passwordCredential ?? {};
      const credential = await services.servicePrincipals.addPassword(callContext(req), req.params.id, input);
      return {
        '@odata.context': odataContext(req, publicUrl, 'microsoft.graph.passwordCredential'),
        ...toGraphNewCredential(credential),
      };
    },
  );

  r.post(
    '/servicePrincipals/:id/removePassword',
    { schema: { summary: 'Remove a client secret', tags, params: idParam, body: removePasswordBody } },
    async (req, reply) => {
      await services.servicePrincipals.removePassword(callContext(req), req.params.id, req.body.keyId);
      return reply.status(204).send();
    },
  );
};
