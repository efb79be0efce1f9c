import { settingsManagerRoleIds } from '../../core/catalog/azure-roles.js';
import { directoryRoleIds } from '../../core/catalog/directory-roles.js';
import type { PimEvent } from '../../core/events/pim-event.js';
import type { ApproverSubject } from '../../core/model/policy.js';
import type { RecipientType } from '../../core/notifications/notification-audiences.js';
import type { Candidate } from '../../core/notifications/select-recipients.js';
import { getApproval } from '../../db/repositories/approval-repository.js';
import { groupRelations } from '../../db/repositories/membership-repository.js';
import { usersHoldingRoles } from '../../db/repositories/principal-repository.js';
import type { Executor } from '../context.js';
import { ancestorsOf } from '../resources/resource-context.js';

/**
 * Directory roles whose holders receive a directory role's admin notifications by default (Entra: Privileged
 * Role Administrators, Security Administrators and Global Administrators are told of activations and assignments).
 */
const directoryAdminRoleIds = [
  directoryRoleIds.privilegedRoleAdministrator,
  directoryRoleIds.globalAdministrator,
  directoryRoleIds.securityAdministrator,
];

/** Who decides an approval that names no approver (approver-can-decide.ts): role administrators. */
const defaultApproverRoleIds = [
  directoryRoleIds.privilegedRoleAdministrator,
  directoryRoleIds.globalAdministrator,
];

/** Enabled users among `ids` that have a mail address, as candidates (at most `limit`). */
export async function mailboxes(db: Executor, ids: readonly string[], limit = 5000): Promise<Candidate[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'mail'])
    .where('id', 'in', wanted)
    .where('account_enabled', '=', true)
    .where('mail', 'is not', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ address: r.mail ?? '', name: r.display_name, userId: r.id }));
}

/** The users among `principalIds`, and the user members (direct or through PIM) of the groups among them, at `at`. */
async function usersIn(db: Executor, principalIds: readonly string[], at: Date): Promise<string[]> {
  if (principalIds.length === 0) return [];
  const members = await groupRelations(db, { relationship: 'member', at, groupIds: [...principalIds] });
  const memberIds = members.filter((m) => m.principalType === 'user').map((m) => m.principalId);
  return [...new Set([...principalIds, ...memberIds])];
}

/** Users who hold Owner or User Access Administrator (or another role that manages settings) at the scope or above. */
async function resourceManagers(db: Executor, scopeId: string, at: Date): Promise<string[]> {
  const ancestors = await ancestorsOf(db, scopeId);
  const rows = await db
    .selectFrom('schedules')
    .select('principal_id')
    .distinct()
    .where('target_kind', '=', 'resourceRole')
    .where('kind', '=', 'assignment')
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .where('role_definition_id', 'in', [...settingsManagerRoleIds])
    .where('scope_id', 'in', ancestors)
    .where('start_at', '<=', at)
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', at)]))
    .execute();
  return usersIn(
    db,
    rows.map((r) => r.principal_id),
    at,
  );
}

/**
 * Administrators of a target, as Entra addresses its alerts: for a directory role, Privileged Role, Security and
 * Global Administrators; for a group, its owners (role administrators when it has none); for an Azure resource
 * role, the Owners and User Access Administrators at its scope or above. Holders are counted at the event's time.
 */
async function administrators(db: Executor, event: PimEvent): Promise<string[]> {
  const t = event.data.target;
  const at = event.time;
  if (t.targetKind === 'resourceRole') return resourceManagers(db, t.scopeId, at);
  if (t.targetKind === 'group') {
    const owners = await groupRelations(db, { relationship: 'owner', at, groupIds: [t.scopeId] });
    const ids = owners.filter((o) => o.principalType === 'user').map((o) => o.principalId);
    if (ids.length > 0) return ids;
  }
  return usersHoldingRoles(db, directoryAdminRoleIds, at);
}

/**
 * Approvers of the event's approval: the users it names and the members of the groups it names (the event's own
 * list when it carries one); when it names nobody, the default approvers — role administrators, or for an Azure
 * resource role those who manage its scope.
 */
async function approvers(db: Executor, event: PimEvent): Promise<string[]> {
  const approval = event.data.approvalId ? await getApproval(db, event.data.approvalId) : undefined;
  const subjects: readonly ApproverSubject[] = approval?.approvers ?? [];
  if (!approval && !event.data.approvers) return [];
  if (approval && subjects.length === 0) {
    return event.data.target.targetKind === 'resourceRole'
      ? resourceManagers(db, event.data.target.scopeId, event.time)
      : usersHoldingRoles(db, defaultApproverRoleIds, event.time);
  }
  if (event.data.approvers) return event.data.approvers.filter((p) => p.type === 'user').map((p) => p.id);
  const named = subjects.map((s) => (s.kind === 'singleUser' ? s.userId : s.groupId));
  return usersIn(db, named, event.time);
}

/** The people each recipient type means for this event, with their mail addresses (read in the transaction). */
export async function defaultRecipients(
  db: Executor,
  event: PimEvent,
  types: ReadonlySet<RecipientType>,
): Promise<Map<RecipientType, Candidate[]>> {
  const found = new Map<RecipientType, Candidate[]>();
  if (types.has('Approver')) found.set('Approver', await mailboxes(db, await approvers(db, event)));
  if (types.has('Requestor')) {
    const p = event.data.principal;
    found.set('Requestor', p.type === 'user' ? await mailboxes(db, [p.id]) : []);
  }
  if (types.has('Admin')) found.set('Admin', await mailboxes(db, await administrators(db, event)));
  return found;
}
