import type { QueryClient } from '@tanstack/react-query';
import type { ElevateClient, GraphScheduleInstance, ScheduleKind } from '../../../src/contracts/browser';

/** One of my roles in effect now: an eligibility I may activate, or an active assignment. */
export interface RoleRow {
  /** The instance id. */
  readonly id: string;
  readonly roleDefinitionId: string;
  readonly roleName: string;
  readonly directoryScopeId: string;
  /** `Direct`, or `Group` when held through a role-assignable group. */
  readonly memberType: string;
  /** The group's name when `memberType` is `Group` and the group can be read. */
  readonly groupName: string | null;
  /** Active rows: `Assigned` by an administrator or `Activated` from an eligibility. */
  readonly assignmentType: 'Assigned' | 'Activated' | null;
  readonly startDateTime: string | null;
  /** null: permanent. */
  readonly endDateTime: string | null;
}

export interface MyRoles {
  readonly eligible: readonly RoleRow[];
  readonly active: readonly RoleRow[];
}

/** Role display names by id (lower case), built-in and custom; read once per sign-in. */
export const roleNamesQuery = (client: ElevateClient) => ({
  queryKey: ['role-definitions'] as const,
  queryFn: async () =>
    new Map((await client.listRoleDefinitions()).map((r) => [r.id.toLowerCase(), r.displayName])),
  staleTime: Number.POSITIVE_INFINITY,
});

const groupNameQuery = (client: ElevateClient, kind: ScheduleKind, scheduleId: string) => ({
  queryKey: ['schedule-group', kind, scheduleId] as const,
  queryFn: async (): Promise<string | null> => {
    try {
      const schedule = await client.getSchedule(kind, scheduleId);
      return (await client.getGroup(schedule.principalId)).displayName;
    } catch {
      return null; // The page still says "Group"; the name is a courtesy.
    }
  },
  staleTime: 5 * 60_000,
});

/** `Graph: …ScheduleInstances/filterByCurrentUser(on='principal')` for both kinds, with names joined in. */
export async function loadMyRoles(client: ElevateClient, queryClient: QueryClient): Promise<MyRoles> {
  const [eligible, active, names] = await Promise.all([
    client.listMyInstances('eligibility'),
    client.listMyInstances('assignment'),
    queryClient.ensureQueryData(roleNamesQuery(client)),
  ]);
  const toRow = async (kind: ScheduleKind, i: GraphScheduleInstance): Promise<RoleRow> => {
    const scheduleId = kind === 'eligibility' ? i.roleEligibilityScheduleId : i.roleAssignmentScheduleId;
    const groupName =
      i.memberType === 'Group' && scheduleId
        ? await queryClient.ensureQueryData(groupNameQuery(client, kind, scheduleId))
        : null;
    return {
      id: i.id,
      roleDefinitionId: i.roleDefinitionId,
      roleName: names.get(i.roleDefinitionId.toLowerCase()) ?? i.roleDefinitionId,
      directoryScopeId: i.directoryScopeId,
      memberType: i.memberType,
      groupName,
      assignmentType:
        kind === 'assignment' ? (i.assignmentType === 'Activated' ? 'Activated' : 'Assigned') : null,
      startDateTime: i.startDateTime,
      endDateTime: i.endDateTime,
    };
  };
  const byName = (a: RoleRow, b: RoleRow) =>
    a.roleName.localeCompare(b.roleName) || a.directoryScopeId.localeCompare(b.directoryScopeId);
  return {
    eligible: (await Promise.all(eligible.map((i) => toRow('eligibility', i)))).sort(byName),
    active: (await Promise.all(active.map((i) => toRow('assignment', i)))).sort(byName),
  };
}

/** A directory scope for people: `/` is the whole directory. */
export const scopeLabel = (scopeId: string): string =>
  scopeId === '/'
    ? 'Directory'
    : scopeId.startsWith('/administrativeUnits/')
      ? `Administrative unit ${scopeId.slice('/administrativeUnits/'.length)}`
      : scopeId;

/** The active activation of an eligible row's role and scope, if there is one. */
export const activationOf = (row: RoleRow, active: readonly RoleRow[]): RoleRow | undefined =>
  active.find(
    (a) =>
      a.assignmentType === 'Activated' &&
      a.roleDefinitionId.toLowerCase() === row.roleDefinitionId.toLowerCase() &&
      a.directoryScopeId === row.directoryScopeId,
  );
