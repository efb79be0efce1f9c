import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CurrentUserFilter } from '../../../app/requests/schedule-request-service.js';
import type { ScheduleInstance } from '../../../app/requests/schedule-service.js';
import type { Services } from '../../../app/services.js';
import { ElevateError } from '../../../core/errors.js';
import type { ScheduleRequest } from '../../../core/model/request.js';
import type { Schedule, ScheduleKind } from '../../../core/model/schedule.js';
import { stepUpHeaders, stepUpOf } from '../../auth/step-up-proof.js';
import { callContext } from '../call-context.js';
import { currentUserFunction, stripActivatedUsing } from '../current-user-function.js';
import { keysetListResponse, odataContext, queryOptions, sqlOrder } from '../graph-list.js';
import { instanceColumns, requestColumns, scheduleColumns } from '../list-columns.js';
import { equalityTerm, pushDownFilter } from '../odata/index.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import { expandItems } from '../shapes/expand.js';
import {
  requestListSpec,
  scheduleListSpec,
  scheduleRequestBody,
  toGraphInstance,
  toGraphRequest,
  toGraphSchedule,
  toScheduleRequestInput,
} from '../shapes/schedule-request-shapes.js';

const base = '/roleManagement/directory';
const idParam = z.object({ id: z.string().min(1).max(200) });
/** The nine-action request endpoints, schedules and instances, for assignments and eligibilities alike. */
function registerKind(
  app: Parameters<GraphRouteRegistrar>[0],
  services: Services,
  publicUrl: string | undefined,
  kind: ScheduleKind,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const noun = kind === 'assignment' ? 'roleAssignment' : 'roleEligibility';
  const requests = `${noun}ScheduleRequests`;
  const schedules = `${noun}Schedules`;
  const instances = `${noun}ScheduleInstances`;
  const tags = ['role management'];

  const activatedUsing = async (item: Record<string, unknown>) => {
    const id = (item.activatedUsing as string | undefined) ?? undefined;
    const s = id ? await services.lookups.schedule(id) : undefined;
    return s ? toGraphSchedule(s) : null;
  };
  const requestNavs = {
    targetSchedule: async (item: Record<string, unknown>) => {
      const s = item.targetScheduleId
        ? await services.lookups.schedule(String(item.targetScheduleId))
        : undefined;
      return s ? toGraphSchedule(s) : null;
    },
    activatedUsing,
  };

  const sendRequests = async (req: FastifyRequest, on?: CurrentUserFilter) => {
    const options = queryOptions(req, requestListSpec);
    const ctx = callContext(req);
    const where = pushDownFilter(options.filter, requestColumns);
    const createdOrder = sqlOrder(options, 'createdDateTime');
    const query = {
      ...(on ? { on } : {}),
      ...(where ? { where } : {}),
      ...(createdOrder && { createdOrder }),
    };
    const shape = async (list: readonly ScheduleRequest[]) => {
      const shaped = list.map((x) => ({ ...toGraphRequest(x), activatedUsing: x.activatedUsing }));
      const expanded = await expandItems(shaped, options.expand, services.lookups, requestNavs);
      return expanded.map(stripActivatedUsing(options.expand));
    };
    return keysetListResponse({
      request: req,
      publicUrl,
      contextPath: `${base.slice(1)}/${requests}`,
      options,
      shape,
      sortedInSql: createdOrder !== undefined,
      list: {
        page: (page) => services.requestLists.page(ctx, kind, query, page),
        count: (keep) => services.requestLists.count(ctx, kind, query, keep),
      },
    });
  };

  r.get(`${base}/${requests}`, { schema: { summary: `List ${requests}`, tags } }, async (req) =>
    sendRequests(req),
  );

  r.get(
    `${base}/${requests}/:id`,
    {
      schema: {
        summary: `Get one of ${requests}, or filterByCurrentUser(on='principal'|'createdBy'|'approver')`,
        tags,
        params: idParam,
      },
    },
    async (req) => {
      const on = currentUserFunction(req.params.id, ['principal', 'createdBy', 'approver']);
      if (on) return sendRequests(req, on);
      const options = queryOptions(req, requestListSpec);
      const found = await services.requests.get(callContext(req), kind, req.params.id);
      const [item] = await expandItems(
        [{ ...toGraphRequest(found), activatedUsing: found.activatedUsing }],
        options.expand,
        services.lookups,
        requestNavs,
      );
      const { activatedUsing: nav, ...rest } = item!;
      return {
        '@odata.context': odataContext(req, publicUrl, `${base.slice(1)}/${requests}/$entity`),
        ...rest,
        ...(options.expand.some((e) => e.name === 'activatedUsing') ? { activatedUsing: nav } : {}),
      };
    },
  );

  r.post(
    `${base}/${requests}`,
    {
      schema: {
        summary: `Create one of ${requests} (any of the nine actions)`,
        tags,
        body: scheduleRequestBody,
        headers: stepUpHeaders,
      },
    },
    async (req, reply) => {
      const input = toScheduleRequestInput(kind, req.body);
      if (typeof input === 'string') throw new ElevateError('request.invalid', input);
      const created = await services.requests.create(callContext(req), input, stepUpOf(req));
      return reply.status(201).send({
        '@odata.context': odataContext(req, publicUrl, `${base.slice(1)}/${requests}/$entity`),
        ...toGraphRequest(created),
      });
    },
  );

  r.post(
    `${base}/${requests}/:id/cancel`,
    { schema: { summary: `Cancel one of ${requests}`, tags, params: idParam } },
    async (req, reply) => {
      await services.requests.cancel(callContext(req), kind, req.params.id);
      return reply.status(204).send();
    },
  );

  const sendSchedules = async (req: FastifyRequest, currentUser: boolean) => {
    const options = queryOptions(req, scheduleListSpec);
    const ctx = callContext(req);
    const where = pushDownFilter(options.filter, scheduleColumns);
    const query = { currentUser, ...(where ? { where } : {}) };
    const shape = async (list: readonly Schedule[]) => {
      const shaped = list.map((s) => ({ ...toGraphSchedule(s), activatedUsing: s.activatedUsing }));
      const expanded = await expandItems(shaped, options.expand, services.lookups, { activatedUsing });
      return expanded.map(stripActivatedUsing(options.expand));
    };
    return keysetListResponse({
      request: req,
      publicUrl,
      contextPath: `${base.slice(1)}/${schedules}`,
      options,
      shape,
      list: {
        page: (page) => services.schedules.pageSchedules(ctx, kind, query, page),
        count: (keep) => services.schedules.countSchedules(ctx, kind, query, keep),
      },
    });
  };
  r.get(`${base}/${schedules}`, { schema: { summary: `List ${schedules}`, tags } }, async (req) =>
    sendSchedules(req, false),
  );
  r.get(
    `${base}/${schedules}/:id`,
    {
      schema: {
        summary: `Get one of ${schedules}, or filterByCurrentUser(on='principal')`,
        tags,
        params: idParam,
      },
    },
    async (req) => {
      if (currentUserFunction(req.params.id, ['principal'])) return sendSchedules(req, true);
      const s = await services.schedules.getSchedule(callContext(req), kind, req.params.id);
      return {
        '@odata.context': odataContext(req, publicUrl, `${base.slice(1)}/${schedules}/$entity`),
        ...toGraphSchedule(s),
      };
    },
  );

  const sendInstances = async (req: FastifyRequest, currentUser: boolean) => {
    const options = queryOptions(req, scheduleListSpec);
    const ctx = callContext(req);
    const where = pushDownFilter(options.filter, instanceColumns);
    const principalId = equalityTerm(options.filter, 'principalId')?.toLowerCase();
    const query = {
      currentUser,
      ...(where ? { where } : {}),
      ...(principalId ? { filterPrincipalId: principalId } : {}),
    };
    const shape = async (list: readonly ScheduleInstance[]) => {
      const shaped = list.map((i) => ({ ...toGraphInstance(i), activatedUsing: i.schedule.activatedUsing }));
      const expanded = await expandItems(shaped, options.expand, services.lookups, { activatedUsing });
      return expanded.map(stripActivatedUsing(options.expand));
    };
    return keysetListResponse({
      request: req,
      publicUrl,
      contextPath: `${base.slice(1)}/${instances}`,
      options,
      shape,
      list: {
        page: (page) => services.schedules.pageInstances(ctx, kind, query, page),
        count: (keep) => services.schedules.countInstances(ctx, kind, query, keep),
      },
    });
  };
  r.get(
    `${base}/${instances}`,
    { schema: { summary: `List ${instances} (in effect now)`, tags } },
    async (req) => sendInstances(req, false),
  );
  r.get(
    `${base}/${instances}/:id`,
    {
      schema: {
        summary: `Get one of ${instances}, or filterByCurrentUser(on='principal')`,
        tags,
        params: idParam,
      },
    },
    async (req) => {
      if (currentUserFunction(req.params.id, ['principal'])) return sendInstances(req, true);
      const i = await services.schedules.getInstance(callContext(req), kind, req.params.id);
      return {
        '@odata.context': odataContext(req, publicUrl, `${base.slice(1)}/${instances}/$entity`),
        ...toGraphInstance(i),
      };
    },
  );
}

/** `/roleManagement/directory/{roleAssignment,roleEligibility}Schedule{Requests,s,Instances}`. */
export const registerScheduleRequestRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  registerKind(app, services, publicUrl, 'assignment');
  registerKind(app, services, publicUrl, 'eligibility');
};
