import type { GraphRouteRegistrar } from '../route-types.js';
import { registerApprovalRoutes } from './approval-routes.js';
import { registerScheduleRequestRoutes } from './schedule-request-routes.js';
import { registerUserRoutes } from './user-routes.js';

/** Every Graph area, registered on /v1.0 and /beta. */
export const graphRoutes: readonly GraphRouteRegistrar[] = [
  registerUserRoutes,
  registerScheduleRequestRoutes,
  registerApprovalRoutes,
];
