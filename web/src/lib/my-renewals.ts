import type { QueryClient } from '@tanstack/react-query';
import type {
  ElevateClient,
  GraphScheduleInfo,
  GraphUser,
  ScheduleKind,
} from '../../../src/contracts/browser';
import { type AccessRow, roleNamesQuery } from './my-access';
import { type Target, targetKey } from './targets';

/** Entra offers extension in the last 14 days of an assignment (the server's rule, decide-extension.ts). */
export const extensionWindowMs = 14 * 86_400_000;
/** …and renewal for 30 days after it expired (decide-renewal.ts). */
export const renewalWindowMs = 30 * 86_400_000;

/**
 * Whether I may ask to extend a row: my own eligibility, or an active assignment an administrator gave me (not
 * an activation), that ends within 14 days.
 */
export function canExtend(row: AccessRow, nowMs: number): boolean {
  if (row.via !== null || row.assignmentType === 'Activated' || row.endDateTime === null) return false;
  const left = new Date(row.endDateTime).getTime() - nowMs;
  return left > 0 && left <= extensionWindowMs;
}

/** An assignment of mine that expired in the last 30 days: I may ask to renew it. */
export interface RenewableRow {
  readonly id: string;
  readonly kind: ScheduleKind;
  readonly target: Target;
  readonly name: string;
  readonly endedAt: string;
}

/** A request as far as renewal cares: what it did to which target, and the window it gave. */
export interface GrantRequest {
  readonly kind: ScheduleKind;
  readonly target: Target;
  readonly action: string;
  readonly status: string;
  readonly createdDateTime: string;
  readonly scheduleInfo: GraphScheduleInfo | null;
}

/** Actions that set an assignment's window, and those that end it. */
const grants = new Set([
  'adminassign',
  'adminupdate',
  'adminextend',
  'adminrenew',
  'selfextend',
  'selfrenew',
]);
const ends = new Set(['adminremove']);
const done = new Set(['provisioned', 'granted']);

/** When a granted window ends: its end, or its start plus its duration; null when it never ends. */
export function windowEnd(info: GraphScheduleInfo | null, createdDateTime: string): number | null {
  const e = info?.expiration;
  if (!e || e.type?.toLowerCase() === 'noexpiration') return null;
  if (e.endDateTime) return new Date(e.endDateTime).getTime();
  const start = new Date(info?.startDateTime ?? createdDateTime).getTime();
  const m = e.duration ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(e.duration) : null;
  if (!m) return null;
  const [d, h, min] = [m[1], m[2], m[3]].map((n) => Number(n ?? 0)) as [number, number, number];
  return start + ((d * 24 + h) * 60 + min) * 60_000;
}

/**
 * The assignments whose latest grant ended within the last 30 days and that nothing replaced: no live grant of
 * the same target and kind (`live`, keys of `targetKey` and kind), and no removal after it.
 */
export function renewableFrom(
  requests: readonly GrantRequest[],
  live: ReadonlySet<string>,
  nowMs: number,
): { kind: ScheduleKind; target: Target; endedAt: string }[] {
  const latest = new Map<string, GrantRequest>();
  for (const r of requests) {
    const action = r.action.toLowerCase();
    if (!(grants.has(action) && done.has(r.status.toLowerCase())) && !ends.has(action)) continue;
    const key = `${r.kind}:${targetKey(r.target)}`;
    const before = latest.get(key);
    if (!before || before.createdDateTime < r.createdDateTime) latest.set(key, r);
  }
  return [...latest.entries()].flatMap(([key, r]) => {
    if (live.has(key) || ends.has(r.action.toLowerCase())) return [];
    const end = windowEnd(r.scheduleInfo, r.createdDateTime);
    if (end === null || end > nowMs || end <= nowMs - renewalWindowMs) return [];
    return [{ kind: r.kind, target: r.target, endedAt: new Date(end).toISOString() }];
  });
}

/** The live grants of My roles as `renewableFrom` keys: eligibilities, and assignments given by an administrator. */
export const liveKeys = (eligible: readonly AccessRow[], active: readonly AccessRow[]): Set<string> =>
  new Set([
    ...eligible.map((r) => `eligibility:${targetKey(r.target)}`),
    ...active.filter((r) => r.via === null).map((r) => `assignment:${targetKey(r.target)}`),
  ]);

/** My own activations are most of my requests and never renewable: the server leaves them out. */
const notActivations = "action ne 'selfActivate' and action ne 'selfDeactivate'";

/** My expired directory-role and group assignments I may still renew, read from my requests. */
export async function loadRenewable(
  client: ElevateClient,
  me: GraphUser,
  queryClient: QueryClient,
  live: ReadonlySet<string>,
): Promise<RenewableRow[]> {
  const mine = { on: 'principal', top: 200, expand: 'group' } as const;
  const [roleEligible, roleActive, groupEligible, groupActive, names] = await Promise.all([
    client.listScheduleRequests('eligibility', { on: 'principal', filter: notActivations }),
    client.listScheduleRequests('assignment', { on: 'principal', filter: notActivations }),
    client.pageGroupScheduleRequests('eligibility', mine),
    client.pageGroupScheduleRequests('assignment', mine),
    queryClient.ensureQueryData(roleNamesQuery(client)),
  ]);
  const groupNames = new Map(
    [...groupEligible.items, ...groupActive.items].map((g) => [
      g.groupId.toLowerCase(),
      g.group?.displayName,
    ]),
  );
  const all: GrantRequest[] = [
    ...(['eligibility', 'assignment'] as const).flatMap((kind) =>
      (kind === 'eligibility' ? roleEligible : roleActive)
        .filter((r) => r.principalId.toLowerCase() === me.id.toLowerCase())
        .map((r) => ({
          kind,
          target: {
            kind: 'directoryRole' as const,
            roleDefinitionId: r.roleDefinitionId,
            directoryScopeId: r.directoryScopeId,
          },
          action: r.action,
          status: r.status,
          createdDateTime: r.createdDateTime,
          scheduleInfo: r.scheduleInfo,
        })),
    ),
    ...(['eligibility', 'assignment'] as const).flatMap((kind) =>
      (kind === 'eligibility' ? groupEligible : groupActive).items.map((r) => ({
        kind,
        target: { kind: 'group' as const, groupId: r.groupId, accessId: r.accessId },
        action: r.action,
        status: r.status,
        createdDateTime: r.createdDateTime,
        scheduleInfo: r.scheduleInfo,
      })),
    ),
  ];
  return renewableFrom(all, live, Date.now()).map((r) => ({
    ...r,
    id: `${r.kind}:${targetKey(r.target)}`,
    name:
      r.target.kind === 'group'
        ? (groupNames.get(r.target.groupId.toLowerCase()) ?? r.target.groupId)
        : (names.get(r.target.roleDefinitionId.toLowerCase()) ?? r.target.roleDefinitionId),
  }));
}
