import type { Approval } from '../model/approval.js';
import type { ScheduleRequest } from '../model/request.js';

/**
 * Decides the timeout of an undecided approval at `now`: the approval becomes Expired and its request Denied
 * (invariant 3: 24 hours by default). Null when there is nothing to do — already decided or not yet due — so
 * a repeated tick changes nothing.
 */
export function expireApproval(
  approval: Approval,
  request: ScheduleRequest,
  now: Date,
): { readonly approval: Approval; readonly request: ScheduleRequest } | null {
  if (approval.status !== 'InProgress' || now.getTime() < approval.expiresAt.getTime()) return null;
  return {
    approval: { ...approval, status: 'Expired' },
    request:
      request.status === 'PendingApproval' ? { ...request, status: 'Denied', completedAt: now } : request,
  };
}
