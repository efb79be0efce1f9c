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
   * The step-up that came with the request: an MFA performed for this principal and target within the maximum
   * age, verified (and consumed on success) by the use case. Absent means none.
   */
  readonly stepUp?: StepUpFacts;
  /** What satisfies an authentication context when the step-up carries no `acr`; `mfa` when absent. */
  readonly acrFallback?: AcrFallback;
}

/**
 * How a step-up was made: a local TOTP code, or an OIDC re-authentication with the `acr` the identity provider
 * asserted (null when it sent none; always null for TOTP).
 */
export interface StepUpFacts {
  readonly method: 'totp' | 'oidc';
  readonly acr: string | null;
}

/**
 * When an authentication-context rule is on and the step-up carries no `acr`: `mfa` accepts the step-up's MFA
 * (Entra falls back to MFA where no Conditional Access policy targets the context), `deny` refuses.
 */
export type AcrFallback = 'mfa' | 'deny';

/**
 * The MFA fact the rules see. A self* request needs a step-up made for it: MFA done earlier in the session does
 * not count (Entra's weakness, research/peers.md). An admin* request takes the caller's recent sign-in MFA.
 */
export const mfaEvidence = (ctx: DecisionContext): boolean =>
  ctx.input.action.startsWith('self') ? ctx.stepUp !== undefined : ctx.actor.mfa;

/** The MFA fact and, for self* requests, what the authentication-context rule looks at: the step-up's `acr`. */
export const authEvidence = (
  ctx: DecisionContext,
): { mfa: boolean; stepUpAcr: string | null; acrFallback: AcrFallback } => ({
  mfa: mfaEvidence(ctx),
  stepUpAcr: ctx.stepUp?.acr ?? null,
  acrFallback: ctx.acrFallback ?? 'mfa',
});

/**
 * The target of a request as the decision needs it. A directory role names itself and says whether it is
 * enabled; a group target names the group, says whether it is role-assignable (it then holds roles, so only
 * role administrators govern it) and whether the caller owns it now (owners govern other groups, as in Entra);
 * a resource role names the Azure role and its scope and says whether the caller manages access there.
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
    }
  | {
      readonly kind: 'resourceRole';
      /** The Azure role definition's GUID. */
      readonly id: string;
      /** The role's name, e.g. `Owner`. */
      readonly displayName: string;
      /** The scope's display path, for messages. */
      readonly scopePath: string;
      /**
       * Whether the caller holds, active now, a role that manages role assignments (Owner, User Access
       * Administrator, Role Based Access Control Administrator) at the scope or a scope above it in the
       * resource tree (invariant 8), directly or through a group.
       */
      readonly actorManagesAccess: boolean;
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
