import type { FastifyReply } from 'fastify';
import type { ElevateError, StepUpChallenge } from '../../core/errors.js';

/**
 * The RFC 9470 challenge for a refusal a step-up would cure:
 * `Bearer error="insufficient_user_authentication", error_description="…", acr_values="c1", max_age=300`.
 */
export function stepUpChallengeHeader(challenge: StepUpChallenge): string {
  const description = challenge.acrValues
    ? `A step-up for this request satisfying the authentication context '${challenge.acrValues}' is required`
    : 'A multi-factor step-up for this request is required';
  return [
    'Bearer error="insufficient_user_authentication"',
    `error_description="${description.replaceAll('"', "'")}"`,
    ...(challenge.acrValues ? [`acr_values="${challenge.acrValues.replaceAll('"', '')}"`] : []),
    `max_age=${challenge.maxAgeSeconds}`,
  ].join(', ');
}

/** Headers some errors carry on every surface: Retry-After for a lockout, the step-up challenge. */
export function setAuthErrorHeaders(error: ElevateError, reply: FastifyReply): void {
  if (error.details.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(error.details.retryAfterSeconds));
  }
  if (error.details.stepUp) reply.header('www-authenticate', stepUpChallengeHeader(error.details.stepUp));
}
