import { isRoleAdministrator } from '../access/is-role-administrator.js';
import { ElevateError } from '../errors.js';
import type { Approval } from '../model/approval.js';
import type { PolicyRules } from '../model/policy.js';
import type { Actor } from '../model/principal.js';
import type { ScheduleRequest } from '../model/request.js';
import type { Schedule } from '../model/schedule.js';
import { grantStatus } from '../requests/build-request.js';
import type { ScheduleChange } from '../schedules/schedule-change.js';
import { approvedChanges } from './approved-changes.js';

export interface ApprovalDecisionContext {
  readonly request: ScheduleRequest;
  readonly approval: Approval;
  /** The target's settings at decision time: a rule made stricter since the request refuses the approval. */
  readonly rulesNow: PolicyRules;
  readonly decision: { readonly reviewResult: 'Approve' | 'Deny'; readonly justification: string | null };
  readonly reviewer: Actor;
  /** Groups the reviewer is a member of, for approvers listed as groupMembers. */
  readonly reviewerGroupIds: ReadonlySet<string>;
  /**
   * Whether the reviewer decides when no approver is listed; a role administrator unless told (a resource role's
   * default approvers are who manage access at its scope).
   */
  readonly reviewerIsDefaultApprover?: boolean;
  /** As DecisionContext.schedules, for the request's principal, role and scope. */
  readonly schedules: readonly Schedule[];
  readonly now: Date;
  /** For messages: the role's (or group's) display name; the role id stands in when absent. */
  readonly targetDisplayName?: string;
}

export type ApprovalDecision =
  | {
      readonly kind: 'approved';
      readonly approval: Approval;
      readonly request: ScheduleRequest;
      readonly changes: readonly ScheduleChange[];
    }
  | { readonly kind: 'denied'; readonly approval: Approval; readonly request: ScheduleRequest }
  | { readonly kind: 'rejected'; readonly error: ElevateError };

const refuse = (code: ElevateError['code'], message: string): ApprovalDecision => ({
  kind: 'rejected',
  error: new ElevateError(code, message),
});

/** Whether the reviewer is a listed approver or, with none listed, a role administrator (research §2.5). */
function mayDecide(ctx: ApprovalDecisionContext): boolean {
  const { approvers } = ctx.approval;
  if (approvers.length === 0) return ctx.reviewerIsDefaultApprover ?? isRoleAdministrator(ctx.reviewer);
  return approvers.some((a) =>
    a.kind === 'singleUser' ? a.userId === ctx.reviewer.id : ctx.reviewerGroupIds.has(a.groupId),
  );
}

/**
 * Decides an approver's Approve or Deny: nobody decides their own request, only listed approvers (or role
 * administrators when none are listed) decide, the first decision wins and an expired approval is closed
 * (invariant 3); an approval grants only what still holds under today's settings and eligibility (invariants 2, 4).
 */
export function decideApproval(ctx: ApprovalDecisionContext): ApprovalDecision {
  const { request, approval, reviewer, now, decision } = ctx;
  if (approval.requestId !== request.id) {
    return refuse(
      'request.invalid',
      `Approval ${approval.id} belongs to request ${approval.requestId}, not ${request.id}.`,
    );
  }
  if (reviewer.id === request.principalId || reviewer.id === request.createdById) {
    return refuse(
      'approval.self_approval',
      'You cannot approve or deny your own request; cancel it if you no longer need it.',
    );
  }
  if (!mayDecide(ctx)) {
    return refuse(
      'approval.not_approver',
      approval.approvers.length === 0
        ? request.targetKind === 'resourceRole'
          ? 'Only an Owner or User Access Administrator of the scope (or a scope above it) can decide this request.'
          : 'Only a Privileged Role Administrator or Global Administrator can decide this request.'
        : 'You are not an approver of this request.',
    );
  }
  if (approval.status !== 'InProgress' || request.status !== 'PendingApproval') {
    return refuse(
      'approval.already_decided',
      `This request has already been decided (approval ${approval.status}, request ${request.status}).`,
    );
  }
  if (now.getTime() >= approval.expiresAt.getTime()) {
    return refuse(
      'approval.already_decided',
      `This request expired at ${approval.expiresAt.toISOString()} without a decision; the requester must ask again.`,
    );
  }
  const justification = decision.justification?.trim() ? decision.justification : null;
  if (approval.isApproverJustificationRequired && justification === null) {
    return refuse(
      'approval.justification_required',
      'This role requires a justification from the approver; give one with your decision.',
    );
  }
  const reviewed = {
    reviewedById: reviewer.id,
    reviewedAt: now,
    justification,
    status: 'Completed' as const,
  };
  if (decision.reviewResult === 'Deny') {
    return {
      kind: 'denied',
      approval: { ...approval, ...reviewed, reviewResult: 'Denied' },
      request: { ...request, status: 'Denied', completedAt: now },
    };
  }
  const grant = approvedChanges({
    request,
    rulesNow: ctx.rulesNow,
    schedules: ctx.schedules,
    now,
    targetDisplayName: ctx.targetDisplayName ?? request.roleDefinitionId,
  });
  if (grant instanceof ElevateError) return { kind: 'rejected', error: grant };
  return {
    kind: 'approved',
    approval: { ...approval, ...reviewed, reviewResult: 'Approved' },
    request: {
      ...request,
      status: grantStatus(grant.start, now).request,
      completedAt: now,
      targetScheduleId: grant.targetScheduleId,
      activatedUsing: grant.activatedUsing ?? request.activatedUsing,
    },
    changes: grant.changes,
  };
}
