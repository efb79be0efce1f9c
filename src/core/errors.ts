/** Rule tokens Graph clients know (research §2.7), plus Elevate's own for rules Graph has no token for. */
export type RuleToken =
  | 'ExpirationRule'
  | 'JustificationRule'
  | 'MfaRule'
  | 'TicketingRule'
  | 'EligibilityRule'
  | 'AcrsRule'
  | 'ApprovalRule';

/** One rule of a target's settings that a request breaks. */
export interface RuleViolation {
  /** The Graph rule id of the setting (e.g. `Enablement_EndUser_Assignment`). */
  readonly ruleId: string;
  readonly reason: RuleToken;
  readonly message: string;
}

/** The closed set of error codes inside Elevate; each surface maps them to its own envelope. */
export type ElevateErrorCode =
  | 'request.invalid'
  | 'request.too_large'
  | 'auth.unauthenticated'
  | 'auth.invalid_credentials'
  | 'auth.forbidden'
  | 'auth.mfa_required'
  | 'auth.mfa_failed'
  | 'auth.locked'
  | 'auth.provider_unavailable'
  | 'resource.not_found'
  | 'resource.conflict'
  | 'policy.violation'
  | 'policy.acrs_required'
  | 'schedule.exists'
  | 'schedule.does_not_exist'
  | 'schedule.pending_request'
  | 'schedule.active_duration_too_short'
  | 'schedule.principal_type_not_allowed'
  | 'request.not_cancelable'
  | 'approval.self_approval'
  | 'approval.not_approver'
  | 'approval.already_decided'
  | 'approval.justification_required'
  | 'internal';

/**
 * What a caller must do to satisfy an MFA or authentication-context rule (RFC 9470): a fresh step-up, for an
 * authentication context when `acrValues` is set, no older than `maxAgeSeconds`.
 */
export interface StepUpChallenge {
  readonly acrValues: string | null;
  readonly maxAgeSeconds: number;
}

export interface ElevateErrorDetails {
  readonly violations?: readonly RuleViolation[];
  readonly target?: string;
  /** `auth.locked`: seconds until the account may try again (sent as Retry-After). */
  readonly retryAfterSeconds?: number;
  /** A refusal a step-up would cure (sent as an RFC 9470 WWW-Authenticate challenge). */
  readonly stepUp?: StepUpChallenge;
}

export class ElevateError extends Error {
  override readonly name = 'ElevateError';
  constructor(
    readonly code: ElevateErrorCode,
    message: string,
    readonly details: ElevateErrorDetails = {},
  ) {
    super(message);
  }
}

export const isElevateError = (e: unknown): e is ElevateError => e instanceof ElevateError;

/** Unknown and forbidden ids answer the same, so callers cannot probe for existence. */
export const notFound = (what: string, id: string): ElevateError =>
  new ElevateError('resource.not_found', `${what} '${id}' was not found.`, { target: id });
