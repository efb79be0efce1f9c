import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CurrentUserFilter } from '../../../app/requests/schedule-request-service.js';
import type { ScheduleInstance } from '../../../app/requests/schedule-service.js';
import type { Services } from '../../../app/services.js';
import { notFound } from '../../../core/errors.js';
import type { ScheduleRequest } from '../../../core/model/request.js';
import type { Schedule, ScheduleKind } from '../../../core/model/schedule.js';
import { stepUpHeaders, stepUpOf } from '../../auth/step-up-proof.js';
import { callContext } from '../call-context.js';
import { currentUserFunction, stripActivatedUsing } from '../current-user-function.js';
import { keysetListResponse, odataContext, queryOptions, sqlOrder } from '../graph-list.js';
import { groupInstanceColumns, groupRequestColumns, groupScheduleColumns } from '../list-columns.js';
import { pushDownFilter, type QueryOptions } from '../odata/index.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import { expandItems, toGraphDirectoryObject } from '../shapes/expand.js';
import { mandatoryGroupFilter } from '../shapes/group-pim-filter.js';
import {
  groupRequestListSpec,
  groupScheduleListSpec,
  groupScheduleRequestBody,
  toGraphGroupInstance,
  toGraphGroupRequest,
  toGraphGroupSchedule,
  toGroupRequestInput,
} from '../shapes/group-pim-shapes.js';

/** Base of PIM for Groups (research §3.1): `PrivilegedAccessRoot` → `group`. */
export const groupPimBase = '/identityGovernance/privilegedAccess/group';
const idParam = z.object({ id: z.string().min(1).max(300) });
const tags = ['PIM for Groups'];

/** The group of a schedule or instance id on the wire (`{groupId}_{accessId}_{id}…`), if it has one. */
function groupOfWireId(id: string): string | undefined {
  const groupId = id.toLowerCase().split('_')[0] ?? '';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(groupId) ? groupId : undefined;
}

/** The schedule requests, schedules and instances of one kind (assignment or eligibility) of PIM for Groups. */
function registerKind(
  app: Parameters<GraphRouteRegistrar>[0],
  services: Services,
  publicUrl: string | undefined,
  kind: ScheduleKind,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const noun = kind === 'assignment' ? 'assignment' : 'eligibility';
  const requests = `${noun}ScheduleRequests`;
  const schedules = `${noun}Schedules`;
  const instances = `${noun}ScheduleInstances`;
  const context = (req: FastifyRequest, path: string) =>
    odataContext(req, publicUrl, `${groupPimBase.slice(1)}/${path}`);

  const scheduleNav = async (id: string | null | undefined) => {
    const s = id ? await services.lookups.schedule(id) : undefined;
    return s ? toGraphGroupSchedule(s) : null;
  };
  const navs = {
    group: async (item: Record<string, unknown>) => {
      const p = await services.lookups.principal(String(item.groupId));
      return p ? toGraphDirectoryObject(p) : null;
    },
    activatedUsing: (item: Record<string, unknown>) => scheduleNav(item.activatedUsing as string | null),
    targetSchedule: (item: Record<string, unknown>) => scheduleNav(item.targetScheduleRowId as string | null),
  };
  const expand = async <T extends Record<string, unknown>>(items: T[], options: QueryOptions) =>
    (await expandItems(items, options.expand, services.lookups, navs)).map((i) => {
      const { targetScheduleRowId: _, ...rest } = i;
      return stripActivatedUsing(options.expand)(rest);
    });

  // ------------------------------------------------------------------ schedule requests

  const sendRequests = async (req: FastifyRequest, on?: CurrentUserFilter) => {
    const options = queryOptions(req, groupRequestListSpec);
    const ctx = callContext(req);
    const scope = on ? {} : mandatoryGroupFilter(options.filter);
    const where = pushDownFilter(options.filter, groupRequestColumns);
    const createdOrder = sqlOrder(options, 'createdDateTime');
    const query = {
      targetKind: 'group' as const,
      ...scope,
      ...(on ? { on } : {}),
      ...(where ? { where } : {}),
      ...(createdOrder && { createdOrder }),
    };
    const shape = (list: readonly ScheduleRequest[]) =>
      expand(
        list.map((x) => ({
          ...toGraphGroupRequest(x),
          activatedUsing: x.activatedUsing,
          targetScheduleRowId: x.targetScheduleId,
        })),
        options,
      );
    return keysetListResponse({
      request: req,
      publicUrl,
      contextPath: `${groupPimBase.slice(1)}/${requests}`,
      options,
      shape,
      sortedInSql: createdOrder !== undefined,
      list: {
        page: (page) => services.requestLists.page(ctx, kind, query, page),
        count: (keep) => services.requestLists.count(ctx, kind, query, keep),
      },
    });
  };

  r.get(
    `${groupPimBase}/${requests}`,
    { schema: { summary: `List ${requests} ($filter on groupId or principalId is required)`, tags } },
    async (req) => sendRequests(req),
  );

  r.get(
    `${groupPimBase}/${requests}/:id`,
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
      const options = queryOptions(req, groupRequestListSpec);
      const found = await services.requests.get(callContext(req), kind, req.params.id, 'group');
      const [item] = await expand(
        [
          {
            ...toGraphGroupRequest(found),
            activatedUsing: found.activatedUsing,
            targetScheduleRowId: found.targetScheduleId,
          },
        ],
        options,
      );
      return { '@odata.context': context(req, `${requests}/$entity`), ...item };
    },
  );

  r.post(
    `${groupPimBase}/${requests}`,
    {
      schema: {
        summary: `Create one of ${requests}: accessId member|owner, groupId, principalId, action`,
        tags,
        body: groupScheduleRequestBody,
        headers: stepUpHeaders,
      },
    },
    async (req, reply) => {
      const created = await services.requests.create(
        callContext(req),
        toGroupRequestInput(kind, req.body),
        stepUpOf(req),
      );
      return reply
        .status(201)
        .send({ '@odata.context': context(req, `${requests}/$entity`), ...toGraphGroupRequest(created) });
    },
  );

  r.post(
    `${groupPimBase}/${requests}/:id/cancel`,
    { schema: { summary: `Cancel one of ${requests}`, tags, params: idParam } },
    async (req, reply) => {
      await services.requests.cancel(callContext(req), kind, req.params.id, 'group');
      return reply.status(204).send();
    },
  );

  // ------------------------------------------------------------------ schedules

  const sendSchedules = async (req: FastifyRequest, currentUser: boolean) => {
    const options = queryOptions(req, groupScheduleListSpec);
    const ctx = callContext(req);
    const scope = currentUser ? {} : mandatoryGroupFilter(options.filter);
    const where = pushDownFilter(options.filter, groupScheduleColumns);
    const query = { targetKind: 'group' as const, currentUser, ...scope, ...(where ? { where } : {}) };
    const shape = (list: readonly Schedule[]) =>
      expand(
        list.map((s) => ({ ...toGraphGroupSchedule(s), activatedUsing: s.activatedUsing })),
        options,
      );
    return keysetListResponse({
      request: req,
      publicUrl,
      contextPath: `${groupPimBase.slice(1)}/${schedules}`,
      options,
      shape,
      list: {
        page: (page) => services.schedules.pageSchedules(ctx, kind, query, page),
        count: (keep) => services.schedules.countSchedules(ctx, kind, query, keep),
      },
    });
  };
  r.get(
    `${groupPimBase}/${schedules}`,
    { schema: { summary: `List ${schedules} ($filter on groupId or principalId is required)`, tags } },
    async (req) => sendSchedules(req, false),
  );
  r.get(
    `${groupPimBase}/${schedules}/:id`,
    {
      schema: {
        summary: `Get one of ${schedules}, or filterByCurrentUser(on='principal')`,
        tags,
        params: idParam,
      },
    },
    async (req) => {
      if (currentUserFunction(req.params.id, ['principal'])) return sendSchedules(req, true);
      const options = queryOptions(req, groupScheduleListSpec);
      const groupId = groupOfWireId(req.params.id);
      const list = groupId
        ? await services.schedules.listSchedules(callContext(req), kind, { targetKind: 'group', groupId })
        : [];
      const found = list.find((s) => toGraphGroupSchedule(s).id === req.params.id.toLowerCase());
      if (!found) throw notFound('Schedule', req.params.id);
      const [item] = await expand(
        [{ ...toGraphGroupSchedule(found), activatedUsing: found.activatedUsing }],
        options,
      );
      return { '@odata.context': context(req, `${schedules}/$entity`), ...item };
    },
  );

  // ------------------------------------------------------------------ instances (in effect now)

  const sendInstances = async (req: FastifyRequest, currentUser: boolean) => {
    const options = queryOptions(req, groupScheduleListSpec);
    const ctx = callContext(req);
    const scope = currentUser ? {} : mandatoryGroupFilter(options.filter);
    const where = pushDownFilter(options.filter, groupInstanceColumns);
    const query = { targetKind: 'group' as const, currentUser, ...scope, ...(where ? { where } : {}) };
    const shape = (list: readonly ScheduleInstance[]) =>
      expand(
        list.map((i) => ({ ...toGraphGroupInstance(i), activatedUsing: i.schedule.activatedUsing })),
        options,
      );
    return keysetListResponse({
      request: req,
      publicUrl,
      contextPath: `${groupPimBase.slice(1)}/${instances}`,
      options,
      shape,
      list: {
        page: (page) => services.schedules.pageInstances(ctx, kind, query, page),
        count: (keep) => services.schedules.countInstances(ctx, kind, query, keep),
      },
    });
  };
  r.get(
    `${groupPimBase}/${instances}`,
    {
      schema: {
        summary: `List ${instances} (in effect now; $filter on groupId or principalId is required)`,
        tags,
      },
    },
    async (req) => sendInstances(req, false),
  );
  r.get(
    `${groupPimBase}/${instances}/:id`,
    {
      schema: {
        summary: `Get one of ${instances}, or filterByCurrentUser(on='principal')`,
        tags,
        params: idParam,
      },
    },
    async (req) => {
      if (currentUserFunction(req.params.id, ['principal'])) return sendInstances(req, true);
      const options = queryOptions(req, groupScheduleListSpec);
      const groupId = groupOfWireId(req.params.id);
      const list = groupId
        ? await services.schedules.listInstances(callContext(req), kind, { targetKind: 'group', groupId })
        : [];
      const found = list.find((i) => toGraphGroupInstance(i).id === req.params.id.toLowerCase());
      if (!found) throw notFound('Schedule instance', req.params.id);
      const [item] = await expand(
        [{ ...toGraphGroupInstance(found), activatedUsing: found.schedule.activatedUsing }],
        options,
      );
      return { '@odata.context': context(req, `${instances}/$entity`), ...item };
    },
  );
}

/**
 * PIM for Groups under `/identityGovernance/privilegedAccess/group` (research §3): schedule requests (all nine
 * actions, accessId member|owner), schedules and instances of assignments and eligibilities. Their lists need
 * `$filter` on groupId or principalId, as Graph's do; `filterByCurrentUser` needs none.
 */
export const registerGroupPimRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  registerKind(app, services, publicUrl, 'assignment');
  registerKind(app, services, publicUrl, 'eligibility');
};
