import type { ElevateClient, ScheduleRequestBody } from '../../../src/contracts/browser';
import type { AdminAssignment, BulkAssignBody, ScheduleKindChoice } from './admin-types';

type Client = ElevateClient;

/** What an assignment is for: a directory role at a scope, or a group's membership or ownership. */
export type AssignmentTarget =
  | { readonly targetKind: 'directoryRole'; readonly roleDefinitionId: string; readonly scope: string }
  | { readonly targetKind: 'group'; readonly groupId: string; readonly accessId: 'member' | 'owner' };

/** How long it lasts: for good, until an instant (a `datetime-local` value), or a number of days. */
export type WindowChoice =
  | { readonly kind: 'permanent' }
  | { readonly kind: 'until'; readonly end: string }
  | { readonly kind: 'days'; readonly days: number };

export interface AssignmentDetails {
  readonly kind: ScheduleKindChoice;
  readonly window: WindowChoice;
  /** A `datetime-local` value; now when empty. */
  readonly start: string;
  readonly justification: string;
}

const isoOf = (local: string): string => new Date(local).toISOString();

/** Graph's scheduleInfo for a window (research §1.3): noExpiration, afterDateTime or afterDuration. */
export function scheduleInfoFor(start: string, window: WindowChoice): ScheduleRequestBody['scheduleInfo'] {
  const expiration =
    window.kind === 'permanent'
      ? { type: 'noExpiration' }
      : window.kind === 'until'
        ? { type: 'afterDateTime', endDateTime: isoOf(window.end) }
        : { type: 'afterDuration', duration: `P${window.days}D` };
  return { ...(start ? { startDateTime: isoOf(start) } : {}), expiration };
}

/** A window's problem, in words, or null when it can be sent. */
export function windowError(start: string, window: WindowChoice): string | null {
  if (start && Number.isNaN(new Date(start).getTime())) return 'The start is not a date and time.';
  if (window.kind === 'until') {
    const end = new Date(window.end).getTime();
    if (!window.end || Number.isNaN(end)) return 'Choose when it ends.';
    const from = start ? new Date(start).getTime() : Date.now();
    if (end <= from) return 'The end must be after the start.';
  }
  if (window.kind === 'days' && (!Number.isInteger(window.days) || window.days < 1 || window.days > 3650))
    return 'Give a whole number of days, 1 to 3650.';
  return null;
}

/** One administrator request on a target for a principal: adminAssign, adminUpdate or adminRemove. */
function adminRequest(
  client: Client,
  args: {
    action: 'adminAssign' | 'adminUpdate' | 'adminRemove';
    target: AssignmentTarget;
    kind: ScheduleKindChoice;
    principalId: string;
    justification: string;
    scheduleInfo?: ScheduleRequestBody['scheduleInfo'];
  },
): Promise<{ readonly id: string; readonly status: string }> {
  const common = {
    action: args.action,
    principalId: args.principalId,
    ...(args.justification.trim() ? { justification: args.justification.trim() } : {}),
    ...(args.scheduleInfo ? { scheduleInfo: args.scheduleInfo } : {}),
  };
  return args.target.targetKind === 'group'
    ? client.createGroupScheduleRequest(args.kind, {
        ...common,
        groupId: args.target.groupId,
        accessId: args.target.accessId,
      })
    : client.createScheduleRequest(args.kind, {
        ...common,
        roleDefinitionId: args.target.roleDefinitionId,
        directoryScopeId: args.target.scope,
      });
}

/** Adds an eligible or active assignment through the Graph-shaped schedule requests. */
export const addAssignment = (
  client: Client,
  target: AssignmentTarget,
  principalId: string,
  d: AssignmentDetails,
) =>
  adminRequest(client, {
    action: 'adminAssign',
    target,
    kind: d.kind,
    principalId,
    justification: d.justification,
    scheduleInfo: scheduleInfoFor(d.start, d.window),
  });

/** The target of a listed assignment, for updating or removing it. */
function targetOf(a: AdminAssignment): AssignmentTarget {
  return a.targetKind === 'group'
    ? {
        targetKind: 'group',
        groupId: a.scopeId,
        accessId: a.roleDefinitionId === 'owner' ? 'owner' : 'member',
      }
    : { targetKind: 'directoryRole', roleDefinitionId: a.roleDefinitionId, scope: a.scopeId };
}

/** Changes a listed assignment's window (adminUpdate); the start stays where it is unless told. */
export const updateAssignment = (
  client: Client,
  a: AdminAssignment,
  change: { window: WindowChoice; start: string; justification: string },
) =>
  adminRequest(client, {
    action: 'adminUpdate',
    target: targetOf(a),
    kind: a.kind,
    principalId: a.principal.id,
    justification: change.justification,
    scheduleInfo: scheduleInfoFor(change.start || toLocalInput(a.startDateTime), change.window),
  });

/** Removes a listed assignment (adminRemove). */
export const removeAssignment = (client: Client, a: AdminAssignment, justification: string) =>
  adminRequest(client, {
    action: 'adminRemove',
    target: targetOf(a),
    kind: a.kind,
    principalId: a.principal.id,
    justification,
  });

/** The bulk add's body for a target, a window and the pasted lines (blank lines left out). */
export function bulkBody(
  target: AssignmentTarget,
  d: AssignmentDetails,
  lines: readonly string[],
): BulkAssignBody {
  const w = d.window;
  return {
    kind: d.kind,
    ...(target.targetKind === 'group'
      ? { targetKind: 'group', groupId: target.groupId, accessId: target.accessId }
      : {
          targetKind: 'directoryRole',
          roleDefinitionId: target.roleDefinitionId,
          directoryScopeId: target.scope,
        }),
    principals: [...lines],
    ...(d.justification.trim() ? { justification: d.justification.trim() } : {}),
    ...(d.start ? { startDateTime: isoOf(d.start) } : {}),
    ...(w.kind === 'until'
      ? { endDateTime: isoOf(w.end) }
      : w.kind === 'days'
        ? { duration: `P${w.days}D` }
        : {}),
  };
}

/** The pasted principals: one per line (or comma, semicolon, space separated), trimmed, blanks dropped. */
export const principalLines = (text: string): string[] =>
  text
    .split(/[\n,;\s]+/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** An instant as a `datetime-local` input's value in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
