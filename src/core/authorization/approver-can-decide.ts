import { isRoleAdministrator } from '../access/is-role-administrator.js';
import type { Approval } from '../model/approval.js';
import type { Actor } from '../model/principal.js';

/** Who may decide an approval: a listed user, a member of a listed group, or (none listed) a role administrator. */
export function approverCanDecide(approval: Approval, actor: Actor, groupIds: ReadonlySet<string>): boolean {
  if (approval.approvers.length === 0) return isRoleAdministrator(actor);
  return approval.approvers.some((a) =>
    a.kind === 'singleUser' ? a.userId === actor.id : groupIds.has(a.groupId),
  );
}
