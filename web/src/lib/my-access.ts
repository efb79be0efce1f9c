import type { QueryClient } from '@tanstack/react-query';
import type {
  ElevateClient,
  GraphGroupScheduleInstance,
  GraphScheduleInstance,
  GraphUser,
  ScheduleKind,
} from '../../../src/contracts/browser';
import { sameTarget, type Target, targetKey } from './targets';

/** One of my grants in effect now: a role or group access I may activate, or one that is active. */
export interface AccessRow {
  /** The instance id. */
  readonly id: string;
  readonly target: Target;
  /** The role's or the group's display name. */
  readonly name: string;
  /** The group's name when held through a group ("Group" when it cannot be read); null when direct. */
  readonly via: string | null;
  readonly viaGroupId: string | null;
  /** Active rows: `Assigned` by an administrator or `Activated` from an eligibility. */
  readonly assignmentType: 'Assigned' | 'Activated' | null;
  readonly startDateTime: string | null;
  /** null: permanent. For a role held through an activated group membership, when that membership ends. */
  readonly endDateTime: string | null;
  /** Group membership rows: the directory roles the group holds (role-assignable groups), by name. */
  readonly grants: readonly string[];
  /** Eligible rows: an activation of this target waits for an approver. */
  readonly pendingApproval: boolean;
}

export interface MyAccess {
  readonly eligible: readonly AccessRow[];
  readonly active: readonly AccessRow[];
}

/** Role display names by id (lower case), built-in and custom; read once per sign-in. */
export const roleNamesQuery = (client: ElevateClient) => ({
  queryKey: ['role-definitions'] as const,
  queryFn: async () =>
    new Map((await client.listRoleDefinitions()).map((r) => [r.id.toLowerCase(), r.displayName])),
  staleTime: Number.POSITIVE_INFINITY,
});

/** The group a role instance with memberType Group comes through: its schedule's principal. */
const viaGroupQuery = (client: ElevateClient, kind: ScheduleKind, scheduleId: string) => ({
  queryKey: ['schedule-group', kind, scheduleId] as const,
  queryFn: async (): Promise<{ id: string; name: string } | null> => {
    try {
      const schedule = await client.getSchedule(kind, scheduleId);
      const group = await client.getGroup(schedule.principalId);
      return { id: group.id, name: group.displayName };
    } catch {
      return null; // The page still says "Group"; the name is a courtesy.
    }
  },
  staleTime: 5 * 60_000,
});

/** Which roles each group passes on to me (`GET /api/v1/access/explain` at `/`); empty when it cannot be read. */
async function rolesByGroup(client: ElevateClient, me: GraphUser): Promise<Map<string, Set<string>>> {
  const byGroup = new Map<string, Set<string>>();
  try {
    const explained = await client.explainAccess({ principalId: me.id, scope: '/' });
    for (const g of explained.grants) {
      if (g.group === null || g.targetKind !== 'directoryRole') continue;
      const id = g.group.id.toLowerCase();
      byGroup.set(id, (byGroup.get(id) ?? new Set()).add(g.roleDisplayName));
    }
  } catch {
    // Older servers have no access explanation: the group rows then show no roles.
  }
  return byGroup;
}

const earliest = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : new Date(a) < new Date(b) ? a : b;

/**
 * My directory roles (`…ScheduleInstances/filterByCurrentUser(on='principal')`) and my group memberships and
 * ownerships (PIM for Groups instances with `$filter=principalId eq '<me>'`), eligible and active, with names
 * and the roles each group holds joined in.
 */
export async function loadMyAccess(
  client: ElevateClient,
  me: GraphUser,
  queryClient: QueryClient,
): Promise<MyAccess> {
  const waiting = { on: 'principal', filter: "status eq 'PendingApproval'", top: 200 } as const;
  const [
    roleEligible,
    roleActive,
    groupEligible,
    groupActive,
    names,
    groupRoles,
    rolesWaiting,
    groupsWaiting,
  ] = await Promise.all([
    client.listMyInstances('eligibility'),
    client.listMyInstances('assignment'),
    client.listGroupInstances('eligibility', me.id),
    client.listGroupInstances('assignment', me.id),
    queryClient.ensureQueryData(roleNamesQuery(client)),
    rolesByGroup(client, me),
    client.pageScheduleRequests('assignment', waiting),
    client.pageGroupScheduleRequests('assignment', waiting),
  ]);
  const pending = new Set([
    ...rolesWaiting.items.map((r) =>
      targetKey({
        kind: 'directoryRole',
        roleDefinitionId: r.roleDefinitionId,
        directoryScopeId: r.directoryScopeId,
      }),
    ),
    ...groupsWaiting.items.map((r) => targetKey({ kind: 'group', groupId: r.groupId, accessId: r.accessId })),
  ]);

  // A membership I activated ends the roles its group holds for me: their countdown is the membership's.
  const membershipEnds = new Map(
    groupActive
      .filter((g) => g.accessId === 'member' && g.memberType === 'direct')
      .map((g) => [g.groupId.toLowerCase(), g.endDateTime]),
  );

  const roleRow = async (kind: ScheduleKind, i: GraphScheduleInstance): Promise<AccessRow> => {
    const scheduleId = kind === 'eligibility' ? i.roleEligibilityScheduleId : i.roleAssignmentScheduleId;
    const group =
      i.memberType === 'Group' && scheduleId
        ? await queryClient.ensureQueryData(viaGroupQuery(client, kind, scheduleId))
        : null;
    const name = names.get(i.roleDefinitionId.toLowerCase()) ?? i.roleDefinitionId;
    if (group && kind === 'assignment') {
      const id = group.id.toLowerCase();
      groupRoles.set(id, (groupRoles.get(id) ?? new Set()).add(name));
    }
    const membershipEnd = group ? membershipEnds.get(group.id.toLowerCase()) : undefined;
    return {
      id: i.id,
      target: {
        kind: 'directoryRole',
        roleDefinitionId: i.roleDefinitionId,
        directoryScopeId: i.directoryScopeId,
      },
      name,
      via: i.memberType === 'Group' ? (group?.name ?? 'Group') : null,
      viaGroupId: group?.id ?? null,
      assignmentType:
        kind === 'assignment' ? (i.assignmentType === 'Activated' ? 'Activated' : 'Assigned') : null,
      startDateTime: i.startDateTime,
      endDateTime: membershipEnd === undefined ? i.endDateTime : earliest(i.endDateTime, membershipEnd),
      grants: [],
      pendingApproval: false,
    };
  };

  const groupRow = (kind: ScheduleKind, g: GraphGroupScheduleInstance): AccessRow => ({
    id: g.id,
    target: { kind: 'group', groupId: g.groupId, accessId: g.accessId },
    name: g.group?.displayName ?? g.groupId,
    via: g.memberType === 'group' ? 'Group' : null,
    viaGroupId: null,
    assignmentType:
      kind === 'assignment' ? (g.assignmentType === 'activated' ? 'Activated' : 'Assigned') : null,
    startDateTime: g.startDateTime,
    endDateTime: g.endDateTime,
    grants: [],
    pendingApproval: false,
  });

  const [eligibleRoles, activeRoles] = await Promise.all([
    Promise.all(roleEligible.map((i) => roleRow('eligibility', i))),
    Promise.all(roleActive.map((i) => roleRow('assignment', i))),
  ]);
  // Only members hold what a group holds; owners manage it.
  const withGrants = (row: AccessRow): AccessRow => ({
    ...row,
    grants:
      row.target.kind === 'group' && row.target.accessId === 'member'
        ? [...(groupRoles.get(row.target.groupId.toLowerCase()) ?? [])].sort()
        : [],
    pendingApproval: row.assignmentType === null && pending.has(targetKey(row.target)),
  });
  const byName = (a: AccessRow, b: AccessRow) =>
    a.name.localeCompare(b.name) || a.target.kind.localeCompare(b.target.kind) || a.id.localeCompare(b.id);
  return {
    eligible: [...eligibleRoles, ...groupEligible.map((g) => groupRow('eligibility', g))]
      .map(withGrants)
      .sort(byName),
    active: [...activeRoles, ...groupActive.map((g) => groupRow('assignment', g))]
      .map(withGrants)
      .sort(byName),
  };
}

/** A directory scope for people: `/` is the whole directory. */
export const scopeLabel = (scopeId: string): string =>
  scopeId === '/'
    ? 'Directory'
    : scopeId.startsWith('/administrativeUnits/')
      ? `Administrative unit ${scopeId.slice('/administrativeUnits/'.length)}`
      : scopeId;

/** Where a target applies, for people: a role's scope, or "Membership"/"Ownership" of a group. */
export const targetScopeLabel = (t: Target): string =>
  t.kind === 'group' ? (t.accessId === 'owner' ? 'Ownership' : 'Membership') : scopeLabel(t.directoryScopeId);

/** "Helpdesk Administrator", or "PAG-SERVICE-DESK membership" — what a sentence about the row names. */
export const rowPhrase = (row: Pick<AccessRow, 'name' | 'target'>): string =>
  row.target.kind === 'group'
    ? `${row.name} ${row.target.accessId === 'owner' ? 'ownership' : 'membership'}`
    : row.name;

/** My own activation of an eligible row's target that is in effect now, if there is one. */
export const activeOf = (row: AccessRow, active: readonly AccessRow[]): AccessRow | undefined =>
  active.find((a) => a.via === null && sameTarget(a.target, row.target));

/** One of my Azure resource-role grants: a role at an ARM scope, eligible or active. */
export interface ResourceRow {
  /** The instance name. */
  readonly id: string;
  /** The ARM scope path: `/subscriptions/{id}/resourceGroups/{name}`. */
  readonly scope: string;
  readonly scopeName: string;
  /** `managementgroup`, `subscription`, `resourcegroup`, `resource`. */
  readonly scopeType: string;
  /** The ARM role definition id (at the scope). */
  readonly roleDefinitionId: string;
  readonly roleName: string;
  /** `Direct`, `Group` or `Inherited`. */
  readonly memberType: string;
  readonly assignmentType: 'Assigned' | 'Activated' | null;
  readonly startDateTime: string | null;
  readonly endDateTime: string | null;
}

export interface MyResourceAccess {
  readonly eligible: readonly ResourceRow[];
  readonly active: readonly ResourceRow[];
}

/** A resource scope for people: "Payments (subscription)". */
export const resourceScopeLabel = (row: Pick<ResourceRow, 'scopeName' | 'scopeType'>): string => {
  const kinds: Record<string, string> = {
    managementgroup: 'management group',
    subscription: 'subscription',
    resourcegroup: 'resource group',
    resource: 'resource',
  };
  const kind = kinds[row.scopeType.toLowerCase()];
  return kind ? `${row.scopeName} (${kind})` : row.scopeName;
};

/** "Contributor on Payments (subscription)" — what a sentence about the row names. */
export const resourcePhrase = (row: ResourceRow): string => `${row.roleName} on ${resourceScopeLabel(row)}`;

/**
 * My Azure resource roles at every scope (ARM's schedule instances with `asTarget()`), eligible and active, by
 * role name then scope.
 */
export async function loadMyResourceAccess(client: ElevateClient): Promise<MyResourceAccess> {
  const [eligible, active] = await Promise.all([
    client.listMyResourceInstances('eligibility'),
    client.listMyResourceInstances('assignment'),
  ]);
  const row = (i: (typeof eligible)[number], kind: ScheduleKind): ResourceRow => {
    const p = i.properties;
    const scope = p.expandedProperties?.scope;
    const type = p.assignmentType;
    return {
      id: i.name,
      scope: p.scope,
      scopeName: scope?.displayName ?? p.scope,
      scopeType: scope?.type ?? '',
      roleDefinitionId: p.roleDefinitionId,
      roleName:
        p.expandedProperties?.roleDefinition?.displayName ?? p.roleDefinitionId.split('/').pop() ?? '',
      memberType: p.memberType,
      assignmentType: kind === 'eligibility' ? null : type === 'Activated' ? 'Activated' : 'Assigned',
      startDateTime: p.startDateTime,
      endDateTime: p.endDateTime,
    };
  };
  const order = (a: ResourceRow, b: ResourceRow) =>
    a.roleName.localeCompare(b.roleName) || a.scope.localeCompare(b.scope) || a.id.localeCompare(b.id);
  return {
    eligible: eligible.map((i) => row(i, 'eligibility')).sort(order),
    active: active.map((i) => row(i, 'assignment')).sort(order),
  };
}

/** My own activation of an eligible resource role at its scope that is in effect now, if there is one. */
export const activeResourceOf = (row: ResourceRow, active: readonly ResourceRow[]): ResourceRow | undefined =>
  active.find(
    (a) =>
      a.memberType === 'Direct' &&
      a.scope.toLowerCase() === row.scope.toLowerCase() &&
      roleGuid(a.roleDefinitionId) === roleGuid(row.roleDefinitionId),
  );

const roleGuid = (armId: string) => (armId.split('/').pop() ?? armId).toLowerCase();
