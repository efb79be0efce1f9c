import type { Approval } from '../model/approval.js';
import type { ApprovalRule, ApproverSubject } from '../model/policy.js';

export interface OpenApprovalArgs {
  /** Graph: the approval id equals the request id. */
  readonly requestId: string;
  readonly stageId: string;
  readonly rule: ApprovalRule;
  /** False for self-extend and self-renew, which role administrators decide (default approvers). */
  readonly useListedApprovers: boolean;
  readonly now: Date;
}

const dayMs = 86_400_000;

/**
 * Decides the approval a request waits on: the first stage of the settings, its listed approvers (none → Privileged
 * Role and Global Administrators decide), expiring after the stage's timeout, 1 day by default (invariant 3).
 */
export function openApproval(args: OpenApprovalArgs): Approval {
  const stage = args.rule.setting.approvalStages[0];
  const days = stage && stage.approvalStageTimeOutInDays > 0 ? stage.approvalStageTimeOutInDays : 1;
  const approvers: readonly ApproverSubject[] = args.useListedApprovers
    ? (stage?.primaryApprovers ?? [])
    : [];
  return {
    id: args.requestId,
    requestId: args.requestId,
    stageId: args.stageId,
    status: 'InProgress',
    reviewResult: 'NotReviewed',
    approvers,
    isApproverJustificationRequired: stage?.isApproverJustificationRequired ?? true,
    expiresAt: new Date(args.now.getTime() + days * dayMs),
    reviewedById: null,
    reviewedAt: null,
    justification: null,
    createdAt: args.now,
  };
}
