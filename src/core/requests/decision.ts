import { ElevateError, type ElevateErrorCode } from '../errors.js';
import type { Approval } from '../model/approval.js';
import type { PolicyRules } from '../model/policy.js';
import type { Actor, PrincipalType } from '../model/principal.js';
import type { ScheduleRequest, ScheduleRequestInput } from '../model/request.js';
import type { GroupAccessId, Schedule } from '../model/schedule.js';
import type { ScheduleChange } from '../schedules/schedule-change.js';

export type { ScheduleChange } from '../schedules/schedule-change.js';

/** Everything decideScheduleRequest needs, loaded by the use case in its transaction. */
export interface DecisionContext {
  readonly input: ScheduleRequestInput;
  /** Who calls. */
  readonly actor: Actor;
  /** The request's principal, resolved by the caller; a group that is not role-assignable has isAssignableGroup false. */
  readonly principal: {
    readonly id: string;
    readonly type: PrincipalType;
    readonly displayName: string;
    readonly isAssignableGroup: boolean;
  };
  /** What the request is about, resolved by the use case (the input names it by ids). */
  readonly target: TargetFacts;
  /** Settings of the target. */
  readonly rules: PolicyRules;
  /**
   * Every schedule (any status) of this target held by the principal, or by a group the principal is a member
   * of now (for roles: a role-assignable one), at the target scope or a scope covering it. For
   * adminRemove/adminUpdate of an eligibility, also the live activations activated from it (activatedUsing),
   * whoever holds them.
   */
  readonly schedules: readonly Schedule[];
  /** PendingApproval requests for the same principal and target. */
  readonly pendingRequests: readonly ScheduleRequest[];
  readonly now: Date;
  /** A new schedule takes the request's id (Graph: targetScheduleId == request id); so does its approval. */
  readonly ids: { readonly requestId: string; readonly stageId: string };
  /**
   * Whether a step-up came with the request: an MFA performed for this principal and target within the maximum
   * age, verified (and consumed on success) by the use case. Absent means none.
   */
  readonly stepUp?: boolean;
}

/**
 * The MFA fact the rules see. A self* request needs a step-up made for it: MFA done earlier in the session does
 * not count (Entra's weakness, research/peers.md). An admin* request takes the caller's recent sign-in MFA.
 */
export const mfaEvidence = (ctx: DecisionContext): boolean =>
  ctx.input.action.startsWith('self') ? ctx.stepUp === true : ctx.actor.mfa;

/**
 * The target of a request as the decision needs it. A directory role names itself and says whether it is
 * enabled; a group target names the group, says whether it is role-assignable (it then holds roles, so only
 * role administrators govern it) and whether the caller owns it now (owners govern other groups, as in Entra).
 */
export type TargetFacts =
  | {
      readonly kind: 'directoryRole';
      readonly id: string;
      readonly displayName: string;
      readonly isEnabled: boolean;
    }
  | {
      readonly kind: 'group';
      /** The group's id. */
      readonly id: string;
      /** The group's display name. */
      readonly displayName: string;
      readonly accessId: GroupAccessId;
      readonly isAssignableToRole: boolean;
      readonly actorIsOwner: boolean;
    };

export type Decision =
  | {
      readonly kind: 'granted';
      readonly request: ScheduleRequest;
      readonly changes: readonly ScheduleChange[];
    }
  | { readonly kind: 'pendingApproval'; readonly request: ScheduleRequest; readonly approval: Approval }
  /** isValidationOnly: every check passed; nothing to persist but the answer. */
  | { readonly kind: 'validated'; readonly request: ScheduleRequest }
  | { readonly kind: 'rejected'; readonly error: ElevateError };

/** A refusal as a Decision. */
export const rejected = (error: ElevateError): Decision => ({ kind: 'rejected', error });

/** Shorthand for a refusal with a code and a message. */
export const refuse = (code: ElevateErrorCode, message: string): Decision =>
  rejected(new ElevateError(code, message));
