import { addDuration, describeDuration, parseDuration } from '../../../src/contracts/browser';
import type { RequestOutcome } from './targets';
import { formatInstant } from './time';

/** When a request's window ends: its end, or its start plus its duration; null when open-ended or unknown. */
export function requestEnd(info: RequestOutcome['scheduleInfo'], fallbackStart?: string): Date | null {
  if (!info) return null;
  if (info.expiration.endDateTime) return new Date(info.expiration.endDateTime);
  const start = info.startDateTime ?? fallbackStart;
  const duration = info.expiration.duration ? parseDuration(info.expiration.duration) : null;
  return start && duration ? addDuration(new Date(start), duration) : null;
}

/** A sentence for an activation the server accepted: "Helpdesk Administrator is active until 5 Jan 2026, 17:00." */
export function activationOutcome(what: string, request: RequestOutcome): string {
  const start = request.scheduleInfo?.startDateTime ? new Date(request.scheduleInfo.startDateTime) : null;
  const end = requestEnd(request.scheduleInfo);
  const until = end ? ` until ${formatInstant(end.toISOString())}` : '';
  switch (request.status) {
    case 'Provisioned':
      return `${what} is active${until}.`;
    case 'Granted':
      return start
        ? `${what} will be active from ${formatInstant(start.toISOString())}${until}.`
        : `${what} is granted${until}.`;
    case 'PendingApproval':
      return `Your request for ${what} waits for an approver; My requests shows when it is decided.`;
    default:
      return `Your request for ${what} is ${request.status} (request ${request.id}).`;
  }
}

/** Short words for a request's status (Graph's values), for badges and filters. */
export const statusLabels: Readonly<Record<string, string>> = {
  PendingApproval: 'Pending approval',
  Provisioned: 'Provisioned',
  Granted: 'Granted',
  Denied: 'Denied',
  Canceled: 'Canceled',
  Revoked: 'Revoked',
  Failed: 'Failed',
  PendingProvisioning: 'Pending provisioning',
};

export const statusColors: Readonly<Record<string, string>> = {
  PendingApproval: 'yellow',
  Provisioned: 'green',
  Granted: 'teal',
  Denied: 'red',
  Canceled: 'gray',
  Revoked: 'gray',
  Failed: 'red',
  PendingProvisioning: 'blue',
};

/** What a request asked for, in words: selfActivate → "Activate". */
export const actionLabels: Readonly<Record<string, string>> = {
  selfActivate: 'Activate',
  selfDeactivate: 'Deactivate',
  selfExtend: 'Extend',
  selfRenew: 'Renew',
  adminAssign: 'Assigned by an administrator',
  adminUpdate: 'Updated by an administrator',
  adminRemove: 'Removed by an administrator',
  adminExtend: 'Extended by an administrator',
  adminRenew: 'Renewed by an administrator',
};

/**
 * A request's window for people: "2 hours", "2 hours from 6 Jan 2026, 09:00" when it starts later than it was
 * asked for, "until 6 Jan 2026, 09:00", "Permanent".
 */
export function describeWindow(info: RequestOutcome['scheduleInfo'], requestedAt?: string): string {
  if (!info) return '—';
  const later =
    info.startDateTime &&
    (!requestedAt || new Date(info.startDateTime).getTime() - new Date(requestedAt).getTime() > 60_000);
  const from = later && info.startDateTime ? ` from ${formatInstant(info.startDateTime)}` : '';
  const e = info.expiration;
  if (e.duration) return `${describeDuration(e.duration)}${from}`;
  if (e.endDateTime) return `until ${formatInstant(e.endDateTime)}${from ? `,${from}` : ''}`;
  return `Permanent${from}`;
}
