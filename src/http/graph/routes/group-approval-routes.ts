import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../../core/errors.js';
import { callContext } from '../call-context.js';
import { odataContext } from '../graph-list.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import { decisionBody, toGraphStep } from './approval-routes.js';
import { groupPimBase } from './group-pim-routes.js';

const path = `${groupPimBase}/assignmentApprovals`;
const params = z.object({ id: z.string().min(1).max(64) });
const stageParams = z.object({ id: z.string().min(1).max(64), stageId: z.string().min(1).max(64) });

/**
 * Approvals of PIM for Groups activations (research §4.2): `assignmentApprovals/{id}` with its `stages`
 * (v1.0's `approvalStage`, the fields of beta's `approvalStep`), decided by `PATCH …/stages/{stageId}` — or
 * `…/steps/{stageId}`, the segment the Graph docs' URL text uses, so both are served. 204 on a decision, 409
 * once decided.
 */
export const registerGroupApprovalRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['PIM for Groups'];
  const context = (req: Parameters<typeof callContext>[0], suffix: string) =>
    odataContext(req, publicUrl, `${path.slice(1)}${suffix}`);

  r.get(
    `${path}/:id`,
    { schema: { summary: 'Get a group approval with its stages', tags, params } },
    async (req) => {
      const v = await services.approvals.get(callContext(req), req.params.id, 'group');
      return { '@odata.context': context(req, '/$entity'), id: v.approval.id, stages: [toGraphStep(v)] };
    },
  );

  for (const segment of ['stages', 'steps'] as const) {
    r.get(
      `${path}/:id/${segment}`,
      { schema: { summary: `List the ${segment} of a group approval`, tags, params } },
      async (req) => {
        const v = await services.approvals.get(callContext(req), req.params.id, 'group');
        return { '@odata.context': context(req, `('${v.approval.id}')/${segment}`), value: [toGraphStep(v)] };
      },
    );

    r.get(
      `${path}/:id/${segment}/:stageId`,
      { schema: { summary: `Get one of the ${segment} of a group approval`, tags, params: stageParams } },
      async (req) => {
        const v = await services.approvals.get(callContext(req), req.params.id, 'group');
        const step = toGraphStep(v);
        if (
          step.id !== req.params.stageId.toLowerCase() &&
          v.approval.id !== req.params.stageId.toLowerCase()
        ) {
          throw notFound('Approval stage', req.params.stageId);
        }
        return { '@odata.context': context(req, `('${v.approval.id}')/${segment}/$entity`), ...step };
      },
    );

    r.patch(
      `${path}/:id/${segment}/:stageId`,
      {
        schema: {
          summary: `Approve or deny a group activation through its ${segment} (first decision wins; 409 afterwards)`,
          tags,
          params: stageParams,
          body: decisionBody,
        },
      },
      async (req, reply) => {
        await services.approvals.decide(
          callContext(req),
          req.params.id,
          req.params.stageId,
          {
            reviewResult: req.body.reviewResult,
            justification: req.body.justification?.trim() ? req.body.justification : null,
          },
          'group',
        );
        return reply.status(204).send();
      },
    );
  }
};
