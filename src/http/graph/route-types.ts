import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';

export interface GraphRouteOptions {
  readonly version: 'v1.0' | 'beta';
  readonly publicUrl: string | undefined;
}

/** Each Graph area registers its routes on the versioned sub-app. */
export type GraphRouteRegistrar = (
  app: FastifyInstance,
  services: Services,
  options: GraphRouteOptions,
) => Promise<void>;
