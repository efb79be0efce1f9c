import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callContext } from '../call-context.js';
import { guid } from '../graph-body.js';
import { listResponse, odataContext, queryOptions } from '../graph-list.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import {
  administrativeUnitListSpec,
  createAdministrativeUnitBody,
  toGraphAdministrativeUnit,
  updateAdministrativeUnitBody,
} from '../shapes/administrative-unit-shapes.js';

const idParam = z.object({ id: guid });
const tags = ['directory'];
const path = '/directory/administrativeUnits';

/** `/directory/administrativeUnits`: the units that directory roles can be scoped to. */
export const registerAdministrativeUnitRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const entity = (req: FastifyRequest) =>
    odataContext(req, publicUrl, 'directory/administrativeUnits/$entity');

  r.get(path, { schema: { summary: 'List administrative units', tags } }, async (req) => {
    const options = queryOptions(req, administrativeUnitListSpec);
    const units = await services.administrativeUnits.list();
    return listResponse({
      request: req,
      publicUrl,
      contextPath: 'directory/administrativeUnits',
      options,
      items: units.map(toGraphAdministrativeUnit),
    });
  });

  r.get(
    `${path}/:id`,
    { schema: { summary: 'Get an administrative unit', tags, params: idParam } },
    async (req) => ({
      '@odata.context': entity(req),
      ...toGraphAdministrativeUnit(await services.administrativeUnits.get(req.params.id)),
    }),
  );

  r.post(
    path,
    { schema: { summary: 'Create an administrative unit', tags, body: createAdministrativeUnitBody } },
    async (req, reply) => {
      const unit = await services.administrativeUnits.create(callContext(req), req.body);
      return reply.status(201).send({ '@odata.context': entity(req), ...toGraphAdministrativeUnit(unit) });
    },
  );

  r.patch(
    `${path}/:id`,
    {
      schema: {
        summary: 'Update an administrative unit',
        tags,
        params: idParam,
        body: updateAdministrativeUnitBody,
      },
    },
    async (req, reply) => {
      await services.administrativeUnits.update(callContext(req), req.params.id, req.body);
      return reply.status(204).send();
    },
  );

  r.delete(
    `${path}/:id`,
    {
      schema: { summary: 'Delete an administrative unit with no roles scoped to it', tags, params: idParam },
    },
    async (req, reply) => {
      await services.administrativeUnits.remove(callContext(req), req.params.id);
      return reply.status(204).send();
    },
  );
};
