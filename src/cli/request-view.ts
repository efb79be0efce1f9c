import type { GraphScheduleRequest } from '../contracts/graph-types.js';
import { endAfter } from './format/time.js';

/** The window a request asks for: its (resolved) start and its end, from an end time or a duration. */
export function requestWindow(r: Pick<GraphScheduleRequest, 'scheduleInfo'>): {
  start: Date | null;
  end: Date | null;
} {
  const info = r.scheduleInfo;
  const start = info?.startDateTime ? new Date(info.startDateTime) : null;
  const e = info?.expiration;
  if (e?.endDateTime) return { start, end: new Date(e.endDateTime) };
  if (e?.duration && start) return { start, end: endAfter(start, e.duration) };
  return { start, end: null };
}

/** A request as `--json` prints it: Graph's fields that matter plus the role's name and the window. */
export function requestJson(r: GraphScheduleRequest, roleDisplayName: string) {
  const { start, end } = requestWindow(r);
  return {
    id: r.id,
    status: r.status,
    action: r.action,
    approvalId: r.approvalId,
    principalId: r.principalId,
    roleDefinitionId: r.roleDefinitionId,
    roleDisplayName,
    directoryScopeId: r.directoryScopeId,
    justification: r.justification,
    ticketInfo: r.ticketInfo,
    createdDateTime: r.createdDateTime,
    startDateTime: start?.toISOString() ?? null,
    endDateTime: end?.toISOString() ?? null,
    isValidationOnly: r.isValidationOnly,
  };
}
