import type { Actor } from '../core/model/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    graphVersion: 'v1.0' | 'beta';
  }
}
