import {
  type ActivationSettings,
  type ElevateClient,
  type GraphScheduleInfo,
  type GroupAccessId,
  isApiError,
} from '../../../src/contracts/browser';
import { isoFromMinutes } from './time';

/** What a person activates: a directory role at a scope, or a group's membership or ownership (PIM for Groups). */
export type Target =
  | { readonly kind: 'directoryRole'; readonly roleDefinitionId: string; readonly directoryScopeId: string }
  | { readonly kind: 'group'; readonly groupId: string; readonly accessId: GroupAccessId };

/** A stable key for caches and React lists. */
export const targetKey = (t: Target): string =>
  t.kind === 'group'
    ? `group:${t.groupId.toLowerCase()}:${t.accessId}`
    : `role:${t.roleDefinitionId.toLowerCase()}:${t.directoryScopeId}`;

export const sameTarget = (a: Target, b: Target): boolean => targetKey(a) === targetKey(b);

/** The target's activation rules, from its policy (a directory role's at its scope, or the group's). */
export const settingsQuery = (client: ElevateClient, target: Target) => ({
  queryKey: ['activation-settings', targetKey(target)] as const,
  queryFn: (): Promise<ActivationSettings> =>
    target.kind === 'group'
      ? client.getGroupActivationSettings(target.groupId, target.accessId)
      : client.getActivationSettings(target.roleDefinitionId, target.directoryScopeId),
  staleTime: 30_000,
});

/** Whether activating needs a fresh second factor: the MFA rule or an authentication context (reliability T7). */
export const needsStepUp = (s: ActivationSettings): boolean =>
  s.requiresMfa || s.authenticationContext !== null;

/** The target half of `POST /api/v1/me/step-up`; a proof is bound to exactly this target. */
export const stepUpTarget = (t: Target) =>
  t.kind === 'group'
    ? { groupId: t.groupId, accessId: t.accessId }
    : { roleDefinitionId: t.roleDefinitionId, directoryScopeId: t.directoryScopeId };

/** What the person filled in once for every target they activate. */
export interface ActivationDetails {
  readonly minutes: number;
  readonly justification: string;
  readonly ticketNumber: string;
  readonly ticketSystem: string;
  /** ISO instant; absent: now. */
  readonly startDateTime?: string;
}

/** A request as either surface answers it, reduced to what the portal shows. */
export interface RequestOutcome {
  readonly id: string;
  readonly status: string;
  readonly scheduleInfo: GraphScheduleInfo | null;
}

/**
 * Sends the caller's own request on a target — `selfActivate` with the details, or `selfDeactivate` — to the
 * directory-role or the PIM for Groups endpoint, with the step-up proof in its header when there is one.
 */
export async function sendSelfRequest(
  client: ElevateClient,
  args: {
    principalId: string;
    target: Target;
    action: 'selfActivate' | 'selfDeactivate';
    details?: ActivationDetails;
    stepUpProof?: string;
  },
): Promise<RequestOutcome> {
  const { target, details } = args;
  const ticket = details
    ? { ticketNumber: details.ticketNumber.trim(), ticketSystem: details.ticketSystem.trim() }
    : undefined;
  const common = {
    action: args.action,
    principalId: args.principalId,
    ...(details?.justification.trim() ? { justification: details.justification.trim() } : {}),
    ...(details
      ? {
          scheduleInfo: {
            ...(details.startDateTime ? { startDateTime: details.startDateTime } : {}),
            expiration: { type: 'afterDuration', duration: isoFromMinutes(details.minutes) },
          },
        }
      : {}),
    ...(ticket && (ticket.ticketNumber || ticket.ticketSystem) ? { ticketInfo: ticket } : {}),
  };
  const opts = args.stepUpProof ? { stepUpProof: args.stepUpProof } : {};
  return target.kind === 'group'
    ? client.createGroupScheduleRequest(
        'assignment',
        { ...common, accessId: target.accessId, groupId: target.groupId },
        opts,
      )
    : client.createScheduleRequest(
        'assignment',
        { ...common, roleDefinitionId: target.roleDefinitionId, directoryScopeId: target.directoryScopeId },
        opts,
      );
}

const stepUpRules = new Set(['MfaRule', 'AcrsRule']);

/**
 * Whether a refusal asks only for a step-up (rules `MfaRule`/`AcrsRule`, or Graph's
 * `RoleAssignmentRequestAcrsValidationFailed`): then a code from the authenticator is the answer, not a new form.
 */
export function isStepUpRefusal(error: unknown): boolean {
  if (!isApiError(error)) return false;
  if (error.code === 'RoleAssignmentRequestAcrsValidationFailed') return true;
  return error.details.length > 0 && error.details.every((d) => stepUpRules.has(d.code));
}

/** The refusal's first sentence about the rule, without the API's advice on headers meant for other clients. */
export const stepUpReason = (error: unknown): string => {
  const message = error instanceof Error ? error.message : '';
  const detail = isApiError(error) ? error.details.find((d) => stepUpRules.has(d.code))?.message : undefined;
  return detail ?? message.split(' Step up for this request')[0] ?? message;
};
