import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApprovalView } from '../../../app/requests/approval-service.js';
import { callContext } from '../call-context.js';
import { boundedString, caseInsensitiveEnum, graphBody } from '../graph-body.js';
import { odataContext } from '../graph-list.js';
import type { GraphRouteRegistrar } from '../route-types.js';

const path = '/roleManagement/directory/roleAssignmentApprovals';
const nobody = '00000000-0000-0000-0000-000000000000';

/** Graph's `approvalStep` (beta) for the single stage of a role approval (research §4.1). */
export function toGraphStep(v: ApprovalView) {
  const a = v.approval;
  return {
    id: a.stageId,
    displayName: null,
    reviewedDateTime: a.reviewedAt?.toISOString() ?? null,
    reviewResult: a.reviewResult,
    status: a.status === 'InProgress' ? 'InProgress' : a.status === 'Expired' ? 'Expired' : 'Completed',
    assignedToMe: v.assignedToMe && a.status === 'InProgress',
    justification: a.justification ?? '',
    reviewedBy: { id: a.reviewedById ?? nobody, displayName: null },
  };
}

export const decisionBody = graphBody({
  reviewResult: caseInsensitiveEnum(['Approve', 'Deny'] as const),
  justification: boundedString(500).nullable().optional(),
});
const params = z.object({ id: z.string().min(1).max(64) });
const stepParams = z.object({ id: z.string().min(1).max(64), stepId: z.string().min(1).max(64) });

/** Beta-shaped approvals: `roleAssignmentApprovals/{id}` with `steps`, decided by PATCH on a step. */
export const registerApprovalRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['approvals'];

  r.get(
    `${path}/:id`,
    { schema: { summary: 'Get an approval with its steps', tags, params } },
    async (req) => {
      const v = await services.approvals.get(callContext(req), req.params.id);
      return {
        '@odata.context': odataContext(req, publicUrl, `${path.slice(1)}/$entity`),
        id: v.approval.id,
        steps: [toGraphStep(v)],
      };
    },
  );

  r.get(
    `${path}/:id/steps`,
    { schema: { summary: 'List the steps of an approval', tags, params } },
    async (req) => {
      const v = await services.approvals.get(callContext(req), req.params.id);
      return {
        '@odata.context': odataContext(req, publicUrl, `${path.slice(1)}('${v.approval.id}')/steps`),
        value: [toGraphStep(v)],
      };
    },
  );

  r.get(
    `${path}/:id/steps/:stepId`,
    { schema: { summary: 'Get one step of an approval', tags, params: stepParams } },
    async (req) => {
      const v = await services.approvals.get(callContext(req), req.params.id);
      return {
        '@odata.context': odataContext(req, publicUrl, `${path.slice(1)}('${v.approval.id}')/steps/$entity`),
        ...toGraphStep(v),
      };
    },
  );

  r.patch(
    `${path}/:id/steps/:stepId`,
    {
      schema: {
        summary: 'Approve or deny (first decision wins; 409 afterwards)',
        tags,
        params: stepParams,
        body: decisionBody,
      },
    },
    async (req, reply) => {
      await services.approvals.decide(callContext(req), req.params.id, req.params.stepId, {
        reviewResult: req.body.reviewResult,
        justification: req.body.justification?.trim() ? req.body.justification : null,
      });
      return reply.status(204).send();
    },
  );
};
