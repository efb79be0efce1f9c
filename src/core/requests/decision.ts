import { ElevateError, type ElevateErrorCode } from '../errors.js';
import type { Approval } from '../model/approval.js';
import type { PolicyRules } from '../model/policy.js';
import type { Actor, PrincipalType } from '../model/principal.js';
import type { ScheduleRequest, ScheduleRequestInput } from '../model/request.js';
import type { Schedule } from '../model/schedule.js';
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
  readonly role: { readonly id: string; readonly displayName: string; readonly isEnabled: boolean };
  /** Settings of (role, directoryScopeId). */
  readonly rules: PolicyRules;
  /**
   * Every schedule (any status) of this role held by the principal, or by a role-assignable group the principal
   * is a direct member of, at the target scope or a scope covering it. For adminRemove/adminUpdate of an
   * eligibility, also the live activations activated from it (activatedUsing), whoever holds them.
   */
  readonly schedules: readonly Schedule[];
  /** PendingApproval requests for the same principal, role and scope. */
  readonly pendingRequests: readonly ScheduleRequest[];
  readonly now: Date;
  /** A new schedule takes the request's id (Graph: targetScheduleId == request id); so does its approval. */
  readonly ids: { readonly requestId: string; readonly stageId: string };
}

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
