import { ElevateError } from '../../core/errors.js';
import type { PolicyRules } from '../../core/model/policy.js';
import type { ScheduleAction } from '../../core/model/request.js';
import type { StepUpCheck } from './step-up-proofs.js';

/**
 * Adds to a refusal that a step-up would cure (an MFA or authentication-context rule broken) what the caller
 * needs to cure it: the RFC 9470 challenge (`acr_values` when the context rule is on, `max_age`) and, for a
 * self-service request, why a presented proof was refused or how to get one. Other refusals pass unchanged.
 */
export function withStepUpChallenge(
  error: ElevateError,
  args: { action: ScheduleAction; rules: PolicyRules; check: StepUpCheck; maxAgeSeconds: number },
): ElevateError {
  const reasons = new Set(error.details.violations?.map((v) => v.reason) ?? []);
  if (!reasons.has('MfaRule') && !reasons.has('AcrsRule')) return error;
  const context = args.rules.AuthenticationContext_EndUser_Assignment;
  const self = args.action.startsWith('self');
  const hint = !self
    ? ''
    : args.check.kind === 'refused'
      ? ` The step-up proof was refused: ${args.check.reason}.`
      : ' Step up for this request (POST /api/v1/me/step-up with a fresh code, or POST /api/v1/me/step-up/oidc at your identity provider; elevate activate asks for it) and send the proof in the x-elevate-step-up header.';
  return new ElevateError(error.code, `${error.message}${hint}`, {
    ...error.details,
    stepUp: {
      acrValues: self && context.isEnabled ? (context.claimValue ?? null) : null,
      maxAgeSeconds: args.maxAgeSeconds,
    },
  });
}
