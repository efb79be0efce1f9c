import { isRoleAdministrator } from '../access/is-role-administrator.js';
import type { Approval } from '../model/approval.js';
import type { Actor } from '../model/principal.js';

/**
 * Who may decide an approval: a listed user, a member of a listed group, or (none listed) a default approver —
 * a role administrator unless the caller says otherwise (for a resource role: who manages access at its scope,
 * as Azure asks the resource's Owner or User Access Administrator to approve extensions and renewals).
 */
export function approverCanDecide(
  approval: Approval,
  actor: Actor,
  groupIds: ReadonlySet<string>,
  isDefaultApprover: boolean = isRoleAdministrator(actor),
): boolean {
  if (approval.approvers.length === 0) return isDefaultApprover;
  return approval.approvers.some((a) =>
    a.kind === 'singleUser' ? a.userId === actor.id : groupIds.has(a.groupId),
  );
}
