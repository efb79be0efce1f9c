import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { stepUpHeader } from '../../contracts/auth-schemas.js';

/**
 * The step-up proof a self-service request carries in the `x-elevate-step-up` header (Graph's request body has no
 * field for it, and unknown body properties are refused), as the use case's option.
 */
export function stepUpOf(req: FastifyRequest): { stepUpProof?: string } {
  const h = req.headers[stepUpHeader];
  const proof = Array.isArray(h) ? h[0] : h;
  return proof ? { stepUpProof: proof.slice(0, 512) } : {};
}

/** The documented header of a request that may carry a step-up proof (other headers pass untouched). */
export const stepUpHeaders = z.looseObject({
  [stepUpHeader]: z
    .string()
    .max(512)
    .optional()
    .describe(
      'A step-up proof from POST /api/v1/me/step-up, for a self-service request whose settings require MFA or an authentication context',
    ),
});
