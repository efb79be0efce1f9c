import { z } from 'zod';
import type { ApprovalView } from '../../app/requests/approval-service.js';
import { notFound } from '../../core/errors.js';
import { type ArmCall, methodNotAllowed } from './arm-call.js';
import type { ArmPath } from './parse-arm-path.js';
import { anyCase, readBody, text } from './shapes/arm-common.js';

type ApprovalPath = Extract<ArmPath, { kind: 'approval' }>;

const base = '/providers/Microsoft.Authorization/roleAssignmentApprovals';
const nobody = '00000000-0000-0000-0000-000000000000';

/** The single stage of a resource-role approval, as ARM's roleAssignmentApprovals/{id}/stages/{stageId} shows it. */
function toArmStage(v: ApprovalView) {
  const a = v.approval;
  return {
    id: `${base}/${a.id}/stages/${a.stageId}`,
    name: a.stageId,
    type: 'Microsoft.Authorization/roleAssignmentApprovals/stages',
    properties: {
      displayName: null,
      status: a.status === 'InProgress' ? 'InProgress' : a.status === 'Expired' ? 'Expired' : 'Completed',
      reviewResult: a.reviewResult,
      assignedToMe: v.assignedToMe && a.status === 'InProgress',
      reviewedDateTime: a.reviewedAt?.toISOString() ?? null,
      justification: a.justification,
      reviewedBy: { id: a.reviewedById ?? nobody },
    },
  };
}

const toArmApproval = (v: ApprovalView) => ({
  id: `${base}/${v.approval.id}`,
  name: v.approval.id,
  type: 'Microsoft.Authorization/roleAssignmentApprovals',
  properties: { stages: [toArmStage(v)] },
});

const decision = z.strictObject({
  reviewResult: anyCase(['Approve', 'Deny'] as const),
  justification: text(500).nullable().optional(),
});
// ARM's stage PATCH carries the decision under `properties`; the bare form of the docs' excerpt is read too.
const decisionBody = z.union([z.strictObject({ properties: decision }), decision]);

/**
 * Approvals of resource-role requests (api-version 2021-01-01-preview, research §4.3): read an approval and its
 * stage, and `PATCH …/stages/{stageId}` with `reviewResult` Approve or Deny. Listed approvers decide; with none
 * listed, an Owner or User Access Administrator of the scope does; nobody decides their own request.
 */
export async function handleApproval(call: ArmCall, path: ApprovalPath): Promise<unknown> {
  const { approvals } = call.services;
  const v = await approvals.get(call.ctx, path.approvalId, 'resourceRole');
  if (!path.stages) {
    if (call.method !== 'GET') throw methodNotAllowed(call, 'GET');
    return toArmApproval(v);
  }
  if (path.stageId === null) {
    if (call.method !== 'GET') throw methodNotAllowed(call, 'GET');
    return { value: [toArmStage(v)] };
  }
  if (path.stageId !== v.approval.stageId) throw notFound('Approval stage', path.stageId);
  if (call.method === 'GET') return toArmStage(v);
  if (call.method !== 'PATCH' && call.method !== 'PUT') throw methodNotAllowed(call, 'GET or PATCH');
  const body = readBody(decisionBody, call.request.body);
  const d = 'properties' in body ? body.properties : body;
  await approvals.decide(
    call.ctx,
    path.approvalId,
    path.stageId,
    { reviewResult: d.reviewResult, justification: d.justification ?? null },
    'resourceRole',
  );
  return toArmStage(await approvals.get(call.ctx, path.approvalId, 'resourceRole'));
}
