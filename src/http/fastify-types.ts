import type { Actor } from '../core/model/principal.js';

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: readonly { method: string; url: string; hidden: boolean }[];
  }
  interface FastifyRequest {
    actor: Actor;
    graphVersion: 'v1.0' | 'beta';
  }
}
