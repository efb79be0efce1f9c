import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AccessCheckInput } from '../../app/access/access-service.js';
import type { Services } from '../../app/services.js';
import {
  type AccessGrantResponse,
  type AccessQueryBody,
  accessCheckBodySchema,
  accessCheckResponseSchema,
  accessExplainQuerySchema,
  accessExplanationSchema,
} from '../../contracts/access-schemas.js';
import type { AccessDecision, AccessGrant } from '../../core/access/access-grant.js';
import { authenticateRequest } from '../auth/authenticate.js';
import { callContext } from '../graph/call-context.js';
import { groupScheduleWireId } from '../graph/shapes/group-pim-shapes.js';
import { registerAccessDecideRoute } from './access-decide-route.js';
import { sendApiError } from './api-errors.js';
import type { ApiRouteRegistrar } from './api-route-types.js';
import { toReceiptResponse } from './provisioning-routes.js';

const tags = ['access'];
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toGrantResponse(g: AccessGrant): AccessGrantResponse {
  const s = g.schedule;
  const m = g.group;
  return {
    state: g.state,
    roleDefinitionId: s.roleDefinitionId,
    roleDisplayName: g.roleDisplayName,
    targetKind: s.targetKind === 'resourceRole' ? 'resourceRole' : 'directoryRole',
    scope: s.scopeId,
    inheritedFrom: g.inheritedFrom,
    memberType: m === null ? 'Direct' : 'Group',
    kind: s.kind,
    assignmentType: s.assignmentType,
    status: s.status,
    scheduleId: s.id,
    createdUsing: s.createdUsing,
    activatedUsing: s.activatedUsing,
    scheduleStartDateTime: s.start.toISOString(),
    scheduleEndDateTime: iso(s.end),
    startDateTime: g.window.start.toISOString(),
    endDateTime: iso(g.window.end),
    group:
      m === null
        ? null
        : {
            id: m.groupId,
            displayName: m.displayName,
            membership: m.membership,
            scheduleId: m.schedule ? groupScheduleWireId(m.schedule, m.schedule.id) : null,
            createdUsing: m.schedule?.createdUsing ?? null,
            startDateTime: m.schedule ? m.schedule.start.toISOString() : null,
            endDateTime: m.schedule ? iso(m.schedule.end) : null,
          },
  };
}

const toDecisionResponse = (d: AccessDecision) => ({
  allowed: d.allowed,
  reason: d.reason,
  ...(d.via ? { via: toGrantResponse(d.via) } : {}),
});

const toInput = (q: AccessQueryBody): AccessCheckInput => ({
  principalId: q.principalId,
  target:
    q.roleDefinitionId !== undefined ? { roleDefinitionId: q.roleDefinitionId } : { action: q.action ?? '' },
  scope: q.scope,
  ...(q.at !== undefined ? { at: new Date(q.at) } : {}),
});

/**
 * `POST /access/check` and `GET /access/explain`: effective access for downstream systems — allow or deny for
 * one question or up to 1000, and what a principal holds at a scope and by which path (invariant 1);
 * `POST /access/decide`: allow or deny only, for many questions, from the in-memory index (the hot path).
 */
export const registerAccessApiRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/access/check',
    {
      schema: {
        summary:
          'Does a principal hold a role, or an action through a role, at a scope at an instant? One question or { queries: [...] } (up to 1000), answered in order',
        tags,
        body: accessCheckBodySchema,
        response: { 200: accessCheckResponseSchema },
      },
    },
    async (req) => {
      const b = req.body;
      const queries: AccessQueryBody[] = b.queries ?? [
        {
          principalId: b.principalId ?? '',
          scope: b.scope ?? '/',
          ...(b.roleDefinitionId !== undefined ? { roleDefinitionId: b.roleDefinitionId } : {}),
          ...(b.action !== undefined ? { action: b.action } : {}),
          ...(b.at !== undefined ? { at: b.at } : {}),
        },
      ];
      const decisions = await services.access.check(callContext(req), queries.map(toInput));
      return { results: decisions.map(toDecisionResponse) };
    },
  );

  await registerAccessDecideRoute(app, services);

  r.get(
    '/access/explain',
    {
      schema: {
        summary:
          'What a principal holds at a scope at an instant, and by which path: direct or through a group, inherited from which scope, active or eligible, with the window and the request that created it',
        tags,
        querystring: accessExplainQuerySchema,
        response: { 200: accessExplanationSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const e = await services.access.explain(callContext(req), {
        principalId: q.principalId,
        scope: q.scope,
        ...(q.at !== undefined ? { at: new Date(q.at) } : {}),
      });
      // Each PIM for Groups membership shows the receipts of its SCIM deliveries (issue 5: proof it happened).
      const membershipIds = e.grants.flatMap((g) => (g.group?.schedule ? [g.group.schedule.id] : []));
      const receipts =
        membershipIds.length === 0
          ? []
          : await services.provisioning.receiptsOf(callContext(req), [...new Set(membershipIds)]);
      return {
        principal: e.principal,
        scope: e.scope,
        at: e.at.toISOString(),
        grants: e.grants.map((g) => {
          const response = toGrantResponse(g);
          const scheduleId = g.group?.schedule?.id;
          if (!response.group || !scheduleId) return response;
          const mine = receipts.filter((r) => r.scheduleId === scheduleId).map(toReceiptResponse);
          return { ...response, group: { ...response.group, provisioning: mine } };
        }),
      };
    },
  );
};

/**
 * The same two routes without the version, where issue #3 names them (`/api/access/check`,
 * `/api/access/explain`): authenticated, with the native error envelope.
 */
export async function registerAccessApiAlias(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        request.actor = await authenticateRequest(services, request);
      });
      api.setErrorHandler((error, request, reply) => sendApiError(error, request, reply));
      await registerAccessApiRoutes(api, services);
    },
    { prefix: '/api' },
  );
}
