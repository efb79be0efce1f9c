import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';

/** Each native API area registers its routes on the `/api/v1` sub-app (authenticated, native error envelope). */
export type ApiRouteRegistrar = (app: FastifyInstance, services: Services) => Promise<void>;
