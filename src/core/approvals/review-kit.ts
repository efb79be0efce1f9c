// Builders for the approval tests: Alice's request waiting for approval, and a reviewer's decision on it.
import type { Approval } from '../model/approval.js';
import type { ApproverSubject, PolicyRules } from '../model/policy.js';
import type { Actor } from '../model/principal.js';
import type { ScheduleRequest } from '../model/request.js';
import type { Schedule } from '../model/schedule.js';
import { decideScheduleRequest } from '../requests/decide-schedule-request.js';
import { actor, bob, type Given, given, later, rules } from '../requests/test-kit.js';
import { type ApprovalDecisionContext, decideApproval } from './decide-approval.js';

export const carol = { id: '0ca00000-0000-4000-8000-000000000006', displayName: 'Carol' };
export const approverGroup = 'approver-group-1';
export const byBob = [{ kind: 'singleUser' as const, userId: bob.id, description: null }];

/** Alice's request under approval, as decideScheduleRequest opened it at t0. */
export function pendingRequest(
  g: Given = {},
  approvers: readonly ApproverSubject[] = byBob,
): { request: ScheduleRequest; approval: Approval; rules: PolicyRules; schedules: readonly Schedule[] } {
  const r = g.rules ?? rules({ approval: true, approvers });
  const ctx = given({ ...g, rules: r });
  const d = decideScheduleRequest(ctx);
  if (d.kind !== 'pendingApproval') throw new Error(`expected pendingApproval, got ${JSON.stringify(d)}`);
  return { request: d.request, approval: d.approval, rules: r, schedules: ctx.schedules };
}

export function review(
  p: ReturnType<typeof pendingRequest>,
  o: Partial<ApprovalDecisionContext> & { reviewer?: Actor } = {},
): ReturnType<typeof decideApproval> {
  return decideApproval({
    request: p.request,
    approval: p.approval,
    rulesNow: p.rules,
    decision: { reviewResult: 'Approve', justification: 'Checked change 4711' },
    reviewer: actor(bob),
    reviewerGroupIds: new Set(),
    schedules: p.schedules,
    now: later('PT10M'),
    targetDisplayName: 'Exchange Administrator',
    ...o,
  });
}
