import type { ScheduleAction } from '../model/request.js';
import type { ScheduleKind, TargetKind } from '../model/schedule.js';
import type { AuditCategory, AuditOperationType, AuditResult, AuditService } from './audit-record.js';

/**
 * The activityDisplayName strings Elevate writes, spelled as Entra spells them (research §7.2, the "Privileged
 * Identity Management" section of Entra's audit activity reference), so KQL and scripts written for Entra's
 * logs find Elevate's. Where §7.2 lists no spelling for something Elevate does (an admin update, a completed
 * extension, a renewal's expiry) the nearest Entra pattern is followed; those cases are marked below.
 */

/**
 * Where a schedule request (or the schedule it made) is in its life:
 * - `approvalRequested`: the request waits for an approver; `approved` / `denied`: an approver decided;
 * - `approvalExpired`: nobody decided in time (24 h by default, invariant 3);
 * - `expired`: the schedule the request made reached its end (the scheduler ended it);
 * - `failed`: the request was refused (a rule violation): the `requested` activity with result 'failure'.
 */
export const pimPhases = [
  'requested',
  'completed',
  'approvalRequested',
  'approved',
  'denied',
  'canceled',
  'approvalExpired',
  'expired',
  'failed',
] as const;
export type PimPhase = (typeof pimPhases)[number];

/** Whether the schedule has an end (`timebound`) or not (`permanent`); Entra puts it in the activity name. */
export type PimWindow = 'permanent' | 'timebound';

export interface PimActivity {
  readonly activityDisplayName: string;
  readonly operationType: AuditOperationType;
  /** 'failure' for the `failed` phase only: a denial or a cancellation is itself a success. */
  readonly result: AuditResult;
}

type Phrase = string | ((window: PimWindow) => string);
type PhaseTable = Partial<Record<Exclude<PimPhase, 'failed'>, Phrase>> & { readonly requested: Phrase };

const ADD_ELIGIBLE = 'Add eligible member to role in PIM';
const ADD_MEMBER = 'Add member to role in PIM';
const REMOVE_ELIGIBLE = 'Remove eligible member from role in PIM';
const REMOVE_MEMBER = 'Remove member from role in PIM';
const ACTIVATION_EXPIRED = 'Remove member from role (PIM activation expired)';
const APPROVED_EXTEND_RENEW = 'Update member in PIM approved by admin (extend/renew)';
const DENIED_EXTEND_RENEW = 'Update member in PIM denied by admin (extend/renew)';

const windowed =
  (prefix: string, step: string) =>
  (window: PimWindow): string =>
    `${prefix} ${step} (${window})`;

/** The end of a time-bound schedule an admin made (or an extension or renewal made): Entra logs its removal. */
const scheduleEnded = (kind: ScheduleKind): Phrase =>
  windowed(kind === 'eligibility' ? REMOVE_ELIGIBLE : REMOVE_MEMBER, 'completed');

function assignTable(kind: ScheduleKind): PhaseTable {
  const prefix = kind === 'eligibility' ? ADD_ELIGIBLE : ADD_MEMBER;
  return {
    requested: windowed(prefix, 'requested'),
    completed: windowed(prefix, 'completed'),
    canceled: windowed(prefix, 'canceled'),
    expired: scheduleEnded(kind),
  };
}

function removeTable(kind: ScheduleKind): PhaseTable {
  const prefix = kind === 'eligibility' ? REMOVE_ELIGIBLE : REMOVE_MEMBER;
  return {
    requested: windowed(prefix, 'requested'),
    completed: windowed(prefix, 'completed'),
    canceled: 'Cancel request for role removal',
  };
}

/** Not in §7.2: an admin update follows the "Update … member in PIM" pattern of extensions. */
function updateTable(kind: ScheduleKind): PhaseTable {
  const prefix = kind === 'eligibility' ? 'Update eligible member in PIM' : 'Update member in PIM';
  return {
    requested: windowed(prefix, 'requested'),
    completed: windowed(prefix, 'completed'),
    canceled: 'Cancel request for role update',
    expired: scheduleEnded(kind),
  };
}

/** §7.2 lists requested/canceled (extend) and approved/denied by admin; "completed (extend)" follows them. */
function extendTable(kind: ScheduleKind): PhaseTable {
  const prefix = kind === 'eligibility' ? 'Update eligible member in PIM' : 'Update member in PIM';
  return {
    requested: `${prefix} requested (extend)`,
    approvalRequested: `${prefix} requested (extend)`,
    approved: APPROVED_EXTEND_RENEW,
    denied: DENIED_EXTEND_RENEW,
    canceled: `${prefix} canceled (extend)`,
    approvalExpired: `${prefix} canceled (extend)`,
    completed: `${prefix} completed (extend)`,
    expired: scheduleEnded(kind),
  };
}

/** §7.2 lists requested/canceled (renew); a completed renewal is the new schedule's "completed (window)". */
function renewTable(kind: ScheduleKind): PhaseTable {
  const prefix = kind === 'eligibility' ? ADD_ELIGIBLE : ADD_MEMBER;
  return {
    requested: `${prefix} requested (renew)`,
    approvalRequested: `${prefix} requested (renew)`,
    approved: APPROVED_EXTEND_RENEW,
    denied: DENIED_EXTEND_RENEW,
    canceled: `${prefix} canceled (renew)`,
    approvalExpired: `${prefix} canceled (renew)`,
    completed: windowed(prefix, 'completed'),
    expired: scheduleEnded(kind),
  };
}

const activateTable: PhaseTable = {
  requested: 'Add member to role requested (PIM activation)',
  approvalRequested: 'Add member to role approval requested (PIM activation)',
  approved: 'Add member to role request approved (PIM activation)',
  denied: 'Add member to role request denied (PIM activation)',
  canceled: 'Add member to role canceled (PIM activation)',
  approvalExpired: 'PIM activation request expired',
  completed: 'Add member to role completed (PIM activation)',
  expired: ACTIVATION_EXPIRED,
};

const deactivateTable: PhaseTable = {
  requested: 'Remove member from role requested (PIM deactivate)',
  completed: 'Remove member from role completed (PIM deactivate)',
};

function phaseTable(kind: ScheduleKind, action: ScheduleAction): PhaseTable | undefined {
  switch (action) {
    case 'adminAssign':
      return assignTable(kind);
    case 'adminRemove':
      return removeTable(kind);
    case 'adminUpdate':
      return updateTable(kind);
    case 'adminExtend':
    case 'selfExtend':
      return extendTable(kind);
    case 'adminRenew':
    case 'selfRenew':
      return renewTable(kind);
    // Activation and deactivation make or end active assignments only.
    case 'selfActivate':
      return kind === 'assignment' ? activateTable : undefined;
    case 'selfDeactivate':
      return kind === 'assignment' ? deactivateTable : undefined;
  }
}

/**
 * The Entra activity for a schedule request of `kind` and `action` on a `target` of that kind (a directory
 * role unless told) reaching `phase`, over a `window`.
 * A refused request (`failed`) is logged as its `requested` activity with result 'failure'. Throws for a
 * combination PIM never produces (an approval of an admin assignment, an eligibility activated), so a
 * wrong audit record fails a test instead of reaching the log.
 */
export function pimActivity(
  kind: ScheduleKind,
  action: ScheduleAction,
  phase: PimPhase,
  window: PimWindow,
  target: PimTargetKind = 'directoryRole',
): PimActivity {
  const table = phaseTable(kind, action);
  const phrase = table && (phase === 'failed' ? table.requested : table[phase]);
  if (phrase === undefined) {
    throw new RangeError(`No PIM audit activity for ${kind} ${action} ${phase}`);
  }
  const activityDisplayName = forTarget(typeof phrase === 'string' ? phrase : phrase(window), target);
  return {
    activityDisplayName,
    operationType: operationTypeOf(activityDisplayName),
    result: phase === 'failed' ? 'failure' : 'success',
  };
}

/**
 * Entra logs PIM for Groups under GroupManagement with the role activities' wording, "group" in place of
 * "role" ("Add member to group completed (PIM activation)", "Remove member from group (PIM activation
 * expired)"); ownership uses the same "member" wording (the access id is in the record's details).
 */
function forTarget(activity: string, target: PimTargetKind): string {
  return target === 'group' ? activity.replace(/\brole\b/g, 'group') : activity;
}

/** Entra's operationType follows the verb: Add → Add, Remove → Delete (research §7.3), Update → Update. */
function operationTypeOf(activityDisplayName: string): AuditOperationType {
  if (activityDisplayName.startsWith('Add ')) return 'Add';
  if (activityDisplayName.startsWith('Remove ')) return 'Delete';
  if (activityDisplayName.startsWith('Update ')) return 'Update';
  return 'Other';
}

/** What a PIM target is: a directory role, a group's member/owner (PIM for Groups), or an Azure resource role. */
export type PimTargetKind = TargetKind | 'resourceRole';

/** The category of a PIM record by target (research §7.2): RoleManagement for directory roles. */
export function pimCategory(target: PimTargetKind): AuditCategory {
  switch (target) {
    case 'directoryRole':
      return 'RoleManagement';
    case 'group':
      return 'GroupManagement';
    case 'resourceRole':
      return 'ResourceManagement';
  }
}

export interface CatalogueActivity {
  readonly activityDisplayName: string;
  readonly operationType: AuditOperationType;
}

/** PIM activities outside the request life cycle (research §7.2); their category is the target's (pimCategory). */
export const pimActivities = {
  updateRoleSetting: { activityDisplayName: 'Update role setting in PIM', operationType: 'Update' },
  removePolicy: { activityDisplayName: 'PIM policy removed', operationType: 'Delete' },
  triggerAlert: { activityDisplayName: 'Triggered PIM alert', operationType: 'Other' },
  resolveAlert: { activityDisplayName: 'Resolve PIM alert', operationType: 'Other' },
  refreshAlert: { activityDisplayName: 'Refresh PIM alert', operationType: 'Other' },
  enableAlert: { activityDisplayName: 'Enable PIM alert', operationType: 'Update' },
  disableAlert: { activityDisplayName: 'Disable PIM alert', operationType: 'Update' },
  deactivateAlert: { activityDisplayName: 'Deactivate PIM alert', operationType: 'Update' },
  updateAlertSetting: { activityDisplayName: 'Update PIM alert setting', operationType: 'Update' },
} as const satisfies Record<string, CatalogueActivity>;
export type PimActivityName = keyof typeof pimActivities;

/**
 * Changes to the resource tree, logged by PIM under ResourceManagement with the spellings of Entra's activity
 * reference for that category (research §7.2 source, which writes "Onboarded resource from PIM" — sic — for
 * ResourceManagement): registering a scope onboards it, renaming or moving it updates it, deleting it
 * offboards it.
 */
export const resourceActivities = {
  onboardResource: { activityDisplayName: 'Onboarded resource from PIM', operationType: 'Add' },
  updateResource: { activityDisplayName: 'Resource updated', operationType: 'Update' },
  offboardResource: { activityDisplayName: 'Offboarded resource from PIM', operationType: 'Delete' },
} as const satisfies Record<string, CatalogueActivity>;
export type ResourceActivityName = keyof typeof resourceActivities;

export interface DirectoryActivity extends CatalogueActivity {
  readonly category: AuditCategory;
  readonly loggedByService: AuditService;
}

/**
 * Directory changes (loggedByService 'Core Directory') and sign-ins ('Authentication'), in Entra's spelling.
 * "Add member to role" / "Remove member from role" are the Core Directory records a PIM activation and its
 * end also produce in Entra, linked to the PIM record by correlationId (research §7.2).
 */
export const directoryActivities = {
  addUser: core('Add user', 'Add', 'UserManagement'),
  updateUser: core('Update user', 'Update', 'UserManagement'),
  deleteUser: core('Delete user', 'Delete', 'UserManagement'),
  addGroup: core('Add group', 'Add', 'GroupManagement'),
  updateGroup: core('Update group', 'Update', 'GroupManagement'),
  deleteGroup: core('Delete group', 'Delete', 'GroupManagement'),
  addMemberToGroup: core('Add member to group', 'Assign', 'GroupManagement'),
  removeMemberFromGroup: core('Remove member from group', 'Unassign', 'GroupManagement'),
  addOwnerToGroup: core('Add owner to group', 'Assign', 'GroupManagement'),
  removeOwnerFromGroup: core('Remove owner from group', 'Unassign', 'GroupManagement'),
  addServicePrincipal: core('Add service principal', 'Add', 'ApplicationManagement'),
  addServicePrincipalCredentials: core(
    'Add service principal credentials',
    'Update',
    'ApplicationManagement',
  ),
  addRoleDefinition: core('Add role definition', 'Add', 'RoleManagement'),
  updateRoleDefinition: core('Update role definition', 'Update', 'RoleManagement'),
  deleteRoleDefinition: core('Delete role definition', 'Delete', 'RoleManagement'),
  addMemberToRole: core('Add member to role', 'Assign', 'RoleManagement'),
  removeMemberFromRole: core('Remove member from role', 'Unassign', 'RoleManagement'),
  addAdministrativeUnit: core('Add administrative unit', 'Add', 'DirectoryManagement'),
  updateAdministrativeUnit: core('Update administrative unit', 'Update', 'DirectoryManagement'),
  deleteAdministrativeUnit: core('Delete administrative unit', 'Delete', 'DirectoryManagement'),
  userSignedIn: signIn('User signed in'),
  userSignInFailed: signIn('User sign-in failed'),
  servicePrincipalSignedIn: signIn('Service principal signed in'),
} as const satisfies Record<string, DirectoryActivity>;
export type DirectoryActivityName = keyof typeof directoryActivities;

function core(
  activityDisplayName: string,
  operationType: AuditOperationType,
  category: AuditCategory,
): DirectoryActivity {
  return { activityDisplayName, operationType, category, loggedByService: 'Core Directory' };
}

function signIn(activityDisplayName: string): DirectoryActivity {
  return {
    activityDisplayName,
    operationType: 'Other',
    category: 'Authentication',
    loggedByService: 'Authentication',
  };
}
