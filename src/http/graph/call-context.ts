import type { FastifyRequest } from 'fastify';
import type { CallContext } from '../../app/context.js';

/** The use-case call context of an authenticated request. */
export const callContext = (request: FastifyRequest): CallContext => ({
  actor: request.actor,
  requestId: request.id,
});
